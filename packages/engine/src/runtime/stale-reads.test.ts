/**
 * A writer whose append failed and whose store cannot be read back may hold the undurable
 * batch in memory: it refuses reads of its state (a retryable StoreError) until it has read
 * the store back — before its next batch, and on a timer of its own when it is quiet.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { StoreError, type EventStore } from "../store/event-store.js";
import { deposit, openWallet } from "@pacioli/core/testing/requests";
import { TestClock } from "./clock.js";
import { openLedger } from "./ledger.js";

const T0 = Date.UTC(2026, 11, 3, 12);

/** A memory store whose appends and stream reads fail while `down`. */
function storeThatGoesDown(): { store: EventStore; setDown: (down: boolean) => void } {
  const inner = new MemoryEventStore();
  let down = false;
  const store = Object.assign(Object.create(inner) as EventStore, {
    append: (...args: Parameters<EventStore["append"]>) =>
      down ? Promise.reject(new StoreError("down", true)) : inner.append(...args),
    readStream: (...args: Parameters<EventStore["readStream"]>) =>
      down ? Promise.reject(new StoreError("down", true)) : inner.readStream(...args),
    readSnapshot: (...args: Parameters<EventStore["readSnapshot"]>) =>
      down ? Promise.reject(new StoreError("down", true)) : inner.readSnapshot(...args),
  });
  return { store, setDown: (value) => (down = value) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a stale writer", () => {
  it("reports the durable sequence and head, and refuses every read of its state", async () => {
    const { store, setDown } = storeThatGoesDown();
    const ledger = await openLedger({ store, clock: new TestClock(T0), staleReloadEveryMs: 0 });
    await ledger.executeWire(openWallet("w1"));
    const head = ledger.headHash;
    setDown(true);
    await expect(ledger.executeWire(deposit("w1", "10.00"))).rejects.toBeInstanceOf(StoreError);
    expect(ledger.sequence).toBe(1);
    expect(ledger.headHash).toBe(head);
    for (const read of [
      () => ledger.walletBalances("w1"),
      () => ledger.accountBalances(),
      () => ledger.trialBalance(),
      () => ledger.currentState,
    ])
      expect(read).toThrow(StoreError);
    await expect(ledger.runDueWork()).rejects.toBeInstanceOf(StoreError);
    // While the store is down, the next batch fails too and changes nothing.
    await expect(ledger.executeWire(deposit("w1", "1.00"))).rejects.toBeInstanceOf(StoreError);
    expect(ledger.sequence).toBe(1);
  });

  it("reads the store back on its own timer once the store is up, with no command sent", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { store, setDown } = storeThatGoesDown();
    const ledger = await openLedger({ store, clock: new TestClock(T0), staleReloadEveryMs: 50 });
    await ledger.executeWire(openWallet("w1"));
    setDown(true);
    await expect(ledger.executeWire(deposit("w1", "10.00"))).rejects.toBeInstanceOf(StoreError);
    await vi.advanceTimersByTimeAsync(50); // still down: tries, fails, arms again
    expect(() => ledger.walletBalances("w1")).toThrow(StoreError);
    setDown(false);
    await vi.advanceTimersByTimeAsync(50);
    await vi.waitFor(() => expect(ledger.walletBalances("w1")).toEqual([]));
    await ledger.close();
  });

  it("refuses a negative or non-finite reload interval when opened", async () => {
    await expect(
      openLedger({ store: new MemoryEventStore(), staleReloadEveryMs: -1 }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
