/**
 * Minimal reproductions of engine bugs the simulation found (its seeds are in
 * simulation.test.ts, "engine bugs the simulation found"). Skipped until the engine is fixed;
 * each fails on the engine of 2026-12-03. The store is a `MemoryEventStore` behind a script:
 * an append that waits for a gate, and calls that fail on demand.
 */
import { describe, expect, it } from "vitest";
import {
  auditStream,
  MemoryEventStore,
  openLedger,
  storeAuditSource,
  StoreError,
  TestClock,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type NewEvent,
  type Position,
  type ReadAllPage,
  type ReadStreamOptions,
  type StoredEvent,
  type StoredSnapshot,
  type Subscription,
} from "@pacioli/engine";
import { deposit, openWallet } from "@pacioli/core/testing/requests";

const T0 = 1_790_000_000_000;

/** A memory store whose appends can wait for a gate and whose calls can fail on demand. */
class ScriptedStore implements EventStore {
  readonly inner = new MemoryEventStore();
  failAppends = false;
  failReads = false;
  appendsWaiting = 0;
  private gate: Promise<void> | undefined;
  private openGate: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.gate = undefined;
    this.openGate();
  }

  /** Whether a held append waits before writing (true) or after, before replying (false). */
  holdBeforeWrite = true;

  async append(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): Promise<AppendResult> {
    if (this.holdBeforeWrite) await this.waitAtGate();
    if (this.failAppends) throw new StoreError("scripted append failure", true);
    const result = await this.inner.append(stream, events, expectedVersion);
    if (!this.holdBeforeWrite) await this.waitAtGate();
    return result;
  }

  private async waitAtGate(): Promise<void> {
    this.appendsWaiting += 1;
    await this.gate;
    this.appendsWaiting -= 1;
  }

  streamVersion(stream: string): Promise<number> {
    return this.read(() => this.inner.streamVersion(stream));
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]> {
    return this.read(() => this.inner.readStream(stream, options));
  }

  readAll(after: Position | null, limit: number): Promise<ReadAllPage> {
    return this.read(() => this.inner.readAll(after, limit));
  }

  subscribe(after: Position | null, handler: EventHandler): Subscription {
    return this.inner.subscribe(after, handler);
  }

  readSnapshot(stream: string): Promise<StoredSnapshot | null> {
    return this.read(() => this.inner.readSnapshot(stream));
  }

  writeSnapshot(snapshot: StoredSnapshot): Promise<void> {
    return this.inner.writeSnapshot(snapshot);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private read<T>(call: () => Promise<T>): Promise<T> {
    return this.failReads ? Promise.reject(new StoreError("scripted read failure", true)) : call();
  }
}

const turns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe("engine bugs the simulation found (minimal)", () => {
  // Fixed by the snapshot follower (ADR 0012): a snapshot is made from the durable state only.
  it("snapshot-during-batch (fixed): a snapshot taken while a batch's append is in flight holds only durable state and its own head hash", async () => {
    const store = new ScriptedStore();
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
    const store = new ScriptedStore();
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
    const store = new ScriptedStore();
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
