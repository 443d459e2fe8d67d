/**
 * Durability at the engine level: a command is acknowledged only after its append returned,
 * so a store that starts failing loses no acknowledged command, and memory never runs ahead
 * of what the store holds.
 *
 * The store under test wraps a `MemoryEventStore` and, after `appendsOk` successful appends,
 * fails in one of three ways that real stores do:
 * - "before-write": the append is refused and nothing is written (disk full, lock timeout);
 * - "after-write": the events are written but the caller sees an error (a connection that
 *   drops after the commit, the ambiguous case);
 * - "unreadable": appends and reads both fail (the database is gone for a while).
 */
import { describe, expect, it } from "vitest";
import { TestClock } from "./clock.js";
import { openLedger, type Ledger } from "./ledger.js";
import type { ExecuteResult } from "./execute-result.js";
import { decodeEntry } from "../journal/journal-codec.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { StoreError, type EventStore, type StoredSnapshot } from "../store/event-store.js";
import { forwardingStore } from "../store/forwarding-store.js";
import { deposit, openWallet, transfer } from "@pacioli/core/testing/requests";
import type { CommandRequestJson } from "./command-intake.js";

const T0 = Date.UTC(2026, 10, 25, 10);
const STREAM = "ledger-main";

type FailureMode = "before-write" | "after-write" | "unreadable";

interface FailingStore extends EventStore {
  readonly inner: MemoryEventStore;
  /** Appends succeed `appends` more times, then fail as the mode says. */
  failAfter(appends: number): void;
  /** The failure is over: everything succeeds again. */
  healed: boolean;
  /** Whether key lookups fail with the reads (off: only the append and the stream reads fail). */
  lookupsFail: boolean;
}

/** A memory store behind a switch: once armed, fails as told after some more appends. */
function failingStore(mode: FailureMode): FailingStore {
  const inner = new MemoryEventStore();
  let appends = 0;
  let appendsOk = Number.POSITIVE_INFINITY;
  const failing = (): boolean => !store.healed && appends >= appendsOk;
  const readable = (): void => {
    if (failing() && mode === "unreadable") throw new StoreError("injected read failure", true);
  };
  const overrides: Partial<EventStore> = {
    append: async (stream, events, expectedVersion, options) => {
      if (!failing()) {
        const result = await inner.append(stream, events, expectedVersion, options);
        appends += 1;
        return result;
      }
      if (mode === "after-write") await inner.append(stream, events, expectedVersion, options);
      throw new StoreError(`injected ${mode} failure`, true);
    },
    findIdempotency: async (stream, keys) => {
      if (store.lookupsFail) readable();
      return inner.findIdempotency(stream, keys);
    },
    streamVersion: async (stream) => (readable(), inner.streamVersion(stream)),
    readStream: async (stream, options) => (readable(), inner.readStream(stream, options)),
    readAll: async (after, limit) => (readable(), inner.readAll(after, limit)),
    readSnapshot: async (stream) => (readable(), inner.readSnapshot(stream)),
    writeSnapshot: async (snapshot) => (readable(), inner.writeSnapshot(snapshot)),
  };
  const store: FailingStore = Object.assign(forwardingStore(inner, overrides), {
    inner,
    healed: false,
    lookupsFail: true,
    failAfter: (more: number) => {
      appendsOk = appends + more;
    },
  });
  return store;
}

/** How many commands recorded events under each idempotency key, read from the store itself. */
async function commandsByKey(store: EventStore, ledger: Ledger): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const stored of await store.readStream(STREAM)) {
    const { recorded } = decodeEntry(ledger.registry, stored);
    if (recorded.indexInCommand === 0)
      counts.set(recorded.idempotencyKey, (counts.get(recorded.idempotencyKey) ?? 0) + 1);
  }
  return counts;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WALLETS = ["a", "b", "c", "d"];

function randomCommand(random: () => number, key: string): CommandRequestJson {
  const pick = (): string => WALLETS[Math.floor(random() * WALLETS.length)] as string;
  if (random() < 0.3) return deposit(pick(), `${1 + Math.floor(random() * 50)}.00`, "USD", key);
  const from = pick();
  const to =
    WALLETS.find((wallet) => wallet !== from && random() < 0.5) ?? (from === "a" ? "b" : "a");
  return transfer(from, to, `${1 + Math.floor(random() * 30)}.00`, "USD", key);
}

interface Sent {
  readonly request: CommandRequestJson;
  readonly outcome:
    | { readonly _tag: "Resolved"; readonly result: ExecuteResult }
    | { readonly _tag: "Failed"; readonly error: unknown };
}

