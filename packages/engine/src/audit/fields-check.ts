/**
 * An event agrees with itself: its own fields (amount, fee, rate, wallet, channel, order…)
 * imply exactly the postings it carries. Balanced postings are not enough: an event whose
 * `amount` was rewritten and its chain recomputed still balances, yet says one thing and
 * books another. Which postings an event's fields imply is domain knowledge, so it lives in
 * core (`impliedPostingDisagreements`); here it becomes the audit's findings. A fact of the
 * event alone: it is worked out where the event is prepared (`prepared-event.ts`).
 */
import {
  impliedPostingDisagreements,
  type CurrencyRegistry,
  type RecordedEvent,
} from "@pacioli/core";

export function fieldsFindings(registry: CurrencyRegistry, recorded: RecordedEvent): string[] {
  return impliedPostingDisagreements(registry, recorded.event).map(
    (disagreement) => `${recorded.event.type}: ${disagreement}`,
  );
}
