/**
 * The audit with worker threads finds exactly what the sequential audit finds: the same
 * violations (check, position, message, order), the same fatal stop, counts, chain head and
 * recomputed balances, on ledgers corrupted at random positions in the ways ADR 0021 lists.
 * The ledger is longer than several worker batches, so corruptions land on both sides of
 * batch boundaries. The workers run the built `dist/` (the test command builds first).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH } from "../journal/hash-chain.js";
import { readEnvelope } from "../journal/journal-codec.js";
import { TestClock } from "../runtime/clock.js";
import { openLedger } from "../runtime/ledger.js";
import type { NewEvent } from "../store/event-store.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { deposit, openWallet, placeHold, transfer } from "@pacioli/core/testing/requests";
import { storeAuditSource } from "./audit-source.js";
import { auditStream } from "./audit-stream.js";

const STREAM = "ledger-main";
const WALLETS = 12;

let honest: NewEvent[] = [];

beforeAll(async () => {
  const store = new MemoryEventStore();
  const ledger = await openLedger({ store, clock: new TestClock(Date.UTC(2026, 10, 25, 10)) });
  const requests = [];
  for (let wallet = 0; wallet < WALLETS; wallet += 1) {
    requests.push(openWallet(`w${wallet}`), deposit(`w${wallet}`, "500.00"));
  }
  requests.push(placeHold("h1", "w1", "40.00", "2026-12-01T00:00:00Z"));
  for (let index = 0; index < 1300; index += 1) {
    requests.push(transfer(`w${index % WALLETS}`, `w${(index * 7 + 3) % WALLETS}`, "0.25"));
  }
  for (const request of requests) await ledger.executeWire(request);
  const stored = await store.readStream(STREAM);
  honest = stored.map(({ eventId, type, payload }) => ({ eventId, type, payload }));
  await ledger.close();
}, 60_000);

/** One way a ledger is damaged, at a position taken modulo its length. */
type Corruption =
  | { readonly kind: "flip"; readonly at: number; readonly offset: number; readonly to: string }
  | { readonly kind: "forge"; readonly at: number; readonly offset: number }
  | { readonly kind: "delete" | "swap" | "duplicate"; readonly at: number };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
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
);

function corrupt(events: NewEvent[], damage: Corruption): NewEvent[] {
  const at = damage.at % events.length;
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

async function auditBoth(events: readonly NewEvent[]) {
  const store = new MemoryEventStore();
  await store.append(STREAM, events, 0);
  const [sequential, parallel] = await Promise.all([
    auditStream(storeAuditSource(store, STREAM)),
    auditStream(storeAuditSource(store, STREAM), { workers: 2 }),
  ]);
  const comparable = ({ elapsedMs: _elapsed, ...report }: typeof sequential) => report;
  return { sequential: comparable(sequential), parallel: comparable(parallel) };
}

describe("auditStream with worker threads", () => {
  it("reports an honest ledger of several batches exactly as the sequential audit does", async () => {
    expect(honest.length).toBeGreaterThan(3 * 256);
    const { sequential, parallel } = await auditBoth(honest);
    expect(sequential.violations).toEqual([]);
    expect(parallel).toEqual(sequential);
  });

  it("finds the same violations at the same positions on randomly corrupted ledgers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(corruption, { minLength: 1, maxLength: 3 }), async (damages) => {
        const events = damages.reduce(corrupt, honest);
        const { sequential, parallel } = await auditBoth(events);
        // A changed byte always shows (hash or layout); a re-hashed forgery or a cut tail
        // may not (a rewritten key or the last event gone): those only have to agree.
        if (damages.some((damage) => damage.kind === "flip"))
          expect(sequential.violations.length).toBeGreaterThan(0);
        expect(parallel).toEqual(sequential);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
