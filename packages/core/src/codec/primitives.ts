/**
 * io-ts codecs for the scalar values that cross the edges: entity ids, timestamps and
 * free-form metadata. Money lives in `money-codec.ts` because it needs a currency registry.
 */
import * as t from "io-ts";
import {
  formatTimestamp,
  parseTimestamp,
  type Timestamp as TimestampValue,
} from "../time/timestamp.js";

/**
 * Ids of wallets, holds, merchants, orders, ...: 1-64 characters of letters, digits and
 * `_ . -`, starting with a letter or digit. Colons are excluded because ids become
 * segments of account addresses (`liabilities:wallets:{id}:available`).
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * A string codec that accepts the strings `isValid` accepts, as they are, and refuses the
 * rest with `expected` (the words an issue shows the caller).
 */
export function textCodec(
  name: string,
  isValid: (text: string) => boolean,
  expected: string,
): t.Type<string, string, unknown> {
  const is = (u: unknown): u is string => typeof u === "string" && isValid(u);
  return new t.Type<string, string, unknown>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c, expected)),
    t.identity,
  );
}

/** 1-255 printable ASCII characters, as payment APIs accept for idempotency keys. */
export const isPrintableKey = (text: string): boolean => /^[\x21-\x7e]{1,255}$/.test(text);

export const EntityId = textCodec(
  "EntityId",
  (text) => ID_PATTERN.test(text),
  "an id of 1-64 letters, digits, '_', '.', '-'",
);

/** ISO-8601 UTC text on the wire, milliseconds since the epoch in memory. */
export const Timestamp = new t.Type<TimestampValue, string, unknown>(
  "Timestamp",
  (u): u is TimestampValue => typeof u === "number" && Number.isSafeInteger(u),
  (u, c) => {
    if (typeof u !== "string")
      return t.failure(u, c, "an ISO-8601 UTC timestamp such as 2026-11-25T10:00:00.000Z");
    const at = parseTimestamp(u);
    return at === undefined
      ? t.failure(u, c, "an ISO-8601 UTC timestamp such as 2026-11-25T10:00:00.000Z")
      : t.success(at);
  },
  formatTimestamp,
);

/** Free-form string metadata an embedding service attaches to a command (order numbers, ...). */
export const Metadata = t.record(t.string, t.string);
export type Metadata = t.TypeOf<typeof Metadata>;

/** A short human reason (freezes, disputes): 1-500 characters. */
export const Reason = textCodec(
  "Reason",
  (text) => text.length > 0 && text.length <= 500,
  "a reason of 1-500 characters",
);
export type Timestamp = TimestampValue;

/**
 * The optional field of a payment command saying the embedding service completed strong
 * customer authentication (2FA) for it. Payments above the ledger's threshold need it.
 */
export const StrongAuthentication = t.partial({ strongAuthentication: t.boolean });
