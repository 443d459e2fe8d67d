/**
 * The engine's runtime promises, written once and run on every store (memory, SQLite, both
 * EventStoreDB clients on the gRPC double), each store supplying a fixture.
 *
 * What a ledger on any store must keep: a command is acknowledged only once its events are
 * durable (another connection sees them), concurrent calls share appends, a retried
 * idempotency key gets the original events after a restart, two writers on one stream never
 * double-spend (the exact expected version makes one lose and decide again), a restart from
 * a snapshot equals a full replay, a test clock drives hold expiry, a subscription sees the
 * ledger's events in order, and group commits stay under the store's `maxAppendBytes`. The
 * second connection in each test is a separate one, as another process or an auditor has.
 */
import { afterEach, describe, expect, it } from "vitest";
import { formatTimestamp } from "@pacioli/core";
import {
  auditStream,
  forwardingStore,
  openLedger,
  rangeRoot,
  readJournalLeaves,
  storeAuditSource,
  TestClock,
  type CommandRequestJson,
  type EventStore,
  type ExecuteResult,
  type Ledger,
  type NewEvent,
} from "@pacioli/engine";
import { budgetedAppendBytes } from "./append-limit.js";
import { waitUntil } from "./store-commands.js";
import {
  availableOf,
  deposit,
  openWallet,
  placeHold,
  transfer,
} from "@pacioli/core/testing/requests";

const T0 = Date.UTC(2026, 10, 25, 10);

/** What `ledger.subscribe` delivers (core's RecordedEvent; this package does not depend on core). */
type RecordedEvent = Parameters<Parameters<Ledger["subscribe"]>[1]>[0];
const STREAM = "ledger-main";

/** A fresh store, the first connection to it, and a way to open more connections. */
export interface EngineStoreFixture {
  readonly store: EventStore;
  /** Another connection (its own client, or its own file handle) to the same store. */
  connect(): Promise<EventStore>;
  /** Closes every connection opened through the fixture and removes what it made. */
  close(): Promise<void>;
}

/**
 * Opens a fresh store. With `maxAppendBytes`, the store refuses larger appends and says so in
 * its `maxAppendBytes` (a store without a limit of its own may wrap itself in `withAppendLimit`).
 */
export type OpenEngineStore = (options: {
  readonly maxAppendBytes?: number;
}) => Promise<EngineStoreFixture>;

export interface EngineSuiteOptions {
  /**
   * Bytes the store counts for an append, which must stay within `maxAppendBytes`. Default:
   * the engine's own budget (payload bytes plus `APPEND_EVENT_OVERHEAD_BYTES` per event).
   */
  readonly appendSizeBytes?: (events: readonly NewEvent[]) => number;
}

/** A clean audit of the stream, read through `store`: the independent check of what was written. */
async function expectCleanAudit(store: EventStore): Promise<void> {
  const report = await auditStream(storeAuditSource(store, STREAM));
  expect(report.violations).toEqual([]);
}

/**
 * The store with its appends recorded. A delegating object, not `Object.create(store)`: the
 * adapter keeps its state in `#private` fields, which only the instance itself can reach.
 */
function recordingAppends(store: EventStore): {
  store: EventStore;
  appends: (readonly NewEvent[])[];
} {
  const appends: (readonly NewEvent[])[] = [];
  const recording = forwardingStore(store, {
    append: (stream, events, expectedVersion, options) => {
      appends.push(events);
      return store.append(stream, events, expectedVersion, options);
    },
  });
  return { store: recording, appends };
}

