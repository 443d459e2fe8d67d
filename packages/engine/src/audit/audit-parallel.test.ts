/**
 * The audit with worker threads finds exactly what the sequential audit finds: the same
 * violations (check, position, message, order), the same fatal stop, counts, chain head and
 * recomputed balances, on ledgers corrupted at random positions in the ways ADR 0021 lists.
 * The ledger is longer than several worker batches, so corruptions land on both sides of
 * batch boundaries. The workers run the built `dist/` (the test command builds first).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../runtime/clock.js";
import { openLedger } from "../runtime/ledger.js";
import type { NewEvent } from "../store/event-store.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { deposit, openWallet, placeHold, transfer } from "@pacioli/core/testing/requests";
import { storeAuditSource } from "./audit-source.js";
import { auditStream } from "./audit-stream.js";
import { corrupt, corruption } from "./testing/corruptions.js";

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
  for (let index = 0; index < 700; index += 1) {
    requests.push(transfer(`w${index % WALLETS}`, `w${(index * 7 + 3) % WALLETS}`, "0.25"));
  }
  for (const request of requests) await ledger.executeWire(request);
  const stored = await store.readStream(STREAM);
  honest = stored.map(({ eventId, type, payload }) => ({ eventId, type, payload }));
  await ledger.close();
}, 60_000);

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
    expect(honest.length).toBeGreaterThan(2 * 256);
    const { sequential, parallel } = await auditBoth(honest);
    expect(sequential.violations).toEqual([]);
    expect(parallel).toEqual(sequential);
  });

  it("finds the same violations at the same positions on randomly corrupted ledgers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(corruption, { minLength: 1, maxLength: 3 }), async (damages) => {
        const events = damages.reduce((events, damage) => corrupt(events, damage), honest);
        const { sequential, parallel } = await auditBoth(events);
        // A changed byte always shows (hash or layout); a re-hashed forgery or a cut tail
        // may not (a rewritten key or the last event gone): those only have to agree.
        if (damages.some((damage) => damage.kind === "flip"))
          expect(sequential.violations.length).toBeGreaterThan(0);
        expect(parallel).toEqual(sequential);
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
