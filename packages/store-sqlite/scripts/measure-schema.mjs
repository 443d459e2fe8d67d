// Measures append throughput of candidate SQLite schemas for the event store (ADR 0003).
//
// Not part of CI: it writes hundreds of megabytes and takes a minute or two.
// Run: node packages/store-sqlite/scripts/measure-schema.mjs [total_rows] [synchronous]
//
// What is measured: events/s of the store's append transaction (BEGIN IMMEDIATE, read the
// stream version, insert the batch, bump the version where the schema keeps one, COMMIT),
// in WAL mode, 1 KB payloads, random-UUID event ids, reported for the first and the last
// tenth of the run so that growth with table size shows.
// What is not measured: reads, JSON encoding, the engine, concurrent writers.
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const total_rows = Number(process.argv[2] ?? 300_000);
const synchronous = process.argv[3] ?? "FULL";
const payload_bytes = 1024;

const schemas = {
  // Global position is the rowid; (stream, stream_index) is the only secondary index.
  "A: rowid position + (stream, index) index": {
    ddl: `CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, stream_index INTEGER NOT NULL,
            event_id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL);
          CREATE UNIQUE INDEX events_by_stream ON events (stream, stream_index);`,
    prepare: (db) => {
      const version = db
        .prepare("SELECT coalesce(max(stream_index) + 1, 0) AS v FROM events WHERE stream = ?")
        .pluck();
      const insert = db.prepare(
        "INSERT INTO events (stream, stream_index, event_id, type, payload) VALUES (?, ?, ?, ?, ?)",
      );
      return (stream, batch) => {
        const base = version.get(stream);
        batch.forEach((e, i) => insert.run(stream, base + i, e.eventId, e.type, e.payload));
      };
    },
  },
  // As A, plus a unique index on event ids (global id uniqueness): a random-key index.
  "B: A + unique event_id index": {
    ddl: `CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, stream_index INTEGER NOT NULL,
            event_id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL);
          CREATE UNIQUE INDEX events_by_stream ON events (stream, stream_index);
          CREATE UNIQUE INDEX events_by_id ON events (event_id);`,
    prepare: (db) => schemas["A: rowid position + (stream, index) index"].prepare(db),
  },
  // Streams get an integer id and a stored version; events index (stream_id, index).
  "C: streams table + (stream_id, index) index": {
    ddl: `CREATE TABLE streams (stream_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, version INTEGER NOT NULL);
          CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL, stream_index INTEGER NOT NULL,
            event_id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL);
          CREATE UNIQUE INDEX events_by_stream ON events (stream_id, stream_index);`,
    prepare: (db) => {
      const find = db.prepare("SELECT stream_id, version FROM streams WHERE name = ?");
      const create = db.prepare(
        "INSERT INTO streams (name, version) VALUES (?, 0) RETURNING stream_id, version",
      );
      const bump = db.prepare("UPDATE streams SET version = ? WHERE stream_id = ?");
      const insert = db.prepare(
        "INSERT INTO events (stream_id, stream_index, event_id, type, payload) VALUES (?, ?, ?, ?, ?)",
      );
      return (stream, batch) => {
        const row = find.get(stream) ?? create.get(stream);
        batch.forEach((e, i) =>
          insert.run(row.stream_id, row.version + i, e.eventId, e.type, e.payload),
        );
        bump.run(row.version + batch.length, row.stream_id);
      };
    },
  },
};

// One partition with big group commits; many partitions with smaller commits each.
const workloads = [
  { name: "1 stream, 1000 events/commit", streams: 1, batch: 1000 },
  { name: "10k streams, 100 events/commit", streams: 10_000, batch: 100 },
  { name: "10k streams, 10 events/commit", streams: 10_000, batch: 10 },
];

function randomPayload() {
  return JSON.stringify({
    memo: randomUUID()
      .repeat(Math.ceil(payload_bytes / 36))
      .slice(0, payload_bytes - 12),
  });
}

function measure(schema, workload) {
  const dir = mkdtempSync(join(tmpdir(), "pacioli-measure-"));
  const db = new Database(join(dir, "ledger.db"));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(schema.ddl);
  const appendBatch = schema.prepare(db);
  const append = db.transaction(appendBatch);
  const payloads = Array.from({ length: 64 }, randomPayload);
  const commits = Math.ceil(total_rows / workload.batch);
  const tenth = Math.max(1, Math.floor(commits / 10));
  const rates = [];
  let started = process.hrtime.bigint();
  for (let commit = 0; commit < commits; commit++) {
    const stream = `ledger-${Math.floor(Math.random() * workload.streams)}`;
    const batch = Array.from({ length: workload.batch }, (_, i) => ({
      eventId: randomUUID(),
      type: "EntryPosted",
      payload: payloads[(commit + i) % payloads.length],
    }));
    append.immediate(stream, batch);
    if ((commit + 1) % tenth === 0) {
      const now = process.hrtime.bigint();
      rates.push((tenth * workload.batch) / (Number(now - started) / 1e9));
      started = now;
    }
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { first: rates[0], last: rates[rates.length - 1] };
}

console.log(
  `rows=${total_rows} payload=${payload_bytes}B synchronous=${synchronous} sqlite=${new Database(":memory:").prepare("select sqlite_version()").pluck().get()}`,
);
for (const workload of workloads) {
  for (const [name, schema] of Object.entries(schemas)) {
    const { first, last } = measure(schema, workload);
    console.log(
      `${workload.name.padEnd(32)} ${name.padEnd(46)} first 10%: ${Math.round(first).toString().padStart(7)}/s  last 10%: ${Math.round(last).toString().padStart(7)}/s`,
    );
  }
}
