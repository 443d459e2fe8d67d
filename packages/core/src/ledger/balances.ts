/**
 * Account balances: signed minor units per account and currency, the fold of every posting.
 * Mutable on purpose: the single writer owns it and updates it in place on every event,
 * which is what keeps evolve allocation-free on the hot path.
 */
import type { Account } from "./account.js";
import type { Posting } from "./posting.js";

export type Balances = Map<Account, Map<string, bigint>>;

export function balanceOf(balances: Balances, account: Account, currency: string): bigint {
  return balances.get(account)?.get(currency) ?? 0n;
}

export function applyPostings(balances: Balances, postings: readonly Posting[]): void {
  for (const posting of postings) {
    let byCurrency = balances.get(posting.account);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      balances.set(posting.account, byCurrency);
    }
    byCurrency.set(posting.currency, (byCurrency.get(posting.currency) ?? 0n) + posting.amount);
  }
}

/** Sum of every account per currency: zero in every currency when the books balance. */
export function trialBalance(balances: Balances): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const byCurrency of balances.values()) {
    for (const [currency, amount] of byCurrency)
      totals.set(currency, (totals.get(currency) ?? 0n) + amount);
  }
  return totals;
}
