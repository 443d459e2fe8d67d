/**
 * A ledger file written by the release before the key window moved into the store (schema 1,
 * legacy request digests, a format-3 snapshot with its keys): `testing/fixtures/
 * ledger-schema-1.sqlite`, written by `make-schema-1-ledger.mjs` from commit b49bf1a. It must
 * open migrated (schema 4: the window filled from its events, the history projection built from
 * them on first use), answer retries of its commands
 * with their original events, refuse their keys with another payload, and audit clean.
 */
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { auditStream, openLedger, storeAuditSource, TestClock } from "@pacioli/engine";
import { rebuiltInMemory } from "./testing/rebuilt-in-memory.js";
import { availableOf, deposit, openWallet } from "@pacioli/store-testkit";
import { fixtureCopyPerTest } from "./testing/fixture-copy.js";

const T0 = Date.UTC(2026, 10, 25, 10);
const STREAM = "ledger-main";
const fixture = fixtureCopyPerTest("ledger-schema-1.sqlite");

it("the fixture is a schema-1 ledger with a format-3 snapshot (what the previous release wrote)", () => {
  // The copy, not the fixture: opening a WAL file, even read-only, leaves -shm/-wal beside it.
  const raw = new Database(fixture.path, { readonly: true });
  try {
    expect(raw.prepare("SELECT version FROM pacioli_migrations").pluck().all()).toEqual([1]);
    expect(raw.prepare("SELECT count(*) FROM events").pluck().get()).toBe(5);
    expect(String(raw.prepare("SELECT payload FROM snapshots").pluck().get())).toMatch(
      /^\{"format":3,"version":4,.*"keys":\["open-w1","open-w2","dep-1","t-1"\]/,
    );
  } finally {
    raw.close();
  }
});

it("opens migrated: schema 4, the key window filled from the stored events", async () => {
  const store = await fixture.open();
  const raw = new Database(fixture.path, { readonly: true });
  try {
    expect(
      raw.prepare("SELECT version FROM pacioli_migrations ORDER BY version").pluck().all(),
    ).toEqual([1, 2, 3, 4]);
  } finally {
    raw.close();
  }
  const found = await store.findIdempotency(STREAM, ["open-w1", "dep-1", "t-1", "dep-2", "never"]);
  expect([...found.keys()].sort()).toEqual(["dep-1", "dep-2", "open-w1", "t-1"]);
  expect(found.get("dep-1")).toMatchObject({
    firstSequence: 3,
    eventCount: 1,
    recordedAt: T0 + 2_000,
  });
  expect(found.get("dep-2")).toMatchObject({
    firstSequence: 5,
    eventCount: 1,
    recordedAt: T0 + 4_000,
  });
});

it("answers retries of the previous release's commands with their original events, refuses reused keys, and audits clean", async () => {
  const store = await fixture.open();
  const warnings: string[] = [];
  const ledger = await openLedger({
    store,
    clock: new TestClock(T0 + 60_000),
    onWarning: (message) => warnings.push(message),
  });
  // The format-3 snapshot lacks state later formats keep (transfer ids, open holds per wallet):
  // it is set aside and the ledger replays its stream, which rebuilds all of it.
  expect(warnings).toEqual([
    expect.stringContaining("snapshot format 3 is not 6; replaying from the start"),
  ]);
  expect(availableOf(ledger, "w1")).toBe(1_000n);
  expect(availableOf(ledger, "w2")).toBe(730n);
  // Recorded under the legacy digest: "12.3" is the same request as the "12.30" recorded.
  expect(await ledger.executeWire(deposit("w1", "12.3", "USD", "dep-1"))).toMatchObject({
    _tag: "Accepted",
    repeated: true,
    events: [{ sequence: 3, idempotencyKey: "dep-1" }],
  });
  expect(await ledger.executeWire(deposit("w2", "5.00", "USD", "dep-2"))).toMatchObject({
    _tag: "Accepted",
    repeated: true,
    events: [{ sequence: 5 }],
  });
  expect(await ledger.executeWire(deposit("w1", "12.31", "USD", "dep-1"))).toMatchObject({
    _tag: "Rejected",
    rejection: { _tag: "IdempotencyKeyReused" },
  });
  expect(await ledger.executeWire(openWallet("w9", "open-w1"))).toMatchObject({
    _tag: "Rejected",
    rejection: { _tag: "IdempotencyKeyReused" },
  });
  expect(ledger.sequence).toBe(5);
  expect(await ledger.executeWire(deposit("w1", "1.00", "USD", "dep-3"))).toMatchObject({
    _tag: "Accepted",
    repeated: false,
    events: [{ sequence: 6 }],
  });
  const report = await auditStream(storeAuditSource(store, STREAM));
  expect(report.violations).toEqual([]);
  // The history projection, empty after the migration, is built from the stream on first use
  // (w1: deposit 3, transfer 4, deposit 6; opening a wallet posts nothing)
  // and persisted: it equals one rebuilt in memory from the same events.
  expect((await ledger.history("w1", { limit: 10 })).lines.map((line) => line.sequence)).toEqual([
    6, 4, 3,
  ]);
  expect(await store.historyProjection?.(STREAM).checkpoint()).toBe(6);
  expect(await store.historyProjection?.(STREAM).contents()).toEqual(
    await rebuiltInMemory(store, STREAM),
  );
});
