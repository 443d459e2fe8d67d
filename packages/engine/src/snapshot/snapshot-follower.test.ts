/**
 * Snapshots off the write path (ADR 0012): the follower's sliced payload is the synchronous
 * one byte for byte, the writer acknowledges commands while a snapshot is being written, and
 * a snapshot taken after another writer appended covers the whole durable stream.
 */
import { describe, expect, it } from "vitest";
import { MemoryEventStore } from "../store/memory-event-store.js";
import type { EventStore, StoredSnapshot } from "../store/event-store.js";
import { TestClock } from "../runtime/clock.js";
import { openLedger } from "../runtime/ledger.js";
import { deposit, openWallet, placeHold, transfer } from "@pacioli/core/testing/requests";
import { makeSnapshot } from "./snapshot.js";
import { makeSnapshotInSlices } from "./sliced-snapshot.js";
import { encodeState } from "./state-codec.js";

const T0 = Date.UTC(2026, 10, 25, 10);

async function busyLedger(store: EventStore = new MemoryEventStore(), snapshotEvery = 0) {
  const ledger = await openLedger({ store, clock: new TestClock(T0), snapshotEvery });
  for (let index = 0; index < 300; index += 1) await ledger.executeWire(openWallet(`w${index}`));
  for (let index = 0; index < 300; index += 1)
    await ledger.executeWire(deposit(`w${index}`, "10.00"));
  await ledger.executeWire(transfer("w1", "w2", "3.00"));
  await ledger.executeWire(placeHold("h1", "w3", "2.00", "2026-11-26T10:00:00Z"));
  return ledger;
}

describe("sliced snapshot", () => {
  it("writes the same payload as the one-piece snapshot, byte for byte", async () => {
    const ledger = await busyLedger();
    const state = ledger.currentState;
    const sliced = await makeSnapshotInSlices("ledger-main", state, ledger.headHash);
    expect(sliced).toEqual(makeSnapshot("ledger-main", state, ledger.headHash));
  });
});

describe("snapshot follower", () => {
  it("acknowledges commands while a snapshot is still being written (the writer never waits for it)", async () => {
    const inner = new MemoryEventStore();
    let release: (() => void) | undefined;
    const writes: number[] = [];
    const slow: EventStore = Object.assign(Object.create(inner) as EventStore, {
      writeSnapshot: async (snapshot: StoredSnapshot): Promise<void> => {
        writes.push(snapshot.version);
        await new Promise<void>((resolve) => (release = resolve));
        await inner.writeSnapshot(snapshot);
      },
    });
    const ledger = await openLedger({
      store: slow,
      clock: new TestClock(T0),
      snapshotEvery: 5,
      snapshotTimeShareMax: 1,
    });
    for (let index = 0; index < 5; index += 1) await ledger.executeWire(openWallet(`w${index}`));
    // A snapshot is due and its write hangs: commands go on being acknowledged meanwhile.
    while (writes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    for (let index = 0; index < 20; index += 1)
      expect((await ledger.executeWire(deposit("w1", "1.00")))._tag).toBe("Accepted");
    expect(ledger.sequence).toBe(25);
    expect(await inner.readSnapshot("ledger-main")).toBeNull();
    release?.();
    await ledger.snapshotsSettled();
    expect(await inner.readSnapshot("ledger-main")).toMatchObject({ version: 5 });
  });

  it("covers what another writer appended, and a restart from it equals a full replay", async () => {
    const store = new MemoryEventStore();
    const first = await busyLedger(store, 100);
    const second = await openLedger({ store, clock: new TestClock(T0) });
    await second.executeWire(deposit("w7", "4.00"));
    await first.executeWire(deposit("w8", "5.00")); // loses the race, reloads, appends
    await first.snapshot();
    expect(await store.readSnapshot("ledger-main")).toMatchObject({ version: first.sequence });
    const warnings: string[] = [];
    const fromSnapshot = await openLedger({
      store,
      clock: new TestClock(T0),
      onWarning: (message) => warnings.push(message),
    });
    const replayed = await openLedger({ store, clock: new TestClock(T0), useSnapshot: false });
    expect(warnings).toEqual([]);
    expect(JSON.stringify(encodeState(fromSnapshot.currentState))).toBe(
      JSON.stringify(encodeState(replayed.currentState)),
    );
    expect(fromSnapshot.headHash).toBe(replayed.headHash);
  });
});