export function engineOnStoreSuite(
  name: string,
  open: OpenEngineStore,
  suiteOptions: EngineSuiteOptions = {},
): void {
  const appendSizeBytes = suiteOptions.appendSizeBytes ?? budgetedAppendBytes;
  describe(`engine on ${name}`, () => {
    let fixture: EngineStoreFixture | null = null;
    const start = async (
      options: { readonly maxAppendBytes?: number } = {},
    ): Promise<EngineStoreFixture> => (fixture = await open(options));
    afterEach(async () => {
      await fixture?.close();
      fixture = null;
    });

    it("acknowledges a command only once another connection sees its events, and a second ledger opens to the same state", async () => {
      const { store, connect } = await start();
      const auditor = await connect();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      const requests = [
        openWallet("a"),
        openWallet("b"),
        deposit("a", "100.00", "USD", "d1"),
        transfer("a", "b", "30.00", "USD", "t1"),
      ];
      for (const request of requests) {
        const result = await ledger.executeWire(request);
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

    it("commits concurrent execute calls in one append per group, each visible to another connection when acknowledged", async () => {
      const started = await start();
      const { store, appends } = recordingAppends(started.store);
      const auditor = await started.connect();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      const late: string[] = [];
      // Acknowledgement only after durability: at the moment execute resolves, a separate
      // connection already sees the events.
      const acknowledge = async (request: CommandRequestJson): Promise<ExecuteResult> => {
        const result = await ledger.executeWire(request);
        const last = result._tag === "Accepted" ? result.events.at(-1)?.sequence : undefined;
        if (last !== undefined && (await auditor.streamVersion(STREAM)) < last)
          late.push(request.idempotencyKey);
        return result;
      };
      const opens = await Promise.all(
        Array.from({ length: 200 }, (_, index) => acknowledge(openWallet(`w${index}`))),
      );
      expect(opens.every((result) => result._tag === "Accepted")).toBe(true);
      expect(appends.map((events) => events.length)).toEqual([200]);
      const deposits = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          acknowledge(deposit(`w${index}`, "10.00", "USD", `dep-${index}`)),
        ),
      );
      expect(deposits.every((result) => result._tag === "Accepted")).toBe(true);
      expect(appends.map((events) => events.length)).toEqual([200, 200]);
      expect(late).toEqual([]);
      expect(await auditor.streamVersion(STREAM)).toBe(400);
    });

    it("returns the original events for a retried idempotency key after a restart on another connection", async () => {
      const { store, connect } = await start();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      await ledger.executeWire(openWallet("w1"));
      const first = await ledger.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
      expect(first).toMatchObject({ _tag: "Accepted", repeated: false });
      const restarted = await openLedger({
        store: await connect(),
        clock: new TestClock(T0 + 1_000),
      });
      const again = await restarted.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
      const reused = await restarted.executeWire(deposit("w1", "11.00", "USD", "dep-1"));
      expect(again).toEqual({ ...first, repeated: true });
      expect(reused).toMatchObject({
        _tag: "Rejected",
        rejection: { _tag: "IdempotencyKeyReused" },
      });
      expect(availableOf(restarted, "w1")).toBe(1_000n);
      expect(await store.streamVersion(STREAM)).toBe(2);
    });

    it("answers a key evicted from the hot set, and after a restart from a snapshot without keys, with the original events; a reused key is still refused", async () => {
      const { store, connect } = await start();
      // Ten commands per batch and a hot set of twenty keys, so most keys leave memory.
      const options = { clock: new TestClock(T0), batchCommandsMax: 10, idempotencyHotSetMax: 20 };
      const ledger = await openLedger({ store, ...options });
      await ledger.executeWire(openWallet("w1"));
      const originals: ExecuteResult[] = [];
      for (let index = 0; index < 50; index += 1)
        originals.push(await ledger.executeWire(deposit("w1", "1.00", "USD", `dep-${index}`)));
      // A store with a key window lets memory hold the bound; one without keeps the whole window.
      if (store.findIdempotency !== undefined)
        expect(ledger.currentState.idempotency.size).toBeLessThanOrEqual(20);
      // A retry of deposit n answers its original result; its key with another amount is refused.
      const expectRetried = async (on: Ledger, n: number): Promise<void> =>
        expect(await on.executeWire(deposit("w1", "1.00", "USD", `dep-${n}`))).toEqual({
          ...originals[n],
          repeated: true,
        });
      const expectReuseRefused = async (on: Ledger, amount: string, n: number): Promise<void> =>
        expect(await on.executeWire(deposit("w1", amount, "USD", `dep-${n}`))).toMatchObject({
          _tag: "Rejected",
          rejection: { _tag: "IdempotencyKeyReused" },
        });
      await expectRetried(ledger, 0);
      await expectReuseRefused(ledger, "1.50", 1);
      await ledger.snapshot();
      const restarted = await openLedger({
        store: await connect(),
        ...options,
        clock: new TestClock(T0 + 1_000),
      });
      await expectRetried(restarted, 2);
      await expectRetried(restarted, 49);
      await expectReuseRefused(restarted, "2.00", 3);
      expect(await store.streamVersion(STREAM)).toBe(51);
      expect(availableOf(restarted, "w1")).toBe(5_000n);
    });

    it("two ledgers on one stream never double-spend: in every race one wins, the other catches up and is refused", async () => {
      const { store, connect } = await start();
      const clock = new TestClock(T0);
      const first = await openLedger({ store, clock });
      for (const wallet of ["a", "b", "c"]) await first.executeWire(openWallet(wallet));
      await first.executeWire(deposit("a", "100.00", "USD", "fund-a"));
      const second = await openLedger({ store: await connect(), clock });
      // Both ledgers believe a holds 100.00 and both try to spend it, 20 × 10.00 between them,
      // in several rounds so that each is stale again after the other's commits.
      const results: ExecuteResult[] = [];
      for (let round = 0; round < 4; round += 1) {
        const sends = Array.from({ length: 5 }, (_, index) => {
          const key = `spend-${round}-${index}`;
          return [
            first.executeWire(transfer("a", "b", "5.00", "USD", `${key}-1`)),
            second.executeWire(transfer("a", "c", "5.00", "USD", `${key}-2`)),
          ];
        }).flat();
        results.push(...(await Promise.all(sends)));
      }
      expect(results.filter((result) => result._tag === "Accepted").length).toBe(20);
      expect(
        results.filter(
          (result) => result._tag === "Rejected" && result.rejection._tag === "InsufficientFunds",
        ).length,
      ).toBe(20);
      const final = await openLedger({ store: await connect(), clock, useSnapshot: false });
      expect([availableOf(final, "a"), availableOf(final, "b"), availableOf(final, "c")]).toEqual([
        0n,
        5_000n,
        5_000n,
      ]);
      await expectCleanAudit(await connect());
    });

    it("keeps the Merkle tree head per append: two writers, a restart from a snapshot and the stored leaves agree", async () => {
      const { store, connect } = await start();
      const clock = new TestClock(T0);
      const first = await openLedger({ store, clock });
      for (const request of [openWallet("a"), openWallet("b"), deposit("a", "100.00", "USD", "d1")])
        await first.executeWire(request);
      expect((await first.treeHead()).size).toBe(3);
      const second = await openLedger({ store: await connect(), clock });
      await second.executeWire(transfer("a", "b", "10.00", "USD", "t-second"));
      // `first` is stale: its append conflicts, it reloads, decides again and folds only what it wrote.
      await Promise.all([
        first.executeWire(transfer("a", "b", "5.00", "USD", "t-first")),
        first.executeWire(deposit("b", "1.00", "USD", "d2")),
      ]);
      await second.executeWire(deposit("a", "2.00", "USD", "d3"));
      await first.snapshot();
      const restarted = await openLedger({ store: await connect(), clock });
      const auditor = await connect();
      const leaves = await readJournalLeaves(auditor, STREAM);
      expect(leaves.size).toBe(first.sequence + 1);
      const expected = rangeRoot(leaves, 0, leaves.size);
      for (const ledger of [first, second, restarted]) {
        const head = await ledger.treeHead();
        expect(head.size).toBe(leaves.size);
        expect(head.root().equals(expected)).toBe(true);
      }
    });

    it("restarts to the same state with and without a snapshot", async () => {
      const { store, connect } = await start();
      const clock = new TestClock(T0);
      const ledger = await openLedger({ store, clock });
      await ledger.executeWire(openWallet("a"));
      await ledger.executeWire(openWallet("b"));
      await ledger.executeWire(deposit("a", "100.00", "USD", "d1"));
      await ledger.snapshot();
      await ledger.executeWire(transfer("a", "b", "30.00", "USD", "t1"));
      expect(await store.readSnapshot(STREAM)).toMatchObject({ stream: STREAM, version: 3 });
      const other = await connect();
      const warnings: string[] = [];
      const withSnapshot = await openLedger({
        store: other,
        clock,
        onWarning: (message) => warnings.push(message),
      });
      const withoutSnapshot = await openLedger({ store: other, clock, useSnapshot: false });
      expect(warnings).toEqual([]);
      // Keys are not part of a snapshot (the window is in the store, ADR 0011): compared apart,
      // by what matters, a retry answered with the original events.
      const withoutKeys = (state: typeof ledger.currentState) => ({
        ...state,
        idempotency: undefined,
      });
      expect(withoutKeys(withSnapshot.currentState)).toEqual(withoutKeys(ledger.currentState));
      expect(withoutSnapshot.currentState).toEqual(ledger.currentState);
      expect(await withSnapshot.executeWire(deposit("a", "100.00", "USD", "d1"))).toMatchObject({
        _tag: "Accepted",
        repeated: true,
        events: [{ sequence: 3 }],
      });
      expect(withSnapshot.headHash).toBe(ledger.headHash);
      expect((await withSnapshot.history("b", { limit: 10 })).lines).toEqual(
        (await ledger.history("b", { limit: 10 })).lines,
      );
    });

    it("expires a hold when the test clock passes its expiry, through runDueWork", async () => {
      const { store, connect } = await start();
      const clock = new TestClock(T0);
      const ledger = await openLedger({ store, clock });
      await ledger.executeWire(openWallet("w1"));
      await ledger.executeWire(deposit("w1", "50.00", "USD", "d1"));
      await ledger.executeWire(placeHold("h1", "w1", "20.00", formatTimestamp(T0 + 60_000)));
      expect(ledger.walletBalances("w1")[0]).toMatchObject({ available: 3_000n, held: 2_000n });
      expect(await ledger.runDueWork()).toEqual([]);
      clock.advance(60_000);
      const [expired] = await ledger.runDueWork();
      expect(expired).toMatchObject({
        _tag: "Accepted",
        events: [{ event: { type: "HoldExpired" } }],
      });
      expect(ledger.walletBalances("w1")[0]).toMatchObject({ available: 5_000n, held: 0n });
      const reopened = await openLedger({ store: await connect(), clock });
      expect(reopened.walletBalances("w1")[0]).toMatchObject({ available: 5_000n, held: 0n });
      expect(await reopened.runDueWork()).toEqual([]);
    });

    it("delivers the ledger's events to a subscription in order, catch-up then live", async () => {
      const { store } = await start();
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      await ledger.executeWire(openWallet("a"));
      await ledger.executeWire(deposit("a", "5.00", "USD", "d1"));
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
        await waitUntil(() => received.length === 2, 10_000);
        await ledger.executeWire(openWallet("b"));
        await Promise.all([
          ledger.executeWire(transfer("a", "b", "1.00", "USD", "t1")),
          ledger.executeWire(transfer("a", "b", "2.00", "USD", "t2")),
        ]);
        await waitUntil(() => received.length === 5, 10_000);
      } finally {
        await subscription.close();
      }
      expect(errors).toEqual([]);
      expect(received.map((recorded) => recorded.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(received.map((recorded) => recorded.event.type)).toEqual([
        "WalletOpened",
        "FundsDeposited",
        "WalletOpened",
        "FundsTransferred",
        "FundsTransferred",
      ]);
      expect([...positions].sort()).toEqual(positions);
    });

    it("splits a burst larger than maxAppendBytes across several appends, each within the limit, and acknowledges all", async () => {
      const maxAppendBytes = 20_000;
      const started = await start({ maxAppendBytes });
      const { store, appends } = recordingAppends(started.store);
      expect(store.maxAppendBytes).toBe(maxAppendBytes);
      const ledger = await openLedger({ store, clock: new TestClock(T0) });
      // 60 commands of about 1 KB each: about 60 KB in total, three times the limit.
      const burst = Array.from({ length: 60 }, (_, index) => ({
        ...openWallet(`w${index}`),
        metadata: { note: `${index}:`.padEnd(500, "x"), more: "y".repeat(500) },
      }));
      const results = await Promise.all(burst.map((request) => ledger.executeWire(request)));
      expect(results.map((result) => result._tag)).toEqual(burst.map(() => "Accepted"));
      const sizes = appends.map(appendSizeBytes);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(3 * maxAppendBytes);
      expect(appends.length).toBeGreaterThanOrEqual(4);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(maxAppendBytes);
      expect(appends.flat().length).toBe(60);
      expect(await started.store.streamVersion(STREAM)).toBe(60);
      const reopened = await openLedger({
        store: await started.connect(),
        clock: new TestClock(T0),
      });
      expect(reopened.currentState).toEqual(ledger.currentState);
    });
  });
}
