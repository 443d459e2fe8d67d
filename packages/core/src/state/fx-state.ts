/**
 * What decisions about currency conversion remember: the quotes issued (a quote is a rate
 * the house commits to until it expires, usable for any number of conversions in that
 * window) and the ids of conversions already made.
 *
 * Rates stay the decimal strings they arrived as: the state is plain data (snapshots encode
 * it generically), and every use parses the string again through `money/`.
 */
import type { EventOf } from "../events/ledger-event.js";
import type { Timestamp } from "../time/timestamp.js";
import type { LedgerState } from "./ledger-state.js";

export interface FxQuote {
  readonly id: string;
  readonly sourceCurrency: string;
  readonly targetCurrency: string;
  /** Units of target per unit of source, the spread already in it. */
  readonly rate: string;
  /** A fee on the source amount, posted to `income:fees:fx`. */
  readonly feeBasisPoints: number;
  readonly issuedAt: Timestamp;
  readonly expiresAt: Timestamp;
}

export interface FxState {
  readonly quotes: Map<string, FxQuote>;
  readonly conversionIds: Set<string>;
}

export const initialFxState = (): FxState => ({ quotes: new Map(), conversionIds: new Set() });

export function applyFxEvent(
  state: LedgerState,
  event: EventOf<"FxQuoted" | "CurrencyConverted">,
): void {
  if (event.type === "CurrencyConverted") {
    state.fx.conversionIds.add(event.conversionId);
    return;
  }
  state.fx.quotes.set(event.quoteId, {
    id: event.quoteId,
    sourceCurrency: event.sourceCurrency,
    targetCurrency: event.targetCurrency,
    rate: event.rate,
    feeBasisPoints: event.feeBasisPoints,
    issuedAt: event.issuedAt,
    expiresAt: event.expiresAt,
  });
}
