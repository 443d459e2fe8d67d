/**
 * The timing decorator changes nothing but the metrics: what the engine writes through it
 * (the idempotency records of each append) reaches the store, and what the store can do (its
 * key window, its persisted history projection) stays visible through it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryEventStore, openLedger, TestClock } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { deposit, openWallet } from "@pacioli/store-testkit";
import { serverMetrics } from "./server-metrics.js";
import { timedEventStore } from "./timed-event-store.js";

const metrics = () => serverMetrics(() => Promise.resolve({ sequence: 0, storeVersion: 0 }));

describe("timedEventStore", () => {
  it("writes the idempotency records of the engine's appends to the store", async () => {
    const store = new MemoryEventStore();
    const ledger = await openLedger({
      store: timedEventStore(store, metrics()),
      clock: new TestClock(Date.UTC(2026, 10, 25, 10)),
    });
    await ledger.executeWire(openWallet("w1", "open-w1"));
    await ledger.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
    await ledger.close();
    const records = await store.findIdempotency(ledger.stream, ["open-w1", "dep-1"]);
    expect([...records.keys()].sort()).toEqual(["dep-1", "open-w1"]);
  });

  it("keeps the store's key window and history projection visible, and adds none", async () => {
    const memory = new MemoryEventStore();
    const timedMemory = timedEventStore(memory, metrics());
    expect(timedMemory.findIdempotency).toBeTypeOf("function");
    expect(timedMemory.historyProjection).toBeUndefined();
    const sqlite = await openSqliteEventStore({
      path: join(mkdtempSync(join(tmpdir(), "pacioli-timed-")), "l.db"),
    });
    try {
      const timedSqlite = timedEventStore(sqlite, metrics());
      expect(timedSqlite.findIdempotency).toBeTypeOf("function");
      expect(timedSqlite.historyProjection).toBeTypeOf("function");
    } finally {
      await sqlite.close();
    }
  });
});
