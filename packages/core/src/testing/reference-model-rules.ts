/**
 * The reference model's small vocabulary, shared by its three files (core, checkout,
 * treasury): verdicts, bigint maps with a zero default, and the few rules every family
 * checks the same way. Still written apart from the decider: nothing here imports it.
 */
import type { RejectionTag } from "../rejections/rejection.js";
import type { CommandOf } from "../commands/ledger-command.js";
import type { ModelLedger, ModelVerdict, ModelWallet } from "./reference-model.js";

export const accepted: ModelVerdict = { kind: "accepted" };
export const reject = (tag: RejectionTag): ModelVerdict => ({ kind: "rejected", tag });

export const read = (map: ReadonlyMap<string, bigint>, key: string): bigint => map.get(key) ?? 0n;
export const add = (map: Map<string, bigint>, key: string, amount: bigint): void => {
  map.set(key, read(map, key) + amount);
};

/**
 * Opens a hold for the whole amount, nothing captured yet: a plain hold (PlaceHold) or a
 * checkout's (its captures go to the order's escrow). The money is already held by the caller.
 */
export function openHold(
  ledger: ModelLedger,
  command: CommandOf<"PlaceHold"> | CommandOf<"Checkout">,
): void {
  ledger.holds.set(command.holdId, {
    walletId: command.walletId,
    merchantId: command.merchantId,
    currency: command.amount.currency,
    expiresAt: command.expiresAt,
    status: "open",
    authorized: command.amount.amount,
    captured: 0n,
    released: 0n,
    refunded: 0n,
    refundIds: new Set(),
    ...(command.type === "Checkout" ? { orderId: command.orderId } : {}),
  });
}

/** The first rule that breaks, in the order given: the model's precedence. */
export const first = (...rules: (() => RejectionTag | undefined)[]): RejectionTag | undefined => {
  for (const rule of rules) {
    const tag = rule();
    if (tag !== undefined) return tag;
  }
  return undefined;
};

/** Shape of a positive amount: first its sign, then its currency. */
export function moneyRule(
  ledger: ModelLedger,
  money: { currency: string; amount: bigint },
): RejectionTag | undefined {
  if (money.amount <= 0n) return "AmountNotPositive";
  if (!ledger.currencies.has(money.currency)) return "CurrencyUnknown";
  return undefined;
}

/** May new money leave this wallet? */
export function debitRule(wallet: ModelWallet): RejectionTag | undefined {
  if (wallet.status === "closed") return "WalletClosed";
  if (wallet.status === "frozen") return "WalletFrozen";
  return undefined;
}

export function fundsRule(
  wallet: ModelWallet,
  currency: string,
  amount: bigint,
): RejectionTag | undefined {
  return read(wallet.available, currency) - amount < -read(wallet.overdraftLimits, currency)
    ? "InsufficientFunds"
    : undefined;
}
