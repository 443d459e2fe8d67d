import { describe, expect, it } from "vitest";
import { forwardingStore } from "../store/forwarding-store.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { StoreError, type EventStore } from "../store/event-store.js";
import { TestClock } from "./clock.js";
import { openLedger } from "./ledger.js";
import type { ExecuteResult } from "./execute-result.js";
import { deposit, openWallet, transfer } from "@pacioli/core/testing/requests";

const T0 = Date.UTC(2026, 10, 25, 10);

async function freshLedger(store: EventStore = new MemoryEventStore(), clock = new TestClock(T0)) {
  return { store, clock, ledger: await openLedger({ store, clock }) };
}

describe("ledger runtime", () => {
  it("acknowledges accepted commands with their recorded events", async () => {
    const { ledger } = await freshLedger();
    const opened = await ledger.executeWire(openWallet("w1"));
    const deposited = await ledger.executeWire(deposit("w1", "25.50"));
    expect(opened._tag).toBe("Accepted");
    expect(deposited).toMatchObject({ _tag: "Accepted", repeated: false });
    expect(ledger.walletBalances("w1")).toEqual([
      { currency: "USD", available: 2550n, held: 0n, total: 2550n },
    ]);
    expect(ledger.sequence).toBe(2);
  });

  it("commits concurrent commands in one group append", async () => {
    const store = new MemoryEventStore();
    let appends = 0;
    const counting = forwardingStore(store, {
      append: (stream, events, expected, options) => {
        appends += 1;
        return store.append(stream, events, expected, options);
      },
    });
    const { ledger } = await freshLedger(counting);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => ledger.executeWire(openWallet(`w${index}`))),
    );
    expect(results.every((result) => result._tag === "Accepted")).toBe(true);
    expect(appends).toBe(1);
    expect(await store.streamVersion("ledger-main")).toBe(50);
  });

  it("rejects bad input with a typed result and changes nothing", async () => {
    const { ledger } = await freshLedger();
    await ledger.executeWire(openWallet("w1"));
    const invalid = await ledger.executeWire({
      idempotencyKey: "x",
      command: {
        type: "DepositFunds",
        walletId: "w1",
        amount: { currency: "USD", amount: 12.5 },
        channel: "card",
      },
    });
    const unknownWallet = await ledger.executeWire(deposit("nobody", "1.00"));
    const tooPrecise = await ledger.executeWire(deposit("w1", "1.001"));
    expect(invalid._tag).toBe("Invalid");
    expect(tooPrecise._tag).toBe("Invalid");
    expect(unknownWallet).toMatchObject({
      _tag: "Rejected",
      rejection: { _tag: "WalletNotFound" },
      retryable: true,
    });
    expect(ledger.sequence).toBe(1);
  });

  it("returns the original events for a retried key, even after a restart", async () => {
    const { ledger, store, clock } = await freshLedger();
    await ledger.executeWire(openWallet("w1"));
    const first = await ledger.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
    const again = await ledger.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
    expect(again).toEqual({ ...first, repeated: true });
    const restarted = await openLedger({ store, clock });
    const afterRestart = await restarted.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
    const reused = await restarted.executeWire(deposit("w1", "11.00", "USD", "dep-1"));
    expect(afterRestart).toEqual({ ...first, repeated: true });
    expect(reused).toMatchObject({ _tag: "Rejected", rejection: { _tag: "IdempotencyKeyReused" } });
    expect(restarted.walletBalances("w1")[0]?.available).toBe(1000n);
  });

  it("keeps every key of a batch in the hot set until its command is decided, also a key it held but oldest", async () => {
    const store = new MemoryEventStore();
    const ledger = await openLedger({
      store,
      clock: new TestClock(T0),
      batchCommandsMax: 8,
      idempotencyHotSetMax: 16,
    });
    await ledger.executeWire(openWallet("w1", "open"));
    const originals: ExecuteResult[] = [];
    for (let index = 0; index < 24; index += 1)
      originals.push(await ledger.executeWire(deposit("w1", "1.00", "USD", `k${index}`)));
    // The hot set holds k8…k23 (k8 oldest). One batch retries k8 and seven keys it no longer holds:
    // looking those up must not evict k8 before its retry is decided.
    const retried = await Promise.all(
      [8, 0, 1, 2, 3, 4, 5, 6].map((index) =>
        ledger.executeWire(deposit("w1", "1.00", "USD", `k${index}`)),
      ),
    );
    expect(retried).toEqual(
      [8, 0, 1, 2, 3, 4, 5, 6].map((index) => ({ ...originals[index], repeated: true })),
    );
    expect(ledger.sequence).toBe(25);
  });

  it("restarts to the same state with and without a snapshot", async () => {
    const { ledger, store, clock } = await freshLedger();
    await ledger.executeWire(openWallet("a"));
    await ledger.executeWire(openWallet("b"));
    await ledger.executeWire(deposit("a", "100.00"));
    await ledger.snapshot();
    await ledger.executeWire(transfer("a", "b", "30.00"));
    const withSnapshot = await openLedger({ store, clock });
    const withoutSnapshot = await openLedger({ store, clock, useSnapshot: false });
    // Keys are not part of a snapshot (the window is in the store, ADR 0011): compared apart.
    const { idempotency: keys, ...decisionState } = ledger.currentState;
    expect({ ...withSnapshot.currentState, idempotency: undefined }).toEqual({
      ...decisionState,
      idempotency: undefined,
    });
    expect(withoutSnapshot.currentState).toEqual(ledger.currentState);
    expect([...withSnapshot.currentState.idempotency.live()].map((entry) => entry.key)).toEqual(
      [...keys.live()].slice(-1).map((entry) => entry.key),
    );
    expect((await withSnapshot.history("b", { limit: 10 })).lines).toEqual(
      (await ledger.history("b", { limit: 10 })).lines,
    );
  });

  it("ignores a snapshot that does not match the stream, with a warning", async () => {
    const { ledger, store, clock } = await freshLedger();
    await ledger.executeWire(openWallet("a"));
    await ledger.executeWire(deposit("a", "5.00"));
    await ledger.snapshot();
    const stored = await store.readSnapshot("ledger-main");
    await store.writeSnapshot({
      ...stored!,
      payload: stored!.payload.replace(/"lastHash":"[0-9a-f]{4}/, '"lastHash":"0000'),
    });
    const warnings: string[] = [];
    const reopened = await openLedger({
      store,
      clock,
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings.join()).toMatch(/ignoring the snapshot/);
    expect(reopened.currentState).toEqual(ledger.currentState);
  });

  it("fails the batch with a retryable error when the store fails, keeping memory equal to the store", async () => {
    const store = new MemoryEventStore();
    let failNext = false;
    const flaky = forwardingStore(store, {
      append: (stream, events, expected, options) => {
        if (failNext) return Promise.reject(new StoreError("disk on fire", true));
        return store.append(stream, events, expected, options);
      },
    });
    const { ledger } = await freshLedger(flaky);
    await ledger.executeWire(openWallet("w1"));
    failNext = true;
    await expect(ledger.executeWire(deposit("w1", "9.00"))).rejects.toMatchObject({
      retryable: true,
    });
    failNext = false;
    expect(ledger.walletBalances("w1")).toEqual([]);
    expect(ledger.sequence).toBe(await store.streamVersion("ledger-main"));
    expect((await ledger.executeWire(deposit("w1", "9.00")))._tag).toBe("Accepted");
  });

  it("two writers on one store never double-spend a wallet", async () => {
    const store = new MemoryEventStore();
    const clock = new TestClock(T0);
    const first = await openLedger({ store, clock });
    await first.executeWire(openWallet("a"));
    await first.executeWire(openWallet("b"));
    await first.executeWire(deposit("a", "10.00"));
    const second = await openLedger({ store, clock });
    const [one, two] = await Promise.all([
      first.executeWire(transfer("a", "b", "8.00")),
      second.executeWire(transfer("a", "b", "8.00")),
    ]);
    const tags = [one._tag, two._tag].sort();
    expect(tags).toEqual(["Accepted", "Rejected"]);
    const final = await openLedger({ store, clock });
    expect(final.walletBalances("a")[0]?.available).toBe(200n);
  });
});