/** Sends `count` commands in concurrent waves, so failures hit group commits of many commands. */
async function sendWaves(
  ledger: Ledger,
  random: () => number,
  prefix: string,
  count: number,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let index = 0; index < count;) {
    const wave = Array.from(
      { length: Math.min(count - index, 1 + Math.floor(random() * 12)) },
      () => randomCommand(random, `${prefix}-${(index += 1)}`),
    );
    const outcomes = await Promise.all(
      wave.map((request) =>
        ledger.executeWire(request).then(
          (result) => ({ _tag: "Resolved" as const, result }),
          (error: unknown) => ({ _tag: "Failed" as const, error }),
        ),
      ),
    );
    wave.forEach((request, offset) =>
      sent.push({ request, outcome: outcomes[offset] as Sent["outcome"] }),
    );
  }
  return sent;
}

const acknowledged = (sent: Sent): boolean =>
  sent.outcome._tag === "Resolved" && sent.outcome.result._tag === "Accepted";

describe("durability: a store that fails after N appends", () => {
  const modes: FailureMode[] = ["before-write", "after-write", "unreadable"];
  for (const mode of modes) {
    it(`loses no acknowledged command and never runs ahead of the store (${mode})`, async () => {
      for (let seed = 1; seed <= 12; seed += 1) {
        const random = seeded(seed * 7919);
        const store = failingStore(mode);
        const clock = new TestClock(T0);
        const ledger = await openLedger({ store, clock, onWarning: () => undefined });
        for (const wallet of WALLETS)
          await ledger.executeWire(openWallet(wallet, `open-${wallet}`));
        for (const wallet of WALLETS)
          await ledger.executeWire(deposit(wallet, "100.00", "USD", `seed-${wallet}`));
        store.failAfter(Math.floor(random() * 6));

        const sent = await sendWaves(ledger, random, `s${seed}`, 60);
        const failed = sent.filter((item) => item.outcome._tag === "Failed");
        expect(
          failed.length,
          `seed ${seed}: the store must have failed some commands`,
        ).toBeGreaterThan(0);
        for (const item of failed)
          expect(item.outcome).toMatchObject({ error: { name: "StoreError", retryable: true } });

        // Every acknowledged command is in the store exactly once.
        const counts = await commandsByKey(store.inner, ledger);
        for (const item of sent.filter(acknowledged))
          expect(counts.get(item.request.idempotencyKey), item.request.idempotencyKey).toBe(1);
        // Nothing refused by a before-write failure reached the store.
        if (mode === "before-write")
          for (const item of failed) expect(counts.has(item.request.idempotencyKey)).toBe(false);

        // Memory equals the store once it can be read again (an unreadable store heals here).
        store.healed = true;
        const retried = await Promise.all(failed.map((item) => ledger.executeWire(item.request)));
        const reopened = await openLedger({ store: store.inner, clock, useSnapshot: false });
        expect(ledger.sequence).toBe(reopened.sequence);
        expect(ledger.walletBalances("a")).toEqual(reopened.walletBalances("a"));

        // A retry with the same key is decided once: the original events if the failed
        // append had in fact landed (after-write), otherwise decided afresh.
        const after = await commandsByKey(store.inner, ledger);
        retried.forEach((result, index) => {
          const key = (failed[index] as Sent).request.idempotencyKey;
          expect(after.get(key) ?? 0, key).toBe(result._tag === "Accepted" ? 1 : 0);
          // Only a before-write failure is unambiguous: in the other modes the failure can
          // land after the append (the unreadable store fails the read-back), so a retry may
          // be a repeat.
          if (mode === "before-write" && result._tag === "Accepted")
            expect(result.repeated, key).toBe(false);
        });
        for (const count of after.values()) expect(count).toBe(1);
        expect([...reopened.trialBalance().values()].every((sum) => sum === 0n)).toBe(true);
      }
    });
  }

  it("tells the caller the truth about an ambiguous append: the retry returns the events that did land", async () => {
    const store = failingStore("after-write");
    const ledger = await openLedger({ store, clock: new TestClock(T0) });
    await ledger.executeWire(openWallet("a", "open-a"));
    await ledger.executeWire(deposit("a", "10.00", "USD", "dep-1"));
    store.failAfter(0);
    await expect(ledger.executeWire(deposit("a", "5.00", "USD", "dep-2"))).rejects.toBeInstanceOf(
      StoreError,
    );
    // The failed append had written the events: memory reloaded them, and the retry is a repeat.
    expect(ledger.walletBalances("a")[0]?.available).toBe(1500n);
    const retry = await ledger.executeWire(deposit("a", "5.00", "USD", "dep-2"));
    expect(retry).toMatchObject({
      _tag: "Accepted",
      repeated: true,
      events: [{ idempotencyKey: "dep-2", sequence: 3 }],
    });
    expect(ledger.walletBalances("a")[0]?.available).toBe(1500n);
  });

  it("refuses a batch whose keys cannot be looked up, deciding nothing", async () => {
    const store = failingStore("unreadable");
    const ledger = await openLedger({ store, clock: new TestClock(T0) });
    await ledger.executeWire(openWallet("a", "open-a"));
    store.failAfter(0);
    const failing = await Promise.allSettled([
      ledger.executeWire(deposit("a", "1.00")),
      ledger.executeWire(deposit("a", "2.00")),
    ]);
    expect(failing).toEqual([
      expect.objectContaining({ status: "rejected" }),
      expect.objectContaining({ status: "rejected" }),
    ]);
    expect(ledger.sequence).toBe(1);
    store.healed = true;
    expect(await ledger.executeWire(deposit("a", "4.00"))).toMatchObject({
      _tag: "Accepted",
      events: [{ sequence: 2 }],
    });
  });

  it("settles every caller when the store can be neither written nor read, and reloads before deciding again", async () => {
    const store = failingStore("unreadable");
    // The lookup answers, so the batch is decided and its append fails: memory is then stale.
    store.lookupsFail = false;
    const warnings: string[] = [];
    const ledger = await openLedger({
      store,
      clock: new TestClock(T0),
      onWarning: (message) => warnings.push(message),
    });
    await ledger.executeWire(openWallet("a", "open-a"));
    await ledger.executeWire(deposit("a", "10.00", "USD", "dep-1"));
    store.failAfter(0);
    const failing = await Promise.allSettled([
      ledger.executeWire(deposit("a", "1.00")),
      ledger.executeWire(deposit("a", "2.00")),
    ]);
    expect(failing.map((item) => item.status)).toEqual(["rejected", "rejected"]);
    expect(warnings.join("\n")).toMatch(/cannot reload/);
    // Still down: the next batch is refused before anything is decided on stale memory.
    await expect(ledger.executeWire(deposit("a", "3.00"))).rejects.toMatchObject({
      retryable: true,
    });
    store.healed = true;
    expect(await ledger.executeWire(deposit("a", "4.00"))).toMatchObject({
      _tag: "Accepted",
      events: [{ sequence: 3 }],
    });
    expect(ledger.walletBalances("a")[0]?.available).toBe(1400n);
  });

  it("spaces automatic snapshots so they take at most the configured share of the writer's time", async () => {
    const clock = new TestClock(T0);
    const inner = new MemoryEventStore();
    const written: number[] = [];
    // Every snapshot "takes" 100 ms of the clock while it is written.
    const store: EventStore = Object.assign(Object.create(inner) as EventStore, {
      writeSnapshot: async (snapshot: StoredSnapshot): Promise<void> => {
        clock.advance(100);
        written.push(snapshot.version);
        await inner.writeSnapshot(snapshot);
      },
    });
    const ledger = await openLedger({ store, clock, snapshotEvery: 1, snapshotTimeShareMax: 0.2 });
    // The snapshot follows the acknowledgement, off the write path: let it end before the clock moves.
    const send = async (request: CommandRequestJson) => {
      expect((await ledger.executeWire(request))._tag).toBe("Accepted");
      await ledger.snapshotsSettled();
    };
    await send(openWallet("a")); // snapshot at +0 that ends at +100: the next not before +500
    for (let step = 0; step < 3; step += 1) {
      await send(deposit("a", "1.00")); // at +100, +200, +300: too soon
      clock.advance(100);
    }
    expect(written).toEqual([1]);
    clock.advance(100);
    await send(deposit("a", "1.00")); // at +500
    expect(written).toEqual([1, 5]);
    await expect(openLedger({ store, clock, snapshotTimeShareMax: 0 })).rejects.toThrow(RangeError);
  });

  it("acknowledges a durable batch even when the snapshot after it cannot be written", async () => {
    const inner = new MemoryEventStore();
    const store: EventStore = Object.assign(Object.create(inner) as EventStore, {
      writeSnapshot: (): Promise<void> =>
        Promise.reject(new StoreError("snapshot disk full", true)),
    });
    const warnings: string[] = [];
    const ledger = await openLedger({
      store,
      clock: new TestClock(T0),
      snapshotEvery: 1,
      onWarning: (message) => warnings.push(message),
    });
    expect((await ledger.executeWire(openWallet("a")))._tag).toBe("Accepted");
    expect((await ledger.executeWire(deposit("a", "1.00")))._tag).toBe("Accepted");
    await ledger.snapshotsSettled(); // the snapshot is written after the acknowledgement, off the write path
    expect(warnings.join("\n")).toMatch(/cannot write a snapshot/);
    expect(await inner.streamVersion(STREAM)).toBe(2);
  });
});
