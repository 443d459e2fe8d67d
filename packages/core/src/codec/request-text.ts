/**
 * Bounds on the free text a caller attaches to a command request: who sent it (`actor`) and
 * the metadata recorded on its events. Without them a 1 MB actor or 10,000 metadata keys were
 * stored on every event of the command, in every replay and every archive. A request over a
 * bound is `invalid`, naming the field; the issue quotes the size, not the text.
 *
 * These codecs are for requests only: stored events keep decoding with the unbounded
 * `Metadata` and `t.string`, so a ledger written before the bounds still replays.
 * Lengths are in UTF-16 code units (JavaScript's `length`), which is at least the number of
 * characters a person counts.
 */
import * as t from "io-ts";

/** Who sent the command (a service, a person): 1-255 characters. */
export const ACTOR_LENGTH_MAX = 255;
/** Metadata entries on one request. */
export const METADATA_ENTRIES_MAX = 64;
/** One metadata key: 1-64 characters. */
export const METADATA_KEY_LENGTH_MAX = 64;
/** One metadata value: 0-512 characters. */
export const METADATA_VALUE_LENGTH_MAX = 512;

const sizeOf = (text: string): string => `a string of ${text.length} characters`;

export const Actor = new t.Type<string, string, unknown>(
  "Actor",
  (u): u is string => typeof u === "string" && u.length > 0 && u.length <= ACTOR_LENGTH_MAX,
  (u, c) => {
    if (typeof u !== "string")
      return t.failure(u, c, `an actor of 1-${ACTOR_LENGTH_MAX} characters`);
    if (u.length === 0 || u.length > ACTOR_LENGTH_MAX)
      return t.failure(sizeOf(u), c, `an actor of 1-${ACTOR_LENGTH_MAX} characters`);
    return t.success(u);
  },
  t.identity,
);

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/** Metadata on a request: at most 64 string entries, keys 1-64 and values 0-512 characters. */
export const RequestMetadata = new t.Type<Record<string, string>, Record<string, string>, unknown>(
  "RequestMetadata",
  (u): u is Record<string, string> =>
    isPlainObject(u) && Object.values(u).every((value) => typeof value === "string"),
  (u, c) => {
    if (!isPlainObject(u)) return t.failure(u, c, "an object of string keys and string values");
    const keys = Object.keys(u);
    if (keys.length > METADATA_ENTRIES_MAX)
      return t.failure(
        `${keys.length} entries`,
        c,
        `at most ${METADATA_ENTRIES_MAX} metadata entries`,
      );
    const errors: t.ValidationError[] = [];
    for (const key of keys) {
      const value = u[key];
      const at: t.Context = [...c, { key, type: t.string, actual: value }];
      if (key.length === 0 || key.length > METADATA_KEY_LENGTH_MAX)
        errors.push({
          value: sizeOf(key),
          context: at,
          message: `a metadata key of 1-${METADATA_KEY_LENGTH_MAX} characters`,
        });
      else if (typeof value !== "string")
        errors.push({ value, context: at, message: "a string value" });
      else if (value.length > METADATA_VALUE_LENGTH_MAX)
        errors.push({
          value: sizeOf(value),
          context: at,
          message: `a metadata value of at most ${METADATA_VALUE_LENGTH_MAX} characters`,
        });
    }
    return errors.length > 0 ? t.failures(errors) : t.success(u as Record<string, string>);
  },
  t.identity,
);
