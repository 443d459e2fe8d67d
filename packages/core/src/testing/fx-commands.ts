/** Command builders for FX stories in tests: quotes that live one minute from T0. */
import type { LedgerCommand } from "../commands/ledger-command.js";
import { T0 } from "./given-when-then.js";

export const QUOTE_EXPIRES_AT = T0 + 60_000;

/** A quote of `rate` target units per source unit, with a fee of `feeBasisPoints` (none by default). */
export const quoteFx = (
  quoteId: string,
  sourceCurrency: string,
  targetCurrency: string,
  rate: string,
  feeBasisPoints = 0,
): LedgerCommand => ({
  type: "QuoteFx",
  quoteId,
  sourceCurrency,
  targetCurrency,
  rate,
  feeBasisPoints,
  expiresAt: QUOTE_EXPIRES_AT,
});
