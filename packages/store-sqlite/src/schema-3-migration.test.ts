/**
 * Migration 4 (ADR 0029) on a ledger file written by the release before it:
 * `testing/fixtures/ledger-schema-3.sqlite`, written by `make-schema-3-ledger.mjs` from commit
 * 2c976a2 (schema 3: the history lines keyed by (account, sequence, currency) plus the index
 * `history_lines_by_currency`; 29 events in USD and EUR, a hold, a snapshot). It must open
 * migrated in place, with every line kept and the projection still at its checkpoint; a
 * failure in the middle of the migration must leave the file at schema 3, intact and
 * openable; a read-only open of a schema-3 file is refused naming both versions.
 */
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { iso4217 } from "@pacioli/core";
import {
  auditStream,
  decodeStoredEvent,
  MemoryHistoryProjection,
  projectEvent,
  NotALedgerError,
  openLedger,
  storeAuditSource,
  StoreError,
  TestClock,
  type EventStore,
  type HistoryProjection,
} from "@pacioli/engine";
import { deposit, transfer } from "@pacioli/store-testkit";
import { rebuiltInMemory } from "./testing/rebuilt-in-memory.js";
import { openSqliteEventStore } from "./sqlite-event-store.js";
import { fixtureCopyPerTest } from "./testing/fixture-copy.js";

const STREAM = "ledger-main";
const EVENTS = 29;
const T_AFTER = Date.UTC(2026, 11, 3, 13);
const fixture = fixtureCopyPerTest("ledger-schema-3.sqlite");

/** What the file holds, read without Pacioli: versions, indexes, every line in one order. */
function rawState(file: string) {
  const raw = new Database(file, { readonly: true });
  try {
    return {
      versions: raw
        .prepare("SELECT version FROM pacioli_migrations ORDER BY version")
        .pluck()
        .all(),
      indexes: raw
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?")
        .pluck()
        .all("history_lines"),
      tables: raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all(),
      key: raw
        .prepare("SELECT name FROM pragma_table_info('history_lines') WHERE pk > 0 ORDER BY pk")
        .pluck()
        .all(),
      lines: raw
        .prepare(
          `SELECT stream_id, account, sequence, currency, amount, balance, counterparty
           FROM history_lines ORDER BY stream_id, account, sequence, currency`,
        )
        .all(),
      checkpoint: raw.prepare("SELECT sequence FROM history_checkpoints").pluck().get(),
    };
  } finally {
    raw.close();
  }
}

/** Every account's page of 5 and each balance as of each sequence, from `projection`. */
async function readings(projection: HistoryProjection, accounts: readonly string[], to: number) {
  const answers: unknown[] = [];
  for (const account of accounts) {
    for (let before: number | undefined = Number.MAX_SAFE_INTEGER; before !== undefined;) {
      const page = await projection.page(account, { limit: 5, before });
      answers.push(page);
      before = page.nextCursor;
    }
    answers.push(await projection.page(account, { limit: 3, currency: "EUR" }));
    for (let sequence = 0; sequence <= to; sequence += 1)
      for (const currency of ["USD", "EUR"])
        answers.push(await projection.balanceAtSequence(account, currency, sequence));
  }
  return answers;
}

/** The same stream folded into a memory projection. */
async function memoryProjection(store: EventStore): Promise<MemoryHistoryProjection> {
  const memory = new MemoryHistoryProjection();
  const stored = await store.readStream(STREAM);
  await memory.apply(
    stored.map((event) => projectEvent(decodeStoredEvent(iso4217, event).recorded)),
  );
  return memory;
}

it("the fixture is a schema-3 ledger with the index by currency (what the previous release wrote)", () => {
  const before = rawState(fixture.path);
  expect(before.versions).toEqual([1, 2, 3]);
  expect(before.indexes).toContain("history_lines_by_currency");
  expect(before.key).toEqual(["stream_id", "account", "sequence", "currency"]);
  expect(before.lines).toHaveLength(52);
  expect(before.checkpoint).toBe(EVENTS);
});

