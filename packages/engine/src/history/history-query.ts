/** What the projections share about queries: limits, filters, lookup keys. */
import { HISTORY_PAGE_LIMIT_MAX } from "@pacioli/core";
import type { AccountHistoryLine, AccountHistoryQuery, EventLookup } from "./history-projection.js";

/** The limit a page uses: a positive integer, at most `HISTORY_PAGE_LIMIT_MAX` (larger is cut). */
export function pageLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, HISTORY_PAGE_LIMIT_MAX);
}

export function matchesQuery(
  line: Pick<AccountHistoryLine, "recordedAt" | "type" | "currency">,
  query: AccountHistoryQuery,
): boolean {
  if (query.from !== undefined && line.recordedAt < query.from) return false;
  if (query.to !== undefined && line.recordedAt > query.to) return false;
  if (query.types !== undefined && !query.types.includes(line.type)) return false;
  if (query.currency !== undefined && line.currency !== query.currency) return false;
  return true;
}

/** One text per lookup, for maps and the SQLite `history_lookups` table. */
export function lookupKey(lookup: EventLookup): string {
  if ("idempotencyKey" in lookup) return `k\u0000${lookup.idempotencyKey}`;
  if ("commandId" in lookup) return `c\u0000${lookup.commandId}`;
  return `m\u0000${lookup.metadata.key}\u0000${lookup.metadata.value}`;
}
