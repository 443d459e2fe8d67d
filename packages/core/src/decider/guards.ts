/**
 * Checks shared by many decisions, each returning the rejection or undefined, so decisions
 * read as a list of rules in precedence order.
 */
import type { LedgerState, Wallet } from "../state/ledger-state.js";
import { availableBalance, overdraftLimit } from "../state/wallet-balances.js";
import type { Money } from "../codec/money-codec.js";
import type { Rejection } from "../rejections/rejection.js";

export function checkMoney(state: LedgerState, money: Money): Rejection | undefined {
  if (money.amount <= 0n) return { _tag: "AmountNotPositive", amount: money.amount };
  if (!state.registry.has(money.currency))
    return { _tag: "CurrencyUnknown", currency: money.currency };
  return undefined;
}

/**
 * A limit, cap, fee or threshold: a known currency, then an amount that may be zero but not
 * below (the currency is checked first, unlike `checkMoney`, as documented per command).
 */
export function checkLimitMoney(state: LedgerState, money: Money): Rejection | undefined {
  if (!state.registry.has(money.currency))
    return { _tag: "CurrencyUnknown", currency: money.currency };
  return money.amount < 0n ? { _tag: "AmountNotPositive", amount: money.amount } : undefined;
}

/** Money in `actual` where the rule asks for `expected`. */
export function checkCurrency(expected: string, actual: string): Rejection | undefined {
  return expected === actual ? undefined : { _tag: "CurrencyMismatch", expected, actual };
}

export function findWallet(state: LedgerState, walletId: string): Wallet | Rejection {
  return state.wallets.get(walletId) ?? { _tag: "WalletNotFound", walletId };
}

/** A wallet that exists and that money may enter (`checkCreditable`), in that order. */
export function findCreditableWallet(state: LedgerState, walletId: string): Wallet | Rejection {
  const wallet = findWallet(state, walletId);
  return isRejection(wallet) ? wallet : (checkCreditable(wallet) ?? wallet);
}

/** A wallet that exists and that money may leave (`checkDebitable`), in that order. */
export function findDebitableWallet(state: LedgerState, walletId: string): Wallet | Rejection {
  const wallet = findWallet(state, walletId);
  return isRejection(wallet) ? wallet : (checkDebitable(wallet) ?? wallet);
}

export const isRejection = (value: object): value is Rejection => "_tag" in value;

/** A wallet that new money may leave: open and not frozen. */
export function checkDebitable(wallet: Wallet): Rejection | undefined {
  if (wallet.status === "closed") return { _tag: "WalletClosed", walletId: wallet.id };
  if (wallet.status === "frozen")
    return { _tag: "WalletFrozen", walletId: wallet.id, reason: wallet.frozenReason ?? "" };
  return undefined;
}

/** A wallet that money may enter: anything but closed (refunds reach frozen wallets). */
export function checkCreditable(wallet: Wallet): Rejection | undefined {
  return wallet.status === "closed" ? { _tag: "WalletClosed", walletId: wallet.id } : undefined;
}

export function checkFunds(
  state: LedgerState,
  wallet: Wallet,
  money: Money,
): Rejection | undefined {
  const available = availableBalance(state, wallet, money.currency);
  const limit = overdraftLimit(wallet, money.currency);
  if (available - money.amount >= -limit) return undefined;
  return {
    _tag: "InsufficientFunds",
    walletId: wallet.id,
    currency: money.currency,
    available,
    overdraftLimit: limit,
    requested: money.amount,
  };
}
