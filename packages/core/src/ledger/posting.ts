/**
 * A posting is one leg of an entry: an amount of one currency moved into (debit, positive)
 * or out of (credit, negative) one account. An entry is a list of postings summing to zero
 * in every currency; `entry.ts` checks that.
 */
import type { Account } from "./account.js";

export interface Posting {
  readonly account: Account;
  readonly currency: string;
  /** Signed minor units: positive is a debit, negative a credit. */
  readonly amount: bigint;
}

/**
 * The two postings of a simple entry: `amount` debited to `debited` and credited to
 * `credited`. For a liability such as a wallet, a debit is money leaving the holder and a
 * credit is money reaching it; for an asset such as a clearing account, the reverse.
 */
export function move(
  debited: Account,
  credited: Account,
  currency: string,
  amount: bigint,
): [Posting, Posting] {
  return [
    { account: debited, currency, amount },
    { account: credited, currency, amount: -amount },
  ];
}

export const debit = (account: Account, currency: string, amount: bigint): Posting => ({
  account,
  currency,
  amount,
});
export const credit = (account: Account, currency: string, amount: bigint): Posting => ({
  account,
  currency,
  amount: -amount,
});
