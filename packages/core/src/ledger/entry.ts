/**
 * Balance checks for entries: the first invariant of the ledger. `unbalancedCurrencies`
 * is the check the decider runs before emitting an event; `assertBalanced` is the
 * assertion evolve runs on every event it folds (a failure there is a bug, not input).
 */
import type { Posting } from "./posting.js";
import { AssertionFailure } from "../assertion.js";

/** Currencies whose postings do not sum to zero, with the residual (empty when balanced). */
export function unbalancedCurrencies(postings: readonly Posting[]): ReadonlyMap<string, bigint> {
  // Fast path for the common two-leg entry: no map allocation.
  if (postings.length === 2) {
    const first = postings[0] as Posting;
    const second = postings[1] as Posting;
    if (first.currency === second.currency && first.amount + second.amount === 0n) return EMPTY;
  }
  const sums = new Map<string, bigint>();
  for (const posting of postings)
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + posting.amount);
  for (const [currency, sum] of sums) if (sum === 0n) sums.delete(currency);
  return sums;
}

const EMPTY: ReadonlyMap<string, bigint> = new Map();

export function isBalanced(postings: readonly Posting[]): boolean {
  return unbalancedCurrencies(postings).size === 0;
}

export function assertBalanced(postings: readonly Posting[], what: string): void {
  const residual = unbalancedCurrencies(postings);
  if (residual.size > 0) {
    const detail = [...residual].map(([currency, sum]) => `${currency} ${sum}`).join(", ");
    throw new AssertionFailure(`${what} does not balance (${detail})`);
  }
}
