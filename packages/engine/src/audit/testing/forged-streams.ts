/**
 * Streams for the audit's tests on forged events: the events a story of requests records, and
 * a store holding any list of events under a freshly computed, intact hash chain (re-hashed
 * after an edit, as a forger with write access would), so only the domain checks can find
 * what was changed.
 */
import { expect } from "vitest";
import { iso4217, type RecordedEvent } from "@pacioli/core";
import { decodeEntry, encodeEntry } from "../../journal/journal-codec.js";
import { GENESIS_HASH } from "../../journal/hash-chain.js";
import { TestClock } from "../../runtime/clock.js";
import { openLedger } from "../../runtime/ledger.js";
import { MemoryEventStore } from "../../store/memory-event-store.js";

export const STREAM = "ledger-main";
export const T0 = Date.UTC(2026, 10, 25, 10);

/** The events the requests record on a new ledger at T0; each request must be accepted. */
export async function recordedStory(requests: readonly unknown[]): Promise<RecordedEvent[]> {
  const store = new MemoryEventStore();
  const ledger = await openLedger({ store, clock: new TestClock(T0) });
  for (const request of requests) expect((await ledger.executeWire(request))._tag).toBe("Accepted");
  const stored = await store.readStream(STREAM);
  return stored.map((event) => decodeEntry(iso4217, event).recorded);
}

/** Stores the events with a freshly computed, intact hash chain. */
export async function chained(events: readonly RecordedEvent[]): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  let hash = GENESIS_HASH;
  const encoded = events.map((recorded) => {
    const { entry, newEvent } = encodeEntry(iso4217, recorded, hash);
    hash = entry.hash;
    return newEvent;
  });
  expect((await store.append(STREAM, encoded, 0))._tag).toBe("Appended");
  return store;
}