it("opens migrated in place: schema 4, lines keyed by currency without the index, every line kept, queries equal to a rebuild", async () => {
  const before = rawState(fixture.path);
  const store = await fixture.open();
  const after = rawState(fixture.path);
  expect(after.versions).toEqual([1, 2, 3, 4]);
  expect(after.indexes.filter((name) => !String(name).startsWith("sqlite_autoindex"))).toEqual([]);
  expect(after.key).toEqual(["stream_id", "account", "currency", "sequence"]);
  expect(after.tables).not.toContain("history_lines_4");
  expect(after.lines).toEqual(before.lines);
  expect(after.checkpoint).toBe(EVENTS);
  const projection = store.historyProjection?.(STREAM) as HistoryProjection;
  expect(await projection.contents()).toEqual(await rebuiltInMemory(store, STREAM));
  const accounts = [...new Set((await projection.contents()).lines.map((line) => line.account))];
  expect(await readings(projection, accounts, EVENTS)).toEqual(
    await readings(await memoryProjection(store), accounts, EVENTS),
  );
});

it("folds new commands into the migrated lines in the append, continuing each currency's balance", async () => {
  const store = await fixture.open();
  const ledger = await openLedger({ store, clock: new TestClock(T_AFTER), onWarning: () => {} });
  expect(ledger.sequence).toBe(EVENTS);
  for (const [index, request] of [
    deposit("w1", "7.00", "EUR", "after-1"),
    transfer("w1", "w2", "1.50", "USD", "after-2"),
    transfer("w2", "w1", "2.25", "EUR", "after-3"),
  ].entries())
    expect(await ledger.executeWire(request)).toMatchObject({
      _tag: "Accepted",
      events: [{ sequence: EVENTS + 1 + index }],
    });
  const projection = store.historyProjection?.(STREAM) as HistoryProjection;
  expect(await projection.checkpoint()).toBe(EVENTS + 3);
  expect(await projection.contents()).toEqual(await rebuiltInMemory(store, STREAM));
  const accounts = ["liabilities:wallets:w1:available", "liabilities:wallets:w2:available"];
  expect(await readings(projection, accounts, EVENTS + 3)).toEqual(
    await readings(await memoryProjection(store), accounts, EVENTS + 3),
  );
  expect((await auditStream(storeAuditSource(store, STREAM))).violations).toEqual([]);
  await ledger.close();
});

it("a failure in the middle of the migration leaves the file at schema 3, intact, and it migrates once the cause is gone", async () => {
  // A view naming a missing table makes SQLite refuse any ALTER TABLE … RENAME: the
  // migration's last statement fails after its copy and its DROP have run.
  const raw = new Database(fixture.path);
  raw.exec("CREATE VIEW foreign_view AS SELECT * FROM table_that_is_not_there");
  raw.close();
  const before = rawState(fixture.path);
  const opening = openSqliteEventStore({ path: fixture.path });
  await expect(opening).rejects.toThrow(StoreError);
  await expect(opening).rejects.toThrow(/error in view foreign_view/);
  const failed = rawState(fixture.path);
  expect(failed).toEqual(before);
  expect(failed.indexes).toContain("history_lines_by_currency");
  expect(failed.tables).not.toContain("history_lines_4");
  const cleanup = new Database(fixture.path);
  cleanup.exec("DROP VIEW foreign_view");
  cleanup.close();
  const store = await fixture.open();
  expect(rawState(fixture.path).versions).toEqual([1, 2, 3, 4]);
  expect(rawState(fixture.path).lines).toEqual(before.lines);
  expect(await store.historyProjection?.(STREAM).contents()).toEqual(
    await rebuiltInMemory(store, STREAM),
  );
});

it("a read-only open of a schema-3 file is refused, naming its version and this release's", async () => {
  const opening = openSqliteEventStore({ path: fixture.path, readOnly: true });
  await expect(opening).rejects.toThrow(NotALedgerError);
  await expect(opening).rejects.toThrow(
    "the ledger has schema version 3, not this Pacioli's 4; open it once for writing to migrate it",
  );
  expect(rawState(fixture.path).versions).toEqual([1, 2, 3]);
});
