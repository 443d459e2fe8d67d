import Database from "better-sqlite3";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreFormatError, type NewEvent, type StoredEvent } from "@pacioli/engine";
import { eventStoreContract, waitUntil } from "@pacioli/store-testkit";
import { openSqliteEventStore, sqlite_schema_version } from "./sqlite-event-store.js";

function temporaryDirectory(): { path: (name: string) => string; remove: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "pacioli-sqlite-"));
  return {
    path: (name) => join(dir, name),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh temporary directory for each test of the enclosing `describe`, removed after it. */
function temporaryDirectoryPerTest(): { path: (name: string) => string } {
  let dir: ReturnType<typeof temporaryDirectory> | undefined;
  beforeEach(() => {
    dir = temporaryDirectory();
  });
  afterEach(async () => {
    await dir?.remove();
    dir = undefined;
  });
  return {
    path: (name) => {
      if (dir === undefined) throw new Error("a temporary directory exists only inside a test");
      return dir.path(name);
    },
  };
}

function oneEvent(id: string): NewEvent[] {
  return [{ eventId: id, type: "EntryPosted", payload: JSON.stringify({ id }) }];
}

eventStoreContract("SqliteEventStore", async () => {
  const dir = temporaryDirectory();
  const store = await openSqliteEventStore({ path: dir.path("ledger.db"), pollIntervalMs: 20 });
  return { store, cleanup: dir.remove };
});

describe("SqliteEventStore files", () => {
  const dir = temporaryDirectoryPerTest();

  it("keeps events and snapshots across reopening, in WAL mode, migrated once", async () => {
    const path = dir.path("ledger.db");
    const first = await openSqliteEventStore({ path });
    await first.append("ledger", oneEvent("a"), 0);
    await first.writeSnapshot({ stream: "ledger", version: 1, payload: "{}" });
    await first.close();
    const second = await openSqliteEventStore({ path, synchronous: "NORMAL" });
    expect((await second.readStream("ledger")).map((event) => event.eventId)).toEqual(["a"]);
    expect(await second.readSnapshot("ledger")).toEqual({
      stream: "ledger",
      version: 1,
      payload: "{}",
    });
    await second.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.prepare("SELECT version FROM pacioli_migrations").pluck().all()).toEqual([
      1, 2, 3, 4,
    ]);
    raw.close();
  });

  it("writes a group commit larger than one multi-row insert chunk in order, and recognises its retry", async () => {
    const store = await openSqliteEventStore({ path: dir.path("ledger.db") });
    const events = Array.from({ length: 150 }, (_, index) => ({
      eventId: `e${index}`,
      type: "T",
      payload: `{"n":${index}}`,
    }));
    await store.append("ledger", oneEvent("first"), 0);
    const appended = await store.append("ledger", events, 1);
    const stored = await store.readStream("ledger");
    expect(stored.map((event) => [event.streamIndex, event.eventId, event.payload])).toEqual([
      [0, "first", expect.any(String)],
      ...events.map((event, index) => [index + 1, event.eventId, event.payload]),
    ]);
    expect(appended).toEqual({
      _tag: "Appended",
      nextVersion: 151,
      position: stored[150]?.position,
    });
    expect(await store.append("ledger", events, 1)).toEqual(appended);
    expect(await store.streamVersion("ledger")).toBe(151);
    await store.close();
  });

  it("refuses a file that is not a database", async () => {
    const path = dir.path("random.bin");
    writeFileSync(
      path,
      Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 7919) % 256)),
    );
    await expect(openSqliteEventStore({ path })).rejects.toThrow(StoreFormatError);
  });

  it("refuses another application's SQLite database and leaves it untouched", async () => {
    const path = dir.path("other.db");
    const raw = new Database(path);
    raw.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
    raw.close();
    await expect(openSqliteEventStore({ path })).rejects.toThrow(/not a Pacioli ledger/);
    const after = new Database(path, { readonly: true });
    expect(after.pragma("journal_mode", { simple: true })).toBe("delete");
    expect(after.prepare("SELECT name FROM sqlite_schema").pluck().all()).toEqual(["customers"]);
    after.close();
  });

  it("refuses a ledger written by a newer schema version", async () => {
    const path = dir.path("ledger.db");
    await (await openSqliteEventStore({ path })).close();
    const raw = new Database(path);
    raw
      .prepare("INSERT INTO pacioli_migrations (version, name) VALUES (?, 'from the future')")
      .run(sqlite_schema_version + 1);
    raw.close();
    const opening = openSqliteEventStore({ path });
    await expect(opening).rejects.toThrow(StoreFormatError);
    await expect(opening).rejects.toThrow(/newer/);
  });

  it("refuses to hand out a row that does not decode", async () => {
    const path = dir.path("ledger.db");
    const store = await openSqliteEventStore({ path });
    await store.append("ledger", oneEvent("a"), 0);
    const raw = new Database(path);
    raw.prepare("UPDATE events SET stream_index = -1").run();
    raw
      .prepare(
        "INSERT INTO events (position, stream, stream_index, event_id, type, payload) VALUES (?, 'other', 0, 'b', 'T', '{}')",
      )
      .run(2 ** 60);
    raw.close();
    await expect(store.readStream("other")).rejects.toThrow(StoreFormatError);
    await expect(store.readAll(null, 10)).rejects.toThrow(StoreFormatError);
    await expect(store.append("ledger", oneEvent("c"), 0)).rejects.toThrow(StoreFormatError);
    await expect(store.streamVersion("ledger")).rejects.toThrow(StoreFormatError);
    await store.close();
  });
});

