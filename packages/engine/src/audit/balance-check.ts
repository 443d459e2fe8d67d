/**
 * Double entry (invariant 1): every event's postings sum to zero in each currency (a fact of
 * the event alone, so `unbalancedFinding` runs where the event is prepared, possibly on a
 * worker thread), and the trial balance over all accounts is zero at the end. The balances are folded here from
 * the postings alone, independently of `evolve`, so the other checks and the projection
 * comparison have figures that do not depend on the code under audit.
 */
import {
  applyPostings,
  formatAmount,
  lookupCurrency,
  trialBalance,
  unbalancedCurrencies,
  type Balances,
  type CurrencyRegistry,
  type RecordedEvent,
} from "@pacioli/core";
import type { Findings } from "./audit-report.js";

/** The "balanced" finding of one event (needs no other event): undefined when it balances. */
export function unbalancedFinding(
  registry: CurrencyRegistry,
  recorded: RecordedEvent,
): string | undefined {
  const residual = unbalancedCurrencies(recorded.event.postings);
  if (residual.size === 0) return undefined;
  const detail = [...residual]
    .map(([currency, sum]) => `${currency} ${formatInRegistry(registry, currency, sum)}`)
    .join(", ");
  return `${recorded.event.type} postings do not sum to zero (off by ${detail})`;
}

/** An amount in its currency's decimals, or in minor units for a currency the registry lacks. */
export function formatInRegistry(
  registry: CurrencyRegistry,
  currency: string,
  amount: bigint,
): string {
  const found = lookupCurrency(registry, currency);
  return found._tag === "Right" ? formatAmount(amount, found.right) : `${amount} minor units`;
}

export class BalanceCheck {
  constructor(
    private readonly findings: Findings,
    private readonly registry: CurrencyRegistry,
    /** Folded from the postings alone: empty from nothing, a saved state's to resume. */
    readonly balances: Balances = new Map(),
  ) {}

  /** Reports the event's own finding (`unbalancedFinding`, worked out beforehand) and folds its postings. */
  check(position: number, recorded: RecordedEvent, unbalanced: string | undefined): void {
    if (unbalanced !== undefined) this.findings.add("balanced", position, unbalanced);
    applyPostings(this.balances, recorded.event.postings);
  }

  /** The trial balance of everything read; reports each currency that does not net to zero. */
  finish(position: number): Map<string, bigint> {
    const totals = trialBalance(this.balances);
    for (const [currency, total] of totals) {
      if (total !== 0n)
        this.findings.add(
          "trial-balance",
          position,
          `${currency} accounts sum to ${this.format(currency, total)}, not zero`,
        );
    }
    return totals;
  }

  format(currency: string, amount: bigint): string {
    return formatInRegistry(this.registry, currency, amount);
  }
}
