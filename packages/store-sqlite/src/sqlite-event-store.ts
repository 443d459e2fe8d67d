/**
 * The embedded default event store: one SQLite file, through better-sqlite3 12.
 *
 * - **WAL.** The file is put in write-ahead-log mode: readers (other connections, other
 *   processes) never block the writer and the writer never blocks them; a commit is an
 *   append to the `-wal` file.
 * - **Durability.** `synchronous = FULL` (the default) fsyncs the WAL at every commit, so an
 *   acknowledged append survives power loss. `NORMAL` fsyncs only at checkpoints: still
 *   consistent after a crash, but the last commits before a power cut may be lost; choose it
 *   only where the events can be recovered from elsewhere. Group commit (many commands per
 *   append) is what makes FULL affordable.
 * - **BEGIN IMMEDIATE.** Every write runs in an IMMEDIATE transaction, which takes the write
 *   lock before reading. The expected-version check therefore reads the stream inside the
 *   same lock that guards the insert: two writers (even in two processes) racing for one
 *   version cannot both win, and a deferred transaction cannot fail late on lock upgrade.
 * - **Busy timeout.** A writer that finds the lock taken waits up to `busyTimeoutMs`
 *   (default 5 s) and then fails with a retryable `StoreError`. better-sqlite3 is
 *   synchronous, so that wait blocks this process's event loop: one writer per file is the
 *   intended shape (see DESIGN.md, "one writer per ledger partition").
 * - **Schema.** Numbered migrations, recorded in `pacioli_migrations`; `PRAGMA application_id`
 *   marks the file as a Pacioli ledger. A file that is not a ledger, was written by a newer
 *   schema, or holds a row that does not decode is refused with a `StoreFormatError`: never
 *   "repaired" silently. Schema choice and measurements: docs/adr/0003-sqlite-schema.md.
 * - **Subscriptions.** Appends through this object wake its subscriptions at once; appends
 *   by other connections are seen by polling every `pollIntervalMs` (default 200 ms).
 * - **Read-only.** `readOnly: true` opens the file for reading only (an auditor's copy, a
 *   file or folder without write permission): no WAL switch, no migration, every write
 *   refused. A WAL file needs its shared-memory index, which SQLite creates beside the file;
 *   when that cannot be created (a read-only folder) and no write-ahead log holds
 *   uncheckpointed commits, the main file, then the whole ledger, is read into memory and
 *   opened there. With a non-empty `-wal` it cannot read, the open fails rather than show a
 *   ledger without its last commits.
 * - **Idempotency window.** The records of an append's commands go into the `idempotency`
 *   table (one row per stream and key, the latest) inside the append's transaction, and
 *   `findIdempotency` reads any number of keys in one indexed query (ADR 0011).
 * - **Positions** are the events' rowids, zero-padded to 19 digits (the width of the largest
 *   rowid), so lexicographic order is commit order.
 */
import { readFileSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import {
  StoreError,
  NotALedgerError,
  StoreFormatError,
  PullSubscription,
  assertAppendArguments,
  assertCount,
  assertReadAllLimit,
  readStreamStart,
  readAllPage,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type IdempotencyRecord,
  type NewEvent,
  type Position,
  type ReadAllPage,
  type ReadStreamOptions,
  type StoredEvent,
  type StoredSnapshot,
  type SubscribeOptions,
  type Subscription,
  type HistoryProjection,
} from "@pacioli/engine";
import { ChunkedInsert } from "./chunked-insert.js";
import { ReadOnlyHistoryProjection } from "./read-only-history-projection.js";
import {
  history_lines_by_currency_sql,
  history_projection_sql,
  SqliteHistoryProjection,
} from "./sqlite-history-projection.js";

export interface SqliteEventStoreOptions {
  readonly path: string;
  /** FULL (default): every commit is on disk before it is acknowledged. */
  readonly synchronous?: "FULL" | "NORMAL";
  /** How long a writer waits for another connection's write lock (default 5000). */
  readonly busyTimeoutMs?: number;
  /** How often subscriptions look for other connections' appends (default 200). */
  readonly pollIntervalMs?: number;
  /** Open for reading only: nothing is written, not even the WAL switch (default false). */
  readonly readOnly?: boolean;
}

/** "PACI" in ASCII: marks the file as a Pacioli ledger. */
export const pacioli_application_id = 0x50414349;
const position_digits = 19;
const busy_timeout_ms_default = 5_000;
const poll_interval_ms_default = 200;
/** Events a subscription reads per page while catching up. */
const subscription_page_size = 256;

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Append-only list: a released migration is never edited. The global position is the rowid
 * (no extra index); the only secondary index is (stream, stream_index), which serves the
 * version check, retries and readStream. Event ids live in the row without an index (ADR 0003).
 */
export const sqlite_migrations: readonly Migration[] = [
  {
    version: 1,
    name: "events and snapshots",
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        stream_index INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX events_by_stream ON events (stream, stream_index);
      CREATE TABLE snapshots (
        stream TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        payload TEXT NOT NULL
      ) STRICT;`,
  },
  {
    // The key window (ADR 0011): one row per key and stream, the latest record, written in the
    // append's transaction. Filled once from the stored events, whose envelope
    // ({"hash","previousHash","record":{...}}, ADR 0005) carries each command's key, digest and
    // place on its first event; a payload that is not such JSON is skipped, not guessed at.
    version: 2,
    name: "idempotency window",
    sql: `
      CREATE TABLE idempotency (
        stream TEXT NOT NULL,
        key TEXT NOT NULL,
        digest TEXT NOT NULL,
        first_sequence INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (stream, key)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO idempotency (stream, key, digest, first_sequence, event_count, recorded_at)
        SELECT stream, key, digest, first_sequence, event_count, recorded_at FROM (
          SELECT
            stream,
            json_extract(record, '$.idempotencyKey') AS key,
            json_extract(record, '$.digest') AS digest,
            json_extract(record, '$.sequence') AS first_sequence,
            json_extract(record, '$.eventsInCommand') AS event_count,
            CAST(round((julianday(json_extract(record, '$.recordedAt')) - 2440587.5) * 86400000) AS INTEGER) AS recorded_at,
            json_extract(record, '$.indexInCommand') AS index_in_command
          FROM (SELECT stream, CASE WHEN json_valid(payload) THEN json_extract(payload, '$.record') END AS record FROM events)
          WHERE record IS NOT NULL
        )
        WHERE index_in_command = 0 AND typeof(key) = 'text' AND typeof(digest) = 'text'
          AND typeof(first_sequence) = 'integer' AND typeof(event_count) = 'integer' AND recorded_at IS NOT NULL
        ON CONFLICT (stream, key) DO UPDATE SET
          digest = excluded.digest, first_sequence = excluded.first_sequence,
          event_count = excluded.event_count, recorded_at = excluded.recorded_at
        WHERE excluded.first_sequence > idempotency.first_sequence;`,
  },

  {
    // The history projection (ADR 0018): empty at migration, built from the stream by the
    // engine's follower on first use, like after `pacioli rebuild-history`.
    version: 3,
    name: "history projection",
    sql: history_projection_sql,
  },
  {
    // The history lines keyed by (account, currency, sequence), without their second B-tree
    // (ADR 0029): copied in one transaction, so a crash leaves the file at schema 3, intact.
    version: 4,
    name: "history lines by currency",
    sql: history_lines_by_currency_sql,
  },
];

export const sqlite_schema_version = sqlite_migrations.length;

export async function openSqliteEventStore(
  options: SqliteEventStoreOptions,
): Promise<SqliteEventStore> {
  if (options.readOnly === true)
    return new SqliteEventStore(
      openReadOnly(options),
      options.pollIntervalMs ?? poll_interval_ms_default,
    );
  const db = openDatabase(options);
  try {
    prepareSchema(db, options.synchronous ?? "FULL");
    return new SqliteEventStore(
      db,
      options.pollIntervalMs ?? poll_interval_ms_default,
      options.synchronous ?? "FULL",
    );
  } catch (error) {
    db.close();
    throw asStoreError(error, `cannot open the ledger ${options.path}`);
  }
}

function openDatabase(options: SqliteEventStoreOptions): Database.Database {
  try {
    return new Database(options.path, {
      timeout: options.busyTimeoutMs ?? busy_timeout_ms_default,
    });
  } catch (error) {
    throw asStoreError(error, `cannot open the ledger ${options.path}`);
  }
}

/** A read-only connection that has read the schema, or a `StoreError` saying why it cannot. */
function openReadOnly(options: SqliteEventStoreOptions): Database.Database {
  const timeout = options.busyTimeoutMs ?? busy_timeout_ms_default;
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path, { readonly: true, fileMustExist: true, timeout });
    checkReadable(db);
    return db;
  } catch (error) {
    db?.close();
    const code = error instanceof Database.SqliteError ? error.code : "";
    if (!code.startsWith("SQLITE_CANTOPEN") && !code.startsWith("SQLITE_READONLY"))
      throw asStoreError(error, `cannot open the ledger ${options.path} for reading`);
    if (hasWriteAheadLog(options.path)) {
      throw new StoreError(
        `cannot open the ledger ${options.path} for reading: its write-ahead log ${options.path}-wal holds commits that SQLite can only read with write access to the folder`,
        false,
        { cause: error },
      );
    }
  }
  try {
    db = new Database(snapshotOfFile(options.path), { readonly: true });
    checkReadable(db);
    return db;
  } catch (error) {
    db?.close();
    throw asStoreError(error, `cannot open the ledger ${options.path} for reading`);
  }
}

/**
 * The file's bytes as an in-memory database. better-sqlite3 is built without URI filenames,
 * so `immutable=1` is not available; with no write-ahead log holding commits, the main file
 * is the whole ledger, and marking its header as a rollback-journal file (bytes 18 and 19,
 * the read and write format versions: 2 means WAL) lets SQLite read it without a WAL index.
 * Costs memory the size of the file, and only where the folder cannot be written.
 */
function snapshotOfFile(path: string): Buffer {
  const bytes = readFileSync(path);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
  return bytes;
}

function hasWriteAheadLog(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/** The identity and schema checks of a writable open, without migrating anything. */
function checkReadable(db: Database.Database): void {
  const applicationId = db.pragma("application_id", { simple: true });
  if (applicationId !== pacioli_application_id)
    throw new NotALedgerError(`not a Pacioli ledger (application_id ${String(applicationId)})`);
  const current = Number(
    db.prepare("SELECT coalesce(max(version), 0) FROM pacioli_migrations").pluck().get(),
  );
  if (current !== sqlite_schema_version) {
    throw new NotALedgerError(
      `the ledger has schema version ${current}, not this Pacioli's ${sqlite_schema_version}${current < sqlite_schema_version ? "; open it once for writing to migrate it" : ""}`,
    );
  }
}

/** Refuses foreign files before touching them, then switches to WAL and migrates. */
function prepareSchema(db: Database.Database, synchronous: "FULL" | "NORMAL"): void {
  checkIdentity(db);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  db.transaction(() => migrate(db)).immediate();
}

function checkIdentity(db: Database.Database): void {
  const applicationId = db.pragma("application_id", { simple: true });
  if (applicationId === pacioli_application_id) return;
  const objects = db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get();
  if (applicationId === 0 && objects === 0) return;
  throw new NotALedgerError(
    `not a Pacioli ledger (application_id ${String(applicationId)}, ${String(objects)} schema objects)`,
  );
}

function migrate(db: Database.Database): void {
  checkIdentity(db);
  db.exec(
    "CREATE TABLE IF NOT EXISTS pacioli_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT",
  );
  const current = Number(
    db.prepare("SELECT coalesce(max(version), 0) FROM pacioli_migrations").pluck().get(),
  );
  if (current > sqlite_schema_version) {
    throw new NotALedgerError(
      `the ledger has schema version ${current}, newer than this Pacioli's ${sqlite_schema_version}`,
    );
  }
  for (const migration of sqlite_migrations.filter((candidate) => candidate.version > current)) {
    db.exec(migration.sql);
    db.prepare("INSERT INTO pacioli_migrations (version, name) VALUES (?, ?)").run(
      migration.version,
      migration.name,
    );
  }
  db.pragma(`application_id = ${pacioli_application_id}`);
}

export class SqliteEventStore implements EventStore {
  private readonly subscriptions = new Set<PullSubscription>();
  private closed = false;
  private readonly statements;
  private readonly appendTransaction;
  private readonly writeSnapshotTransaction;
  private readonly projections = new Map<
    string,
    { readonly inner: SqliteHistoryProjection; readonly guarded: HistoryProjection }
  >();
  /**
   * The history projection in this file's tables (schema 3, ADR 0018). On a read-only
   * connection, which cannot move a checkpoint, the tables answer up to their checkpoint and
   * only the events after it are folded in memory (`ReadOnlyHistoryProjection`).
   */
  readonly historyProjection: ((stream: string) => HistoryProjection) | undefined;

  /** Use `openSqliteEventStore`: it checks and migrates the file first. */
  constructor(
    private readonly db: Database.Database,
    private readonly pollIntervalMs: number,
    /** The `synchronous` level of the file's own commits (the projection's are NORMAL). */
    private readonly synchronous: "FULL" | "NORMAL" = "FULL",
  ) {
    this.statements = prepareStatements(db);
    this.appendTransaction = db.transaction(
      (
        stream: string,
        events: readonly NewEvent[],
        expectedVersion: number,
        options: AppendOptions,
      ) => this.appendLocked(stream, events, expectedVersion, options),
    );
    this.writeSnapshotTransaction = db.transaction((snapshot: StoredSnapshot) => {
      this.statements.writeSnapshot.run(snapshot.stream, snapshot.version, snapshot.payload);
    });
    this.historyProjection = (stream) => this.projectionOf(stream).guarded;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    assertAppendArguments(events, expectedVersion);
    const folds = options.history !== undefined && this.historyProjection !== undefined;
    let committed = false;
    let result: AppendResult;
    try {
      result = this.guard("append", () =>
        this.appendTransaction.immediate(stream, events, expectedVersion, options),
      );
      committed = true;
    } finally {
      if (folds) this.projectionOf(stream).inner.settle(committed);
    }
    if (result._tag === "Appended")
      for (const subscription of this.subscriptions) subscription.notify();
    return result;
  }

  /** One indexed query for all keys (passed as one JSON array: no limit on their count). */
  async findIdempotency(
    stream: string,
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, IdempotencyRecord>> {
    this.assertOpen();
    const found = new Map<string, IdempotencyRecord>();
    if (keys.length === 0) return found;
    const rows = this.guard("findIdempotency", () =>
      this.statements.findIdempotency.all(stream, JSON.stringify(keys)),
    );
    for (const row of rows) {
      const record = decodeIdempotency(row);
      found.set(record.key, record);
    }
    return found;
  }

  async streamVersion(stream: string): Promise<number> {
    this.assertOpen();
    return this.guard("streamVersion", () => this.versionOf(stream));
  }

  async readStream(
    stream: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly StoredEvent[]> {
    this.assertOpen();
    const fromIndex = readStreamStart(options);
    // SQLite reads a negative LIMIT as "no limit".
    const rows = this.guard("readStream", () =>
      this.statements.readStream.all(stream, fromIndex, options.limit ?? -1),
    );
    return rows.map(decodeEvent);
  }

  async readAll(after: Position | null, limit: number): Promise<ReadAllPage> {
    this.assertOpen();
    assertReadAllLimit(limit);
    const afterRowid = after === null ? 0 : parsePosition(after);
    const rows = this.guard("readAll", () => this.statements.readAll.all(afterRowid, limit + 1));
    return readAllPage(rows, after, limit, decodeEvent);
  }

  subscribe(
    after: Position | null,
    handler: EventHandler,
    options: SubscribeOptions = {},
  ): Subscription {
    this.assertOpen();
    const subscription = new PullSubscription(
      (cursor) => this.readAll(cursor, subscription_page_size),
      handler,
      { ...options, pollIntervalMs: this.pollIntervalMs },
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    subscription.start(after);
    return subscription;
  }

  async readSnapshot(stream: string): Promise<StoredSnapshot | null> {
    this.assertOpen();
    const row = this.guard("readSnapshot", () => this.statements.readSnapshot.get(stream));
    return row === undefined ? null : decodeSnapshot(row);
  }

  async writeSnapshot(snapshot: StoredSnapshot): Promise<void> {
    this.assertOpen();
    assertCount(snapshot.version, "snapshot version");
    this.guard("writeSnapshot", () => this.writeSnapshotTransaction.immediate(snapshot));
  }

  private projectionOf(stream: string) {
    let projection = this.projections.get(stream);
    if (projection === undefined) {
      const inner = new SqliteHistoryProjection(this.db, stream, this.synchronous);
      // A read-only connection reads the tables up to their checkpoint, folds the rest in memory.
      const read = this.db.readonly
        ? new ReadOnlyHistoryProjection(this.db, inner, () => this.streamVersion(stream))
        : inner;
      // Every call checks the store is open and turns SQLite errors into StoreErrors.
      const outer = guarded(read, (operation, work) => {
        this.assertOpen();
        return work().catch((error: unknown) => {
          // A bad argument or a gap in what the follower folds is the caller's error, as is.
          throw error instanceof RangeError
            ? error
            : asStoreError(error, `SQLite history ${operation} failed`);
        });
      });
      projection = { inner, guarded: outer };
      this.projections.set(stream, projection);
    }
    return projection;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }

  /** Runs inside BEGIN IMMEDIATE: the version read and the insert are one atomic step. */
  private appendLocked(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    options: AppendOptions,
  ): AppendResult {
    const actualVersion = this.versionOf(stream);
    if (actualVersion !== expectedVersion)
      return this.retryResult(stream, events, expectedVersion, actualVersion);
    const rows: unknown[] = [];
    events.forEach((event, offset) =>
      rows.push(stream, expectedVersion + offset, event.eventId, event.type, event.payload),
    );
    const rowid = this.statements.insertEvents.run(rows);
    // The records of the same commands, in the same transaction, in multi-row upserts.
    const records = options.idempotency ?? [];
    if (records.length > 0) {
      const keyRows: unknown[] = [];
      for (const record of records)
        keyRows.push(
          stream,
          record.key,
          record.digest,
          record.firstSequence,
          record.eventCount,
          record.recordedAt,
        );
      this.statements.writeIdempotency.run(keyRows);
    }
    // The history lines too, when they are this append's and the projection is at it (else
    // the follower folds them from the stream).
    const history = options.history ?? [];
    if (
      this.historyProjection !== undefined &&
      history.length === events.length &&
      history[0]?.sequence === expectedVersion + 1
    )
      this.projectionOf(stream).inner.foldWithinAppend(history);
    return {
      _tag: "Appended",
      nextVersion: expectedVersion + events.length,
      position: formatPosition(rowid),
    };
  }

  /** The stream moved past `expectedVersion`: a retry of this very append, or a conflict. */
  private retryResult(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    actualVersion: number,
  ): AppendResult {
    const conflict: AppendResult = { _tag: "VersionConflict", expectedVersion, actualVersion };
    if (expectedVersion + events.length > actualVersion) return conflict;
    const stored = this.statements.readStream
      .all(stream, expectedVersion, events.length)
      .map(decodeEvent);
    const same =
      stored.length === events.length &&
      stored.every((event, offset) => event.eventId === events[offset]?.eventId);
    const last = stored.at(-1);
    if (!same || last === undefined) return conflict;
    return {
      _tag: "Appended",
      nextVersion: expectedVersion + events.length,
      position: last.position,
    };
  }

  private versionOf(stream: string): number {
    const lastIndex = this.statements.lastIndex.get(stream);
    if (lastIndex === undefined) return 0;
    if (!Number.isSafeInteger(lastIndex) || (lastIndex as number) < 0) {
      throw new StoreFormatError(
        `stream ${JSON.stringify(stream)} has an invalid stream_index ${String(lastIndex)}`,
      );
    }
    return (lastIndex as number) + 1;
  }

  private guard<T>(operation: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw asStoreError(error, `SQLite ${operation} failed`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError("the SQLite event store is closed", false);
  }
}

/** The projection with every method run through `guard` (open check, typed errors). */
function guarded(
  inner: HistoryProjection,
  guard: <T>(operation: string, work: () => Promise<T>) => Promise<T>,
): HistoryProjection {
  return {
    checkpoint: () => guard("checkpoint", () => inner.checkpoint()),
    apply: (events) => guard("apply", () => inner.apply(events)),
    reset: () => guard("reset", () => inner.reset()),
    page: (account, query) => guard("page", () => inner.page(account, query)),
    balanceAtSequence: (account, currency, sequence) =>
      guard("balance", () => inner.balanceAtSequence(account, currency, sequence)),
    sequenceAtTime: (at) => guard("time lookup", () => inner.sequenceAtTime(at)),
    find: (lookup, query) => guard("lookup", () => inner.find(lookup, query)),
    contents: () => guard("contents", () => inner.contents()),
  };
}

function prepareStatements(db: Database.Database) {
  return {
    lastIndex: db
      .prepare<[string], unknown>(
        "SELECT stream_index FROM events WHERE stream = ? ORDER BY stream_index DESC LIMIT 1",
      )
      .pluck(),
    insertEvents: new ChunkedInsert(
      db,
      "INSERT INTO events (stream, stream_index, event_id, type, payload)",
      5,
    ),
    readStream: db.prepare<[string, number, number], unknown>(
      "SELECT * FROM events WHERE stream = ? AND stream_index >= ? ORDER BY stream_index LIMIT ?",
    ),
    readAll: db.prepare<[number, number], unknown>(
      "SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?",
    ),
    readSnapshot: db.prepare<[string], unknown>("SELECT * FROM snapshots WHERE stream = ?"),
    findIdempotency: db.prepare<[string, string], unknown>(
      "SELECT * FROM idempotency WHERE stream = ? AND key IN (SELECT value FROM json_each(?))",
    ),
    writeIdempotency: new ChunkedInsert(
      db,
      "INSERT INTO idempotency (stream, key, digest, first_sequence, event_count, recorded_at)",
      6,
      `ON CONFLICT (stream, key) DO UPDATE SET digest = excluded.digest,
         first_sequence = excluded.first_sequence, event_count = excluded.event_count,
         recorded_at = excluded.recorded_at`,
    ),
    writeSnapshot: db.prepare<[string, number, string]>(
      `INSERT INTO snapshots (stream, version, payload) VALUES (?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET version = excluded.version, payload = excluded.payload`,
    ),
  };
}

function decodeEvent(row: unknown): StoredEvent {
  const record = row as Record<string, unknown>;
  const { position, stream, stream_index, event_id, type, payload } = record;
  if (
    !isRowid(position) ||
    typeof stream !== "string" ||
    !isCount(stream_index) ||
    typeof event_id !== "string" ||
    typeof type !== "string" ||
    typeof payload !== "string"
  ) {
    throw new StoreFormatError(
      `an event row does not decode (position ${String(position)}, stream_index ${String(stream_index)})`,
    );
  }
  return {
    eventId: event_id,
    type,
    payload,
    stream,
    streamIndex: stream_index,
    position: formatPosition(position),
  };
}

function decodeIdempotency(row: unknown): IdempotencyRecord {
  const { key, digest, first_sequence, event_count, recorded_at } = row as Record<string, unknown>;
  if (
    typeof key !== "string" ||
    typeof digest !== "string" ||
    !isRowid(first_sequence) ||
    !isRowid(event_count) ||
    !isCount(recorded_at)
  ) {
    throw new StoreFormatError(`an idempotency row does not decode (key ${JSON.stringify(key)})`);
  }
  return {
    key,
    digest,
    firstSequence: first_sequence,
    eventCount: event_count,
    recordedAt: recorded_at,
  };
}

function decodeSnapshot(row: unknown): StoredSnapshot {
  const { stream, version, payload } = row as Record<string, unknown>;
  if (typeof stream !== "string" || !isCount(version) || typeof payload !== "string") {
    throw new StoreFormatError(
      `a snapshot row does not decode (stream ${String(stream)}, version ${String(version)})`,
    );
  }
  return { stream, version, payload };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isRowid(value: unknown): value is number {
  return isCount(value) && value > 0;
}

function formatPosition(rowid: number): Position {
  return rowid.toString().padStart(position_digits, "0") as Position;
}

function parsePosition(position: Position): number {
  const rowid = /^\d{19}$/.test(position) ? Number(position) : Number.NaN;
  if (!isRowid(rowid))
    throw new RangeError(`not a position of a SQLite event store: ${JSON.stringify(position)}`);
  return rowid;
}

/** SQLite result codes (and their extended forms) meaning "this file is not something we can read". */
const format_error_codes = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT"]);
/** Result codes worth retrying: another connection held a lock for longer than the busy timeout. */
const retryable_codes = new Set(["SQLITE_BUSY", "SQLITE_LOCKED"]);

function asStoreError(error: unknown, message: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = error instanceof Database.SqliteError ? error.code : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  if (code !== undefined && code.startsWith("SQLITE_NOTADB"))
    return new NotALedgerError(`${message}: ${detail}`, { cause: error });
  if (code !== undefined && [...format_error_codes].some((prefix) => code.startsWith(prefix)))
    return new StoreFormatError(`${message}: ${detail}`, { cause: error });
  const retryable =
    code !== undefined && [...retryable_codes].some((prefix) => code.startsWith(prefix));
  return new StoreError(`${message}: ${detail}`, retryable, { cause: error });
}