describe("two SqliteEventStore instances on one file", () => {
  const dir = temporaryDirectoryPerTest();

  it("see each other's appends and conflict on a stale version", async () => {
    const left = await openSqliteEventStore({ path: dir.path("ledger.db") });
    const right = await openSqliteEventStore({ path: dir.path("ledger.db") });
    expect(await left.append("ledger", oneEvent("a"), 0)).toMatchObject({
      _tag: "Appended",
      nextVersion: 1,
    });
    expect(await right.streamVersion("ledger")).toBe(1);
    expect(await right.append("ledger", oneEvent("b"), 0)).toEqual({
      _tag: "VersionConflict",
      expectedVersion: 0,
      actualVersion: 1,
    });
    expect(await right.append("ledger", oneEvent("a"), 0)).toEqual(
      await left.append("ledger", oneEvent("a"), 0),
    );
    await Promise.all([left.close(), right.close()]);
  });

  it("let exactly one of two racing appends win", async () => {
    const left = await openSqliteEventStore({ path: dir.path("ledger.db") });
    const right = await openSqliteEventStore({ path: dir.path("ledger.db") });
    const results = await Promise.all([
      left.append("ledger", oneEvent("left"), 0),
      right.append("ledger", oneEvent("right"), 0),
    ]);
    expect(results.filter((result) => result._tag === "Appended")).toHaveLength(1);
    expect(results.filter((result) => result._tag === "VersionConflict")).toEqual([
      { _tag: "VersionConflict", expectedVersion: 0, actualVersion: 1 },
    ]);
    expect(await left.streamVersion("ledger")).toBe(1);
    await Promise.all([left.close(), right.close()]);
  });

  it("deliver the other instance's appends to a subscription by polling", async () => {
    const writer = await openSqliteEventStore({ path: dir.path("ledger.db") });
    const reader = await openSqliteEventStore({ path: dir.path("ledger.db"), pollIntervalMs: 10 });
    const received: StoredEvent[] = [];
    const subscription = reader.subscribe(null, (event) => void received.push(event));
    await writer.append("ledger", oneEvent("a"), 0);
    await writer.append("ledger", oneEvent("b"), 1);
    await waitUntil(() => received.length >= 2);
    await subscription.close();
    expect(received.map((event) => event.eventId)).toEqual(["a", "b"]);
    await Promise.all([writer.close(), reader.close()]);
  });
});
