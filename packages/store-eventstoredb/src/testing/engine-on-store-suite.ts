/**
 * The engine's runtime promises checked on this store over the gRPC test double, written once
 * and run for each client package (each in its own test file: the two clients cannot share a
 * process, see client-api.ts).
 *
 * What a ledger on EventStoreDB must keep: a command is acknowledged only once its events are
 * on the server (another connection sees them), concurrent calls share appends, a retried
 * idempotency key gets the original events after a restart, two writers on one stream never
 * double-spend (the exact expected revision makes one lose and decide again), snapshots go to
 * `<stream>-snapshots` and a restart from one equals a full replay, a test clock drives hold
 * expiry, a subscription sees the ledger's events in order, and group commits stay under the
 * store's `maxAppendBytes`. The second connection in each test is a separate client, as
 * another process or an auditor would have.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openLedger, TestClock, type EventStore, type Ledger, type NewEvent } from "@pacioli/engine";
import { availableOf, deposit, openWallet, placeHold, transfer } from "@pacioli/store-testkit";
import { appendSizeBytes } from "../append-size.js";
import type { EventStoreDbDouble } from "../test-double/index.js";

const T0 = Date.UTC(2026, 10, 25, 10);

/** What `ledger.subscribe` delivers (core's RecordedEvent; this package does not depend on core). */
type RecordedEvent = Parameters<Parameters<Ledger["subscribe"]>[1]>[0];
const STREAM = "ledger-main";

/** One double, the first connection to it, and a way to open more connections. */
export interface StoreOnDoubleFixture {
  readonly store: EventStore;
  readonly double: EventStoreDbDouble;
  /** Another connection (its own client) to the same double. */
  connect(): Promise<EventStore>;
  /** Closes every connection opened through the fixture, then stops the double. */
  close(): Promise<void>;
}

export type OpenStoreOnDouble = (options: { readonly maxAppendBytes?: number }) => Promise<StoreOnDoubleFixture>;

/**
 * The store with its appends recorded. A delegating object, not `Object.create(store)`: the
 * adapter keeps its state in `#private` fields, which only the instance itself can reach.
 */
