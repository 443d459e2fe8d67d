/**
 * The engine on its default store, beyond the suite every store runs
 * (engine-suite-on-sqlite.test.ts): the same request decided by two engines at one version,
 * restarts of a longer ledger, the clock across engines, and idempotency over 24 h of ledger
 * time, on a real SQLite file with a second connection standing in for another process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatTimestamp, MILLISECONDS_PER_HOUR } from "@pacioli/core";
import { encodeState, openLedger, TestClock, type CommandRequestJson } from "@pacioli/engine";
import { merchantSale } from "@pacioli/core/testing/requests";
import { availableOf, deposit, openWallet, placeHold } from "@pacioli/store-testkit";
import { openSqliteEventStore, type SqliteEventStore } from "./sqlite-event-store.js";
import { crashCommand } from "./testing/crash-workload.js";
import { verifyLedger } from "./testing/verify-ledger.js";

const T0 = Date.UTC(2026, 10, 25, 10);
const STREAM = "ledger-main";

let dir = "";
let path = "";
const opened: SqliteEventStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pacioli-engine-sqlite-"));
  path = join(dir, "ledger.db");
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A connection of its own, as another process (or an auditor) would have. */
async function connect(): Promise<SqliteEventStore> {
  const store = await openSqliteEventStore({ path });
  opened.push(store);
  return store;
}

