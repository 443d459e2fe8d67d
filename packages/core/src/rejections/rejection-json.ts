/**
 * A rejection as it goes on the wire (apply's result lines, an embedding service's replies):
 * amounts as decimal strings of minor units (`"1500"`), times as ISO-8601 strings
 * (`"2026-11-25T10:00:00.000Z"`), as docs/reference/rejections.md promises. In memory both
 * are numbers (bigint minor units, epoch milliseconds); only the edge converts.
 */
import { formatTimestamp } from "../time/timestamp.js";
import type { Rejection, RejectionTag } from "./rejection.js";
import { AssertionFailure } from "../assertion.js";

/**
 * The fields that hold ledger time, in every rejection that has one (`HoldExpired`,
 * `HoldNotExpired`, `QuoteExpired`, `FundingSourceExpired`, `OrderAlreadyShipped`,
 * `ProtectionWindowOpen`, `DisputeWindowClosed`, `PayoutReserveHeld`). No other rejection field has these names,
 * so the name alone says the number is a time (Timestamp is a plain number at the type level).
 */
export const REJECTION_TIME_FIELDS: ReadonlySet<string> = new Set([
  "expiresAt",
  "at",
  "protectionEndsAt",
  "reserveReleasesAt",
]);

export interface RejectionJson {
  readonly _tag: RejectionTag;
  readonly [field: string]: string | number | boolean | null;
}

export function rejectionJson(rejection: Rejection): RejectionJson {
  const json: Record<string, string | number | boolean | null> = {};
  for (const [field, value] of Object.entries(rejection) as [string, unknown][]) {
    if (value === undefined) continue;
    if (typeof value === "bigint") json[field] = value.toString();
    else if (typeof value === "number" && REJECTION_TIME_FIELDS.has(field))
      json[field] = formatTimestamp(value);
    else if (
      typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "boolean" ||
      value === null
    )
      json[field] = value;
    else
      throw new AssertionFailure(`rejection ${rejection._tag} field ${field} is not a wire value`);
  }
  return json as RejectionJson;
}
