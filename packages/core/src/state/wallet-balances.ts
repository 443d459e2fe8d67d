/** A wallet's balances as its holder reads them (positive = the platform owes the wallet). */
import { balanceOf } from "../ledger/balances.js";
import type { LedgerState, Wallet } from "./ledger-state.js";

export const availableBalance = (state: LedgerState, wallet: Wallet, currency: string): bigint =>
  -balanceOf(state.balances, wallet.availableAccount, currency);

export const heldBalance = (state: LedgerState, wallet: Wallet, currency: string): bigint =>
  -balanceOf(state.balances, wallet.heldAccount, currency);

export const overdraftLimit = (wallet: Wallet, currency: string): bigint =>
  wallet.overdraftLimits?.get(currency) ?? 0n;

/** Currencies in which the wallet has any non-zero available or held balance. */
export function nonZeroCurrencies(state: LedgerState, wallet: Wallet): string[] {
  const currencies = new Set<string>();
  for (const account of [wallet.availableAccount, wallet.heldAccount]) {
    for (const [currency, amount] of state.balances.get(account) ?? [])
      if (amount !== 0n) currencies.add(currency);
  }
  return [...currencies];
}

/** A wallet's balance in one currency, as its holder reads it. */
export interface WalletBalance {
  readonly currency: string;
  readonly available: bigint;
  readonly held: bigint;
  readonly total: bigint;
}

/** Available, held and total per currency the wallet has ever held, sorted by currency. */
export function walletBalances(state: LedgerState, walletId: string): WalletBalance[] {
  const wallet = state.wallets.get(walletId);
  if (wallet === undefined) return [];
  const currencies = new Set([
    ...(state.balances.get(wallet.availableAccount)?.keys() ?? []),
    ...(state.balances.get(wallet.heldAccount)?.keys() ?? []),
  ]);
  return [...currencies].sort().map((currency) => {
    const available = availableBalance(state, wallet, currency);
    const held = heldBalance(state, wallet, currency);
    return { currency, available, held, total: available + held };
  });
}
