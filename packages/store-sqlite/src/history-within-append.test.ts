/**
 * The history projection folded in the append's own transaction (ADR 0023): an acknowledged
 * command's lines are already in the file when its ack returns, and the running balances the
 * store keeps in memory never outlive a change made by anyone else (another connection to
 * the file, a reset).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openLedger, TestClock, type Ledger } from "@pacioli/engine";
import { deposit, openWallet } from "@pacioli/store-testkit";
import { openSqliteEventStore, type SqliteEventStore } from "./sqlite-event-store.js";
import { rebuiltInMemory } from "./testing/rebuilt-in-memory.js";

const T0 = Date.UTC(2026, 11, 3, 10);
const STREAM = "ledger-main";

let dir = "";
const opened: { store: SqliteEventStore; ledger: Ledger }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pacioli-history-append-"));
});

afterEach(async () => {
  for (const { ledger, store } of opened.splice(0)) {
    await ledger.close();
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ store: SqliteEventStore; ledger: Ledger }> {
  const store = await openSqliteEventStore({ path: join(dir, "l.db") });
  const ledger = await openLedger({ store, clock: new TestClock(T0) });
  opened.push({ store, ledger });
  return { store, ledger };
}

async function accepted(ledger: Ledger, request: Parameters<Ledger["executeWire"]>[0]) {
  const result = await ledger.executeWire(request);
  expect(result._tag).toBe("Accepted");
}

it("holds an acknowledged command's lines when the ack returns, with no follower step", async () => {
  const { store, ledger } = await open();
  await accepted(ledger, openWallet("w1", "open-w1"));
  await accepted(ledger, deposit("w1", "10.00", "USD", "dep-1"));
  // Read straight from the file: the follower is never asked to catch up.
  const projection = store.historyProjection?.(STREAM);
  expect(await projection?.checkpoint()).toBe(await store.streamVersion(STREAM));
  expect(await projection?.contents()).toEqual(await rebuiltInMemory(store, STREAM));
});

it("reads a balance another connection moved instead of the one it remembers", async () => {
  const first = await open();
  await accepted(first.ledger, openWallet("w1", "open-w1"));
  await accepted(first.ledger, deposit("w1", "10.00", "USD", "dep-1"));
  // A second writer on the same file (another process would do the same) moves w1's balance.
  const second = await open();
  await accepted(second.ledger, deposit("w1", "5.00", "USD", "dep-2"));
  // The first ledger lost the race once, reloads and appends: its fold must start from 15.00.
  const retried = await first.ledger.executeWire(deposit("w1", "1.00", "USD", "dep-3"));
  expect(retried._tag).toBe("Accepted");
  const contents = await first.store.historyProjection?.(STREAM).contents();
  expect(contents).toEqual(await rebuiltInMemory(first.store, STREAM));
  const last = contents?.lines.filter((line) => line.currency === "USD" && line.sequence === 4);
  expect(last?.map((line) => line.balance.toString()).sort()).toEqual(["-1600", "1600"]);
});

it("leaves a lagging projection to the follower and ends equal to a rebuild", async () => {
  const { store, ledger } = await open();
  await accepted(ledger, openWallet("w1", "open-w1"));
  await accepted(ledger, deposit("w1", "10.00", "USD", "dep-1"));
  const projection = store.historyProjection?.(STREAM);
  await projection?.reset(); // behind the stream now: the next append cannot fold
  await accepted(ledger, deposit("w1", "2.50", "USD", "dep-2"));
  await ledger.historyReached();
  expect(await projection?.checkpoint()).toBe(3);
  expect(await projection?.contents()).toEqual(await rebuiltInMemory(store, STREAM));
});
