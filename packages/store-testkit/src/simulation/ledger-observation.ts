/**
 * What the simulation compares, as plain JSON text (bigints as decimal strings):
 *
 * - `observeLedger` / `observeModel`: every wallet's status and available and held balance
 *   per currency, every hold's amounts and status, what is owed to each merchant, each
 *   channel's clearing balance, each order's escrow and the checkout fee revenue, read from
 *   the ledger's public queries on one side and from the reference model on the other;
 * - `describeLedger`: everything a reader of the ledger can see (sequence, head hash, every
 *   account balance, the trial balance, holds, wallets, each wallet's history), to compare a
 *   live ledger with one freshly replayed from the durable stream.
 */
import {
  clearingAccount,
  escrowAccount,
  feeRevenueAccount,
  merchantAccount,
  type LedgerState,
} from "@pacioli/core";
import type { ModelLedger } from "@pacioli/core/testing";
import type { Ledger } from "@pacioli/engine";
import {
  SIM_CURRENCIES,
  SIM_HOLD_IDS,
  SIM_MERCHANT_IDS,
  SIM_ORDER_IDS,
  SIM_WALLET_IDS,
} from "./command-generator.js";

const CHANNELS = ["card", "bank"] as const;
/** History lines compared per wallet: more than any CI run records for one wallet. */
const HISTORY_LIMIT = 1000;

/** JSON with bigints as decimal strings and object keys sorted (spread order is not state). */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === "bigint") return item.toString();
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(
      Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });

/** An account's balance as its holder reads it (positive when it holds what its type says). */
function normal(ledger: Ledger, account: string, currency: string): bigint {
  return (
    ledger
      .accountBalances(account)
      .find((line) => line.account === account && line.currency === currency)?.normal ?? 0n
  );
}

/** The fields of a hold both sides keep (the ledger's state and the model), in one shape. */
interface ObservedHold {
  readonly walletId: string;
  readonly currency: string;
  readonly status: string;
  readonly authorized: bigint;
  readonly captured: bigint;
  readonly released: bigint;
  readonly refunded: bigint;
}

function observeHold(id: string, hold: ObservedHold | undefined): object {
  if (hold === undefined) return { id, exists: false };
  const { walletId, currency, status, authorized, captured, released, refunded } = hold;
  const remaining = authorized - captured - released;
  return { id, walletId, currency, status, authorized, captured, released, refunded, remaining };
}

export function observeLedger(ledger: Ledger): string {
  const state: LedgerState = ledger.currentState;
  const wallets = SIM_WALLET_IDS.map((id) => {
    const wallet = state.wallets.get(id);
    if (wallet === undefined) return { id, exists: false };
    const lines = ledger.walletBalances(id);
    const balances = SIM_CURRENCIES.map((currency) => {
      const line = lines.find((candidate) => candidate.currency === currency);
      return [currency, line?.available ?? 0n, line?.held ?? 0n];
    });
    return { id, status: wallet.status, balances };
  });
  const holds = SIM_HOLD_IDS.map((id) => observeHold(id, state.holds.get(id)));
  const merchants = SIM_MERCHANT_IDS.flatMap((id) =>
    SIM_CURRENCIES.map((currency) => [id, currency, normal(ledger, merchantAccount(id), currency)]),
  );
  const channels = CHANNELS.flatMap((id) =>
    SIM_CURRENCIES.map((currency) => [id, currency, normal(ledger, clearingAccount(id), currency)]),
  );
  const escrow = SIM_ORDER_IDS.flatMap((id) =>
    SIM_CURRENCIES.map((currency) => [id, currency, normal(ledger, escrowAccount(id), currency)]),
  );
  const fees = SIM_CURRENCIES.map((currency) => [
    currency,
    normal(ledger, feeRevenueAccount("checkout"), currency),
  ]);
  return jsonText({ wallets, holds, merchants, channels, escrow, fees });
}

export function observeModel(model: ModelLedger): string {
  const wallets = SIM_WALLET_IDS.map((id) => {
    const wallet = model.wallets.get(id);
    if (wallet === undefined) return { id, exists: false };
    return {
      id,
      status: wallet.status,
      balances: SIM_CURRENCIES.map((currency) => [
        currency,
        wallet.available.get(currency) ?? 0n,
        wallet.held.get(currency) ?? 0n,
      ]),
    };
  });
  const holds = SIM_HOLD_IDS.map((id) => observeHold(id, model.holds.get(id)));
  const merchants = SIM_MERCHANT_IDS.flatMap((id) =>
    SIM_CURRENCIES.map((currency) => [
      id,
      currency,
      model.merchants.get(`${id}|${currency}`) ?? 0n,
    ]),
  );
  const channels = CHANNELS.flatMap((id) =>
    SIM_CURRENCIES.map((currency) => [id, currency, model.channels.get(`${id}|${currency}`) ?? 0n]),
  );
  const escrow = SIM_ORDER_IDS.flatMap((id) => {
    const order = model.checkout.orders.get(id);
    return SIM_CURRENCIES.map((currency) => [
      id,
      currency,
      order?.currency === currency ? order.escrow : 0n,
    ]);
  });
  const fees = SIM_CURRENCIES.map((currency) => [
    currency,
    model.checkout.fees.get(currency) ?? 0n,
  ]);
  return jsonText({ wallets, holds, merchants, channels, escrow, fees });
}

/** The synchronous part of what a reader sees. */
export function describeLedger(ledger: Ledger): string {
  const state = ledger.currentState;
  const holds = [...state.holds.values()]
    .map((hold) => ({ ...hold, refundIds: [...(hold.refundIds ?? [])].sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const wallets = [...state.wallets.values()]
    .map((wallet) => [wallet.id, wallet.status, ledger.walletBalances(wallet.id)])
    .sort();
  return jsonText({
    sequence: ledger.sequence,
    head: ledger.headHash,
    accounts: ledger.accountBalances(""),
    trialBalance: [...ledger.trialBalance()].sort(),
    holds,
    wallets,
  });
}

/** Each wallet's history, newest first: the projection a restart rebuilds. */
export async function describeHistory(ledger: Ledger): Promise<string> {
  const pages = [];
  for (const walletId of SIM_WALLET_IDS)
    pages.push([walletId, await ledger.history(walletId, { limit: HISTORY_LIMIT })]);
  return jsonText(pages);
}

/** Where two descriptions part, with some context: what a failure message shows. */
export function difference(left: string, right: string, context = 300): string {
  let at = 0;
  while (at < left.length && left[at] === right[at]) at += 1;
  const from = Math.max(0, at - context);
  return `first difference at character ${at}:\n    …${left.slice(from, at + context)}…\n    …${right.slice(from, at + context)}…`;
}
