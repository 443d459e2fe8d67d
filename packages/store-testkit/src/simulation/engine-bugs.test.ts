/**
 * Minimal reproductions of engine bugs the simulation found (its seeds are in
 * simulation.test.ts, "engine bugs the simulation found"). All three are fixed and run as
 * ordinary tests (each failed on the engine of the morning of 2026-12-03), so a regression
 * shows here first. The store is a `MemoryEventStore` behind a script: an append that waits
 * for a gate, and calls that fail on demand.
 */
import { describe, expect, it } from "vitest";
import {
  auditStream,
  forwardingStore,
  MemoryEventStore,
  openLedger,
  storeAuditSource,
  StoreError,
  TestClock,
  type EventStore,
} from "@pacioli/engine";
import { deposit, openWallet } from "@pacioli/core/testing/requests";

const T0 = 1_790_000_000_000;

/** What a test scripts on the store: failures on demand, and a gate appends wait at. */
interface Script {
  readonly inner: MemoryEventStore;
  failAppends: boolean;
  failReads: boolean;
  /** Whether a held append waits before writing (true) or after, before replying (false). */
  holdBeforeWrite: boolean;
  appendsWaiting: number;
  hold(): void;
  release(): void;
}

/** A memory store whose appends can wait for a gate and whose calls can fail on demand. */
function scriptedStore(): EventStore & Script {
  const inner = new MemoryEventStore();
  let gate: Promise<void> | undefined;
  let openGate: () => void = () => undefined;
  const waitAtGate = async (): Promise<void> => {
    script.appendsWaiting += 1;
    await gate;
    script.appendsWaiting -= 1;
  };
  const read = <T>(call: () => Promise<T>): Promise<T> =>
    script.failReads ? Promise.reject(new StoreError("scripted read failure", true)) : call();
  // The reproductions run the engine with its whole key window in memory: no key lookups.
  const { findIdempotency: _keyLookups, ...port } = forwardingStore(inner, {
    append: async (stream, events, expectedVersion, options) => {
      if (script.holdBeforeWrite) await waitAtGate();
      if (script.failAppends) throw new StoreError("scripted append failure", true);
      const result = await inner.append(stream, events, expectedVersion, options);
      if (!script.holdBeforeWrite) await waitAtGate();
      return result;
    },
    streamVersion: (stream) => read(() => inner.streamVersion(stream)),
    readStream: (stream, options) => read(() => inner.readStream(stream, options)),
    readAll: (after, limit) => read(() => inner.readAll(after, limit)),
    readSnapshot: (stream) => read(() => inner.readSnapshot(stream)),
  });
  const script: EventStore & Script = Object.assign(port, {
    inner,
    failAppends: false,
    failReads: false,
    holdBeforeWrite: true,
    appendsWaiting: 0,
    hold(): void {
      gate = new Promise((resolve) => (openGate = resolve));
    },
    release(): void {
      gate = undefined;
      openGate();
    },
  });
  return script;
}

const turns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe("engine bugs the simulation found (minimal)", () => {
  // Fixed by the snapshot follower (ADR 0012): a snapshot is made from the durable state only.
  it("snapshot-during-batch (fixed): a snapshot taken while a batch's append is in flight holds only durable state and its own head hash", async () => {
    const store = scriptedStore();
    const ledger = await openLedger({ store, clock: new TestClock(T0), snapshotEvery: 0 });
    await ledger.executeWire(openWallet("w1"));
    store.hold();
    const pending = ledger.executeWire(deposit("w1", "10.00", "USD", "d1"));
    await turns(3);
    expect(store.appendsWaiting).toBe(1);
    await ledger.snapshot();
    store.release();
    await pending;
    const report = await auditStream(storeAuditSource(store.inner, ledger.stream));
    expect(report.violations).toEqual([]);
    const warnings: string[] = [];
    await openLedger({ store: store.inner, onWarning: (warning) => warnings.push(warning) });
    expect(warnings).toEqual([]);
  });

  // Fixed: a stale writer reports only what is durable, refuses reads of its state, and
  // serves them again once it has read the store back.
  it("stale-reads (fixed): after an append fails and the reload fails too, no read shows money the store does not hold", async () => {
    const store = scriptedStore();
    const ledger = await openLedger({
      store,
      clock: new TestClock(T0),
      snapshotEvery: 0,
      staleReloadEveryMs: 0,
    });
    await ledger.executeWire(openWallet("w1"));
    store.failAppends = true;
    store.failReads = true;
    await expect(ledger.executeWire(deposit("w1", "10.00", "USD", "d1"))).rejects.toBeInstanceOf(
      StoreError,
    );
    store.failAppends = false;
    store.failReads = false;
    expect(await store.inner.streamVersion(ledger.stream)).toBe(1);
    expect(ledger.sequence).toBe(1);
    expect(() => ledger.walletBalances("w1")).toThrow(StoreError);
    // The next batch reads the store back first, even one that decides nothing.
    expect(await ledger.executeWire({ probe: true })).toMatchObject({ _tag: "Invalid" });
    expect(ledger.walletBalances("w1")).toEqual([]);
  });

  it("BUG history-drift (fixed, ADR 0018): history built on first use reads an append that is written but not yet answered, then the writer folds the same event again", async () => {
    const store = scriptedStore();
    const first = await openLedger({ store, clock: new TestClock(T0), snapshotEvery: 0 });
    await first.executeWire(openWallet("w1"));
    await first.snapshot();
    // A restart from the snapshot: history is built from the stream on first use.
    const ledger = await openLedger({ store, clock: new TestClock(T0), snapshotEvery: 0 });
    store.holdBeforeWrite = false;
    store.hold();
    const pending = ledger.executeWire(deposit("w1", "10.00", "USD", "d1"));
    await turns(3);
    expect(store.appendsWaiting).toBe(1);
    const during = await ledger.history("w1", { limit: 10 });
    store.release();
    await pending;
    const after = await ledger.history("w1", { limit: 10 });
    expect(during.lines.filter((line) => line.type === "FundsDeposited")).toHaveLength(1);
    expect(after.lines.filter((line) => line.type === "FundsDeposited")).toHaveLength(1);
  });
});