describe("engine on SQLite", () => {
  it("two engines deciding the same request at the same version: one records it, the other answers with its events", async () => {
    // The request is retried on another instance (a client timed out), whose clock differs.
    // Both decide it at version 2 and produce the same event ids; the store takes the second
    // append for a retry of the first. The second engine must not keep its own version of
    // the events (another recordedAt, another hash) as if they were the stored ones.
    const first = await openLedger({ store: await connect(), clock: new TestClock(T0) });
    await first.executeWire(openWallet("a"));
    await first.executeWire(deposit("a", "10.00", "USD", "fund"));
    const second = await openLedger({ store: await connect(), clock: new TestClock(T0 + 1_000) });
    const [one, two] = await Promise.all([
      first.executeWire(deposit("a", "1.00", "USD", "same")),
      second.executeWire(deposit("a", "1.00", "USD", "same")),
    ]);
    expect(one).toMatchObject({ _tag: "Accepted", repeated: false });
    expect(two).toEqual({ ...one, repeated: true });
    // (The second may have found the key in the store before deciding, and answered without
    // folding the first's events: it catches up on its next append.)
    // The loser goes on writing on top of the stored chain, not on top of its own guess.
    await second.executeWire(deposit("a", "2.00", "USD", "next"));
    expect(second.headHash).toBe((await openLedger({ store: await connect() })).headHash);
    const verified = await verifyLedger(await connect(), STREAM);
    expect(verified.commands.get("same")?.count).toBe(1);
    expect(availableOf(await openLedger({ store: await connect() }), "a")).toBe(1300n);
  });

  it("restarts to the same state with and without a snapshot", async () => {
    const clock = new TestClock(T0);
    const ledger = await openLedger({ store: await connect(), clock, snapshotEvery: 50 });
    for (let index = 0; index < 600; index += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, offset) => ledger.executeWire(crashCommand(index + offset))),
      );
      clock.advance(1_000);
    }
    expect(ledger.sequence).toBeGreaterThan(300);
    const expected = JSON.stringify(encodeState(ledger.currentState));
    const withSnapshot = await openLedger({ store: await connect(), clock });
    const withoutSnapshot = await openLedger({ store: await connect(), clock, useSnapshot: false });
    const verified = await verifyLedger(await connect(), STREAM);
    expect((await (await connect()).readSnapshot(STREAM))?.version).toBeGreaterThan(0);
    expect(JSON.stringify(encodeState(withSnapshot.currentState))).toBe(expected);
    expect(JSON.stringify(encodeState(withoutSnapshot.currentState))).toBe(expected);
    expect(JSON.stringify(encodeState(verified.state))).toBe(expected);
    expect(withSnapshot.headHash).toBe(ledger.headHash);
    for (const wallet of ["w0", "w7"]) {
      expect(withSnapshot.walletBalances(wallet)).toEqual(ledger.walletBalances(wallet));
      expect((await withSnapshot.history(wallet, { limit: 1000 })).lines).toEqual(
        (await ledger.history(wallet, { limit: 1000 })).lines,
      );
    }
  });

  it("a test clock expires holds, once, across engines and restarts", async () => {
    const clock = new TestClock(T0);
    const ledger = await openLedger({ store: await connect(), clock });
    await ledger.executeWire(openWallet("w1"));
    await ledger.executeWire(deposit("w1", "50.00", "USD", "fund"));
    await ledger.executeWire(placeHold("h1", "w1", "20.00", formatTimestamp(T0 + 60_000)));
    await ledger.executeWire(placeHold("h2", "w1", "5.00", formatTimestamp(T0 + 120_000)));
    expect(await ledger.runDueWork()).toEqual([]);
    clock.advance(60_000);
    // A second engine on the same file runs the same due work at the same time: the
    // deterministic key `expire-hold:h1` makes it one expiry, whoever wins the race.
    const other = await openLedger({ store: await connect(), clock });
    const [mine, theirs] = await Promise.all([ledger.runDueWork(), other.runDueWork()]);
    // Same clock, same state, same key: both engines decide byte-identical events, so both
    // answers name the one stored expiry (whether flagged as a repeat or not).
    const sequences = [...(mine ?? []), ...(theirs ?? [])].map((result) =>
      result._tag === "Accepted" ? result.events[0]?.sequence : result._tag,
    );
    expect(sequences).toEqual([5, 5]);
    const restarted = await openLedger({ store: await connect(), clock });
    expect(restarted.walletBalances("w1")[0]).toMatchObject({ available: 4500n, held: 500n });
    expect(await restarted.runDueWork()).toEqual([]);
    clock.advance(60_000);
    expect(await restarted.runDueWork()).toMatchObject([
      { _tag: "Accepted", events: [{ event: { type: "HoldExpired" } }] },
    ]);
    const verified = await verifyLedger(await connect(), STREAM);
    expect([...verified.state.holds.values()].map((hold) => hold.status)).toEqual([
      "expired",
      "expired",
    ]);
    expect(verified.commands.get("expire-hold:h1")?.count).toBe(1);
  });

  it("a test clock releases escrow once the protection window has passed, once, across engines and restarts", async () => {
    const clock = new TestClock(T0);
    const ledger = await openLedger({ store: await connect(), clock });
    const setup: CommandRequestJson[] = [
      openWallet("w1"),
      deposit("w1", "100.00", "USD", "fund"),
      ...merchantSale(false, {
        holdId: "h-o1",
        expiresAt: formatTimestamp(T0 + 7 * 24 * MILLISECONDS_PER_HOUR),
      }),
      {
        idempotencyKey: "ship-o1",
        command: {
          type: "ShipOrder",
          orderId: "o1",
          protectionEndsAt: formatTimestamp(T0 + 24 * MILLISECONDS_PER_HOUR),
        },
      },
    ];
    for (const request of setup)
      expect(await ledger.executeWire(request), request.idempotencyKey).toMatchObject({
        _tag: "Accepted",
      });
    expect(await ledger.runDueWork()).toEqual([]);
    clock.advance(24 * MILLISECONDS_PER_HOUR);
    const other = await openLedger({ store: await connect(), clock });
    const [mine, theirs] = await Promise.all([ledger.runDueWork(), other.runDueWork()]);
    const released = [...mine, ...theirs].map((result) =>
      result._tag === "Accepted"
        ? result.events.map((recorded) => `${recorded.sequence}:${recorded.event.type}`)
        : result._tag,
    );
    expect(released).toEqual([["8:EscrowReleased"], ["8:EscrowReleased"]]);
    const restarted = await openLedger({ store: await connect(), clock });
    expect(await restarted.runDueWork()).toEqual([]);
    const verified = await verifyLedger(await connect(), STREAM);
    expect(verified.commands.get("release-escrow:o1:5000")?.count).toBe(1);
    // 50.00 less the fee (2.9 % half-up + 0.30 = 1.75), once.
    expect(restarted.accountBalances("liabilities:merchants:m1")).toMatchObject([
      { currency: "USD", normal: 4825n },
    ]);
  });

  it("a retried key gets the original result after a restart, from the snapshot or the stream, for 24 h of ledger time", async () => {
    const clock = new TestClock(T0);
    const ledger = await openLedger({ store: await connect(), clock });
    await ledger.executeWire(openWallet("w1"));
    const original = await ledger.executeWire(deposit("w1", "10.00", "USD", "dep-1"));
    await ledger.snapshot();
    await ledger.executeWire(deposit("w1", "1.00", "USD", "dep-2"));
    clock.advance(23 * MILLISECONDS_PER_HOUR);
    for (const useSnapshot of [true, false]) {
      const restarted = await openLedger({ store: await connect(), clock, useSnapshot });
      // Spelled differently, the same request: "10.0" and "10.00" have one digest.
      expect(await restarted.executeWire(deposit("w1", "10.0", "USD", "dep-1"))).toEqual({
        ...original,
        repeated: true,
      });
      expect(await restarted.executeWire(deposit("w1", "12.00", "USD", "dep-1"))).toMatchObject({
        _tag: "Rejected",
        rejection: { _tag: "IdempotencyKeyReused" },
      });
      expect(availableOf(restarted, "w1")).toBe(1100n);
    }
    // Past the retention window of ledger time the key is forgotten: the same request is a
    // new command, decided afresh (ADR 0004). Clients must not retry for longer than that.
    clock.advance(1 * MILLISECONDS_PER_HOUR + 1);
    const late = await openLedger({ store: await connect(), clock });
    expect(await late.executeWire(deposit("w1", "10.00", "USD", "dep-1"))).toMatchObject({
      _tag: "Accepted",
      repeated: false,
      events: [{ sequence: 4 }],
    });
    expect(availableOf(late, "w1")).toBe(2100n);
  });
});
