/**
 * What the model-based run compares after every step, read from both sides in one vocabulary.
 * This is the bridge between the two implementations, not part of the model: the real side
 * reads the ledger's state, the model side turns the reference model's plain numbers into the
 * books the chart of accounts (docs/reference/chart-of-accounts.md) says they are.
 *
 * The books are compared whole: every account and currency with a non-zero balance on either
 * side, so a posting to an account the model does not know about (or a leg it forgot) fails
 * the run as surely as a wrong amount does. Wallet statuses, holds and promotions, which are
 * not balances, are compared beside them.
 */
import type { LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";
import type { ModelLedger } from "./reference-model.js";

type Books = [account: string, currency: string, balance: bigint][];

/** One row per account and currency (summed), zero balances left out, in a stable order. */
function sorted(books: Books): Books {
  const sums = new Map<string, bigint>();
  for (const [account, currency, balance] of books) {
    const key = `${account}|${currency}`;
    sums.set(key, (sums.get(key) ?? 0n) + balance);
  }
  return [...sums.entries()]
    .filter(([, balance]) => balance !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, balance]) => {
      const [account, currency] = key.split("|") as [string, string];
      return [account, currency, balance];
    });
}

const byKey = <T>(map: ReadonlyMap<string, T>): [string, T][] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

/** What both sides say of a hold (the real one, `Hold`, and the model's, `ModelHold`). */
interface ObservedHold {
  readonly walletId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly expiresAt: Timestamp;
  readonly status: string;
  readonly authorized: bigint;
  readonly captured: bigint;
  readonly released: bigint;
  readonly refunded: bigint;
  readonly refundIds: ReadonlySet<string> | undefined;
}

const observeHold = ([id, hold]: [string, ObservedHold]) => ({
  id,
  walletId: hold.walletId,
  merchantId: hold.merchantId,
  currency: hold.currency,
  expiresAt: hold.expiresAt,
  status: hold.status,
  authorized: hold.authorized,
  captured: hold.captured,
  released: hold.released,
  refunded: hold.refunded,
  refunds: [...(hold.refundIds ?? [])].sort(),
});

export interface Observation {
  readonly wallets: unknown;
  readonly holds: unknown;
  readonly promotions: unknown;
  readonly books: Books;
}

export function observeReal(state: LedgerState): Observation {
  const books: Books = [];
  for (const [account, byCurrency] of state.balances)
    for (const [currency, balance] of byCurrency) books.push([account, currency, balance]);
  return {
    wallets: byKey(state.wallets).map(([id, wallet]) => [id, wallet.status]),
    holds: byKey(state.holds).map(observeHold),
    promotions: byKey(state.promotions).map(([id, p]) => [id, p.currency, p.budget, p.spent]),
    books: sorted(books),
  };
}

/** A model amount the holder is owed, as the credit (negative) balance of its liability account. */
const owed = (amount: bigint): bigint => -amount;

function modelBooks(model: ModelLedger): Books {
  const books: Books = [];
  const keyed = (prefix: string, map: ReadonlyMap<string, bigint>, sign: 1n | -1n) => {
    for (const [key, amount] of map) {
      const [id, currency] = key.split("|") as [string, string];
      books.push([`${prefix}${id}`, currency, sign * amount]);
    }
  };
  for (const [id, wallet] of model.wallets) {
    for (const [currency, amount] of wallet.available)
      books.push([`liabilities:wallets:${id}:available`, currency, owed(amount)]);
    for (const [currency, amount] of wallet.held)
      books.push([`liabilities:wallets:${id}:held`, currency, owed(amount)]);
  }
  keyed("liabilities:merchants:", model.merchants, -1n);
  keyed("liabilities:reserves:", model.payouts.reserves, -1n);
  keyed("assets:clearing:", model.channels, 1n);
  for (const [id, order] of model.checkout.orders)
    books.push([`liabilities:escrow:${id}`, order.currency, owed(order.escrow)]);
  for (const [currency, amount] of model.checkout.fees)
    books.push(["income:fees:checkout", currency, owed(amount)]);
  for (const [currency, amount] of model.payouts.fees)
    books.push(["income:fees:payout", currency, owed(amount)]);
  for (const [currency, amount] of model.treasury.fxFees)
    books.push(["income:fees:fx", currency, owed(amount)]);
  for (const [currency, amount] of model.treasury.fxLiquidity)
    books.push([`assets:fx-liquidity:${currency}`, currency, amount]);
  for (const [id, promotion] of model.checkout.promotions)
    books.push([`expenses:promotions:${id}`, promotion.currency, promotion.spent]);
  // Adjustments' other accounts and the bank accounts settlements fill: already signed.
  for (const [key, amount] of model.payouts.others) {
    const [account, currency] = key.split("|") as [string, string];
    books.push([account, currency, amount]);
  }
  return books;
}

export function observeModel(model: ModelLedger): Observation {
  return {
    wallets: byKey(model.wallets).map(([id, wallet]) => [id, wallet.status]),
    holds: byKey(model.holds).map(observeHold),
    promotions: byKey(model.checkout.promotions).map(([id, p]) => [
      id,
      p.currency,
      p.budget,
      p.spent,
    ]),
    books: sorted(modelBooks(model)),
  };
}
