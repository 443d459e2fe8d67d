import { describe, expect, it } from "vitest";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { deposit, openWallet } from "@pacioli/core/testing/requests";
import { TestClock } from "./clock.js";
import { openLedger } from "./ledger.js";

const T0 = Date.UTC(2026, 11, 3, 12);

describe("when the writer's snapshots are made", () => {
  it("every snapshotEvery events, made by the follower from durable state", async () => {
    const store = new MemoryEventStore();
    const ledger = await openLedger({ store, clock: new TestClock(T0), snapshotEvery: 5 });
    await ledger.executeWire(openWallet("w1"));
    for (let index = 0; index < 3; index += 1) await ledger.executeWire(deposit("w1", "1.00"));
    await ledger.snapshotsSettled();
    expect(await store.readSnapshot(ledger.stream)).toBeNull();
    await ledger.executeWire(deposit("w1", "1.00"));
    await ledger.snapshotsSettled();
    expect((await store.readSnapshot(ledger.stream))?.version).toBe(5);
  });

  it("no more often than the time share allows: after one that took d ms, not for d × (1/share − 1)", async () => {
    const store = new MemoryEventStore();
    const clock = new TestClock(T0);
    // Each snapshot "takes" 100 ms of the test clock: the store's write moves it on.
    const slowStore = Object.assign(Object.create(store) as MemoryEventStore, {
      writeSnapshot: async (snapshot: Parameters<MemoryEventStore["writeSnapshot"]>[0]) => {
        clock.advance(100);
        return store.writeSnapshot(snapshot);
      },
    });
    const ledger = await openLedger({
      store: slowStore,
      clock,
      snapshotEvery: 1,
      snapshotTimeShareMax: 0.5,
    });
    await ledger.executeWire(openWallet("w1"));
    await ledger.snapshotsSettled();
    expect((await store.readSnapshot(ledger.stream))?.version).toBe(1);
    // 100 ms spent at share 0.5: none before 100 ms more of the clock have passed.
    await ledger.executeWire(deposit("w1", "1.00"));
    await ledger.snapshotsSettled();
    expect((await store.readSnapshot(ledger.stream))?.version).toBe(1);
    clock.advance(100);
    await ledger.executeWire(deposit("w1", "1.00"));
    await ledger.snapshotsSettled();
    expect((await store.readSnapshot(ledger.stream))?.version).toBe(3);
  });

  it("never automatically when snapshotEvery is 0", async () => {
    const store = new MemoryEventStore();
    const ledger = await openLedger({ store, clock: new TestClock(T0), snapshotEvery: 0 });
    await ledger.executeWire(openWallet("w1"));
    await ledger.snapshotsSettled();
    expect(await store.readSnapshot(ledger.stream)).toBeNull();
  });
});
