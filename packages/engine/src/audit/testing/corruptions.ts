/**
 * Ways a stored ledger is damaged, for the audit's property tests: a byte flipped, a digit
 * forged and the whole chain re-hashed (as a forger with write access would), an event
 * deleted, swapped, duplicated, or an earlier command replayed further on (re-hashed).
 */
import fc from "fast-check";
import { chainHash, GENESIS_HASH } from "../../journal/hash-chain.js";
import { readEnvelope } from "../../journal/journal-codec.js";
import type { NewEvent } from "../../store/event-store.js";

/** One way a ledger is damaged, at a position taken modulo its length. */
export type Corruption =
  | { readonly kind: "flip"; readonly at: number; readonly offset: number; readonly to: string }
  | { readonly kind: "forge"; readonly at: number; readonly offset: number }
  | { readonly kind: "delete" | "swap" | "duplicate"; readonly at: number }
  /** An earlier event (`source` modulo `at`) copied to `at`, the chain re-hashed: a replayed command. */
  | { readonly kind: "replay"; readonly at: number; readonly source: number };

export const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    offset: fc.nat(),
    to: fc.constantFrom("0", "9", "a", '"', "}", " ", ","),
  }),
  fc.record({ kind: fc.constant("forge" as const), at: fc.nat(), offset: fc.nat() }),
  fc.record({
    kind: fc.constantFrom("delete" as const, "swap" as const, "duplicate" as const),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constant("replay" as const), at: fc.nat(), source: fc.nat() }),
);

/**
 * The events with one damage done, at `from + damage.at` modulo the events after `from` (so
 * the first `from` events stay as they were, byte for byte).
 */
export function corrupt(events: readonly NewEvent[], damage: Corruption, from = 0): NewEvent[] {
  const at = from + (damage.at % (events.length - from));
  const target = events[at] as NewEvent;
  const copy = [...events];
  switch (damage.kind) {
    case "flip": {
      const offset = damage.offset % target.payload.length;
      copy[at] = { ...target, payload: replaceAt(target.payload, offset, damage.to) };
      return copy;
    }
    case "forge": {
      // A digit of the record changed and the whole chain re-hashed, as a forger would.
      const digits = [...target.payload.matchAll(/[0-9]/g)].filter(
        (match) => (match.index ?? 0) > 166,
      );
      const digit = digits[damage.offset % digits.length];
      if (digit === undefined) return copy;
      const index = digit.index ?? 0;
      const next = digit[0] === "7" ? "3" : "7";
      copy[at] = { ...target, payload: replaceAt(target.payload, index, next) };
      return rechain(copy);
    }
    case "delete":
      copy.splice(at, 1);
      return copy;
    case "swap":
      if (at + 1 < copy.length) [copy[at], copy[at + 1]] = [copy[at + 1] as NewEvent, target];
      return copy;
    case "duplicate":
      copy.splice(at, 0, target);
      return copy;
    case "replay":
      copy.splice(at, 0, copy[damage.source % (at + 1)] as NewEvent);
      return rechain(copy);
  }
}

const replaceAt = (text: string, index: number, character: string): string =>
  `${text.slice(0, index)}${character === text[index] ? "x" : character}${text.slice(index + 1)}`;

/** Every event in the journal layout re-hashed onto the chain before it. */
function rechain(events: readonly NewEvent[]): NewEvent[] {
  let previousHash = GENESIS_HASH;
  return events.map((event) => {
    const envelope = readEnvelope(event.payload);
    if (envelope === undefined) return event;
    const hash = chainHash(previousHash, envelope.recordText);
    const payload = `{"hash":"${hash}","previousHash":"${previousHash}","record":${envelope.recordText}}`;
    previousHash = hash;
    return { ...event, payload };
  });
}
