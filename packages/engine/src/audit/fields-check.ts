/**
 * An event agrees with itself: its own fields (amount, fee, rate, wallet, channel, order…)
 * imply exactly the postings it carries. Balanced postings are not enough: an event whose
 * `amount` was rewritten and its chain recomputed still balances, yet says one thing and
 * books another. Which postings an event's fields imply is domain knowledge, so it lives in
 * core (`impliedPostingDisagreements`); this class only reports it at the event's position.
 */
import {
  impliedPostingDisagreements,
  type CurrencyRegistry,
  type RecordedEvent,
} from "@pacioli/core";
import type { Findings } from "./audit-report.js";

export class FieldsCheck {
  constructor(
    private readonly findings: Findings,
    private readonly registry: CurrencyRegistry,
  ) {}

  check(position: number, recorded: RecordedEvent): void {
    for (const disagreement of impliedPostingDisagreements(this.registry, recorded.event)) {
      this.findings.add("fields", position, `${recorded.event.type}: ${disagreement}`);
    }
  }
}