function recordingAppends(store: EventStore): { store: EventStore; appends: (readonly NewEvent[])[] } {
  const appends: (readonly NewEvent[])[] = [];
  const recording: EventStore = {
    append: (stream, events, expectedVersion) => {
      appends.push(events);
      return store.append(stream, events, expectedVersion);
    },
    streamVersion: (stream) => store.streamVersion(stream),
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (after, limit) => store.readAll(after, limit),
    subscribe: (after, handler, options) => store.subscribe(after, handler, options),
    readSnapshot: (stream) => store.readSnapshot(stream),
    writeSnapshot: (snapshot) => store.writeSnapshot(snapshot),
    close: () => store.close(),
    ...(store.maxAppendBytes === undefined ? {} : { maxAppendBytes: store.maxAppendBytes }),
  };
  return { store: recording, appends };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function engineOnStoreSuite(name: string, open: OpenStoreOnDouble): void {
  describe(`engine on ${name}`, () => {
    let fixture: StoreOnDoubleFixture | null = null;
    const start = async (options: { readonly maxAppendBytes?: number } = {}): Promise<StoreOnDoubleFixture> => (fixture = await open(options));
    afterEach(async () => {
      await fixture?.close();
      fixture = null;
    });

    it("acknowledges a command only once another connection sees its events, and a second ledger opens to the same state", async () => {
      const { store, connect } = await start();
      const auditor = await connect();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      const requests = [openWallet("a"), openWallet("b"), deposit("a", "100.00", "d1"), transfer("a", "b", "30.00", "t1")];
      for (const request of requests) {
        const result = await ledger.execute(request);
        expect(result._tag).toBe("Accepted");
        // Acknowledged means durable: the server already has it for any other client.
        expect(await auditor.streamVersion(STREAM)).toBe(ledger.sequence);
      }
      const second = await openLedger({ store: auditor, clock: new TestClock(T0) });
      expect(second.currentState).toEqual(ledger.currentState);
      expect(second.headHash).toBe(ledger.headHash);
      expect(availableOf(second, "a")).toBe(7_000n);
      expect(availableOf(second, "b")).toBe(3_000n);
    });

    it("commits concurrent execute calls in one group append", async () => {
      const started = await start();
      const { store, appends } = recordingAppends(started.store);
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => ledger.execute(openWallet(`w${index}`))));
      expect(results.every((result) => result._tag === "Accepted")).toBe(true);
      expect(appends.map((events) => events.length)).toEqual([50]);
      expect(await started.store.streamVersion(STREAM)).toBe(50);
    });

    it("returns the original events for a retried idempotency key after a restart on another connection", async () => {
      const { store, connect } = await start();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      await ledger.execute(openWallet("w1"));
      const first = await ledger.execute(deposit("w1", "10.00", "dep-1"));
      expect(first).toMatchObject({ _tag: "Accepted", repeated: false });
      const restarted = await openLedger({ store: await connect(), clock: new TestClock(T0 + 1_000) });
      const again = await restarted.execute(deposit("w1", "10.00", "dep-1"));
      const reused = await restarted.execute(deposit("w1", "11.00", "dep-1"));
      expect(again).toEqual({ ...first, repeated: true });
      expect(reused).toMatchObject({ _tag: "Rejected", rejection: { _tag: "IdempotencyKeyReused" } });
      expect(availableOf(restarted, "w1")).toBe(1_000n);
      expect(await store.streamVersion(STREAM)).toBe(2);
    });

    it("two ledgers on one stream never double-spend: one wins, the other catches up and is rejected", async () => {
      const { store, connect } = await start();
      const clock = new TestClock(T0);
      const first = await openLedger({ store, clock });
      await first.execute(openWallet("a"));
      await first.execute(openWallet("b"));
      await first.execute(deposit("a", "10.00", "d1"));
      const second = await openLedger({ store: await connect(), clock });
      // Both decide against version 3; the server takes one append, the other conflicts.
      const [one, two] = await Promise.all([first.execute(transfer("a", "b", "8.00", "x1")), second.execute(transfer("a", "b", "8.00", "x2"))]);
      expect([one._tag, two._tag].sort()).toEqual(["Accepted", "Rejected"]);
      const rejected = one._tag === "Rejected" ? one : two;
      expect(rejected).toMatchObject({ rejection: { _tag: "InsufficientFunds" } });
      const final = await openLedger({ store: await connect(), clock });
      expect(final.sequence).toBe(4);
      expect(availableOf(final, "a")).toBe(200n);
      expect(availableOf(final, "b")).toBe(800n);
      // The winner's memory equals the store; the loser caught up to it.
      expect(first.currentState).toEqual(final.currentState);
      expect(second.currentState).toEqual(final.currentState);
    });

    it("restarts to the same state with and without a snapshot, kept in the -snapshots stream", async () => {
      const { store, double, connect } = await start();
      const clock = new TestClock(T0);
      const ledger = await openLedger({ store, clock });
      await ledger.execute(openWallet("a"));
      await ledger.execute(openWallet("b"));
      await ledger.execute(deposit("a", "100.00", "d1"));
      await ledger.snapshot();
      await ledger.execute(transfer("a", "b", "30.00", "t1"));
      expect(double.log.visibleStream(`${STREAM}-snapshots`)?.length).toBe(1);
      expect(await store.readSnapshot(STREAM)).toMatchObject({ stream: STREAM, version: 3 });
      const other = await connect();
      const warnings: string[] = [];
      const withSnapshot = await openLedger({ store: other, clock, onWarning: (message) => warnings.push(message) });
      const withoutSnapshot = await openLedger({ store: other, clock, useSnapshot: false });
      expect(warnings).toEqual([]);
      expect(withSnapshot.currentState).toEqual(ledger.currentState);
      expect(withoutSnapshot.currentState).toEqual(ledger.currentState);
      expect(withSnapshot.headHash).toBe(ledger.headHash);
      expect((await withSnapshot.history("b", { limit: 10 })).lines).toEqual((await ledger.history("b", { limit: 10 })).lines);
    });

    it("expires a hold when the test clock passes its expiry, through runDueWork", async () => {
      const { store, connect } = await start();
      const clock = new TestClock(T0);
      const ledger = await openLedger({ store, clock });
      await ledger.execute(openWallet("w1"));
      await ledger.execute(deposit("w1", "50.00", "d1"));
      await ledger.execute(placeHold("h1", "w1", "20.00", T0 + 60_000));
      expect(ledger.walletBalances("w1")[0]).toMatchObject({ available: 3_000n, held: 2_000n });
      expect(await ledger.runDueWork()).toEqual([]);
      clock.advance(60_000);
      const [expired] = await ledger.runDueWork();
      expect(expired).toMatchObject({ _tag: "Accepted", events: [{ event: { type: "HoldExpired" } }] });
      expect(ledger.walletBalances("w1")[0]).toMatchObject({ available: 5_000n, held: 0n });
      const reopened = await openLedger({ store: await connect(), clock });
      expect(reopened.walletBalances("w1")[0]).toMatchObject({ available: 5_000n, held: 0n });
      expect(await reopened.runDueWork()).toEqual([]);
    });

    it("delivers the ledger's events to a subscription in order, catch-up then live", async () => {
      const { store } = await start();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      await ledger.execute(openWallet("a"));
      await ledger.execute(deposit("a", "5.00", "d1"));
      const received: RecordedEvent[] = [];
      const positions: string[] = [];
      const errors: unknown[] = [];
      const subscription = ledger.subscribe(
        null,
        (recorded, position) => {
          received.push(recorded);
          positions.push(position);
        },
        (error) => errors.push(error),
      );
      try {
        await waitFor(() => received.length === 2);
        await ledger.execute(openWallet("b"));
        await Promise.all([ledger.execute(transfer("a", "b", "1.00", "t1")), ledger.execute(transfer("a", "b", "2.00", "t2"))]);
        await waitFor(() => received.length === 5);
      } finally {
        await subscription.close();
      }
      expect(errors).toEqual([]);
      expect(received.map((recorded) => recorded.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(received.map((recorded) => recorded.event.type)).toEqual(["WalletOpened", "FundsDeposited", "WalletOpened", "FundsTransferred", "FundsTransferred"]);
      expect([...positions].sort()).toEqual(positions);
    });

    it("splits a burst larger than maxAppendBytes across several appends, each within the limit, and acknowledges all", async () => {
      const maxAppendBytes = 20_000;
      const started = await start({ maxAppendBytes });
      const { store, appends } = recordingAppends(started.store);
      expect(store.maxAppendBytes).toBe(maxAppendBytes);
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      // 60 commands of about 1 KB each: about 60 KB in total, three times the limit.
      const burst = Array.from({ length: 60 }, (_, index) => ({ ...openWallet(`w${index}`), metadata: { note: `${index}:`.padEnd(1_000, "x") } }));
      const results = await Promise.all(burst.map((request) => ledger.execute(request)));
      expect(results.map((result) => result._tag)).toEqual(burst.map(() => "Accepted"));
      const sizes = appends.map(appendSizeBytes);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(3 * maxAppendBytes);
      expect(appends.length).toBeGreaterThanOrEqual(4);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(maxAppendBytes);
      expect(appends.flat().length).toBe(60);
      expect(await started.store.streamVersion(STREAM)).toBe(60);
      const reopened = await openLedger({ store: await started.connect(), clock: new TestClock(T0) });
      expect(reopened.currentState).toEqual(ledger.currentState);
    });
  });
}
