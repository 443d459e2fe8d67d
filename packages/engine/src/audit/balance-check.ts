/**
 * Double entry (invariant 1): every event's postings sum to zero in each currency, and the
 * trial balance over all accounts is zero at the end. The balances are folded here from
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

export class BalanceCheck {
  readonly balances: Balances = new Map();

  constructor(
    private readonly findings: Findings,
    private readonly registry: CurrencyRegistry,
  ) {}

  check(position: number, recorded: RecordedEvent): void {
    const postings = recorded.event.postings;
    const residual = unbalancedCurrencies(postings);
    if (residual.size > 0) {
      const detail = [...residual]
        .map(([currency, sum]) => `${currency} ${this.format(currency, sum)}`)
        .join(", ");
      this.findings.add(
        "balanced",
        position,
        `${recorded.event.type} postings do not sum to zero (off by ${detail})`,
      );
    }
    applyPostings(this.balances, postings);
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
    const found = lookupCurrency(this.registry, currency);
    return found._tag === "Right" ? formatAmount(amount, found.right) : `${amount} minor units`;
  }
}
