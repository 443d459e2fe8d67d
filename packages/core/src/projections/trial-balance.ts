/** Balances of every account and the trial balance, read from the state's account balances. */
import { normalBalance, type Account } from "../ledger/account.js";
import { trialBalance } from "../ledger/balances.js";
import type { LedgerState } from "../state/ledger-state.js";

export interface AccountBalance {
  readonly account: Account;
  readonly currency: string;
  /** Signed (debit positive), as the books sum it. */
  readonly balance: bigint;
  /** As the holder reads it: positive when the account holds what its type says. */
  readonly normal: bigint;
}

/** Every non-zero account balance, sorted by account then currency. */
export function accountBalances(state: LedgerState, prefix = ""): AccountBalance[] {
  const rows: AccountBalance[] = [];
  for (const [account, byCurrency] of state.balances) {
    if (!account.startsWith(prefix)) continue;
    for (const [currency, balance] of byCurrency) {
      if (balance !== 0n)
        rows.push({ account, currency, balance, normal: normalBalance(account, balance) });
    }
  }
  return rows.sort((a, b) =>
    a.account === b.account ? compare(a.currency, b.currency) : compare(a.account, b.account),
  );
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Per currency, the sum of every account: all zero when the books balance. */
export function ledgerTrialBalance(state: LedgerState): Map<string, bigint> {
  return trialBalance(state.balances);
}
