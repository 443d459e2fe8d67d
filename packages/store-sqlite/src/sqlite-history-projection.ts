/**
 * The history projection in the ledger file (schema 3, ADR 0018; lines re-keyed by schema 4,
 * ADR 0029): tables beside the events, one transaction per step, so the lines and the
 * checkpoint move together and a crash leaves the projection at a step boundary.
 *
 * - `history_events`: one row per event (time, type, command id, key, actor, metadata).
 * - `history_lines`: one row per account and currency an event posted to, with the net
 *   amount, the running balance (both decimal text: bigints never pass through a double)
 *   and the counterparty. Its key (account, currency, sequence) is its only B-tree (each
 *   more is a random page written per line at every commit, ADR 0024): it serves the last
 *   balance and the balance as of a sequence with one seek, and an account's page as one
 *   range per currency it holds (found by seeks too), merged newest first.
 * - `history_lookups`: (key, sequence) for idempotency keys, command ids and metadata pairs.
 * - `history_checkpoints`: per stream, a small integer id (so rows do not repeat the stream
 *   name) and the sequence of the last event folded in.
 *
 * Two writers fold into it: the store's append, in the append's own transaction when the
 * projection is at the append's expected version (the usual case: no second commit, and the
 * projection is never behind what is acknowledged), and the engine's follower, which closes
 * any gap (a start, a rebuild, an append made while the projection lagged) from the stream.
 */
import type Database from "better-sqlite3";
import {
  compareText,
  lookupKey,
  pageLimit,
  type AccountHistoryLine,
  type AccountHistoryPage,
  type AccountHistoryQuery,
  type EventLookup,
  type EventLookupQuery,
  type HistoryContents,
  type HistoryProjection,
  type ProjectedEvent,
  type SequencePage,
  StoreFormatError,
} from "@pacioli/engine";
import type { LedgerEventType, Metadata } from "@pacioli/core";
import { ChunkedInsert } from "./chunked-insert.js";

/** Migration 3 as released (never edited): the lines keyed by (account, sequence, currency). */
export const history_projection_sql = `
  CREATE TABLE history_checkpoints (
    stream TEXT PRIMARY KEY,
    stream_id INTEGER NOT NULL UNIQUE,
    sequence INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE history_events (
    stream_id INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    type TEXT NOT NULL,
    command_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    actor TEXT,
    metadata TEXT,
    PRIMARY KEY (stream_id, sequence)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX history_events_by_time ON history_events (stream_id, recorded_at);
  CREATE TABLE history_lines (
    stream_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    currency TEXT NOT NULL,
    amount TEXT NOT NULL,
    balance TEXT NOT NULL,
    counterparty TEXT,
    PRIMARY KEY (stream_id, account, sequence, currency)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX history_lines_by_currency ON history_lines (stream_id, account, currency, sequence);
  CREATE TABLE history_lookups (
    stream_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY (stream_id, key, sequence)
  ) STRICT, WITHOUT ROWID;`;

/**
 * Migration 4 (ADR 0029): the lines keyed by (account, currency, sequence), the secondary
 * index `history_lines_by_currency` gone with the old table. The rows are copied in the new
 * key's order (read through that index), in the migration's one transaction.
 */
export const history_lines_by_currency_sql = `
  CREATE TABLE history_lines_4 (
    stream_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    currency TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    amount TEXT NOT NULL,
    balance TEXT NOT NULL,
    counterparty TEXT,
    PRIMARY KEY (stream_id, account, currency, sequence)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO history_lines_4 (stream_id, account, currency, sequence, amount, balance, counterparty)
    SELECT stream_id, account, currency, sequence, amount, balance, counterparty
    FROM history_lines ORDER BY stream_id, account, currency, sequence;
  DROP TABLE history_lines;
  ALTER TABLE history_lines_4 RENAME TO history_lines;`;

const LINE_COLUMNS = `l.account, l.sequence, l.currency, l.amount, l.balance, l.counterparty,
  e.recorded_at, e.type, e.command_id, e.idempotency_key, e.actor, e.metadata`;
const LINE_FILTERS = `AND (:from IS NULL OR e.recorded_at >= :from) AND (:to IS NULL OR e.recorded_at <= :to)
  AND (:types IS NULL OR e.type IN (SELECT value FROM json_each(:types)))`;

interface LineParameters {
  readonly stream: number;
  readonly account: string;
  readonly before: number;
  readonly from: number | null;
  readonly to: number | null;
  readonly types: string | null;
}

/** Running balances kept in memory at most; past it the cache starts again (reads fill it). */
const BALANCE_CACHE_ENTRIES_MAX = 200_000;

export class SqliteHistoryProjection implements HistoryProjection {
  private readonly statements;
  private readonly applyTransaction;
  private readonly resetTransaction;
  private streamId: number | undefined;
  /**
   * Each account and currency's last balance, as committed at checkpoint `cachedAt`: saves
   * a read per line. Trusted only while the file's checkpoint is still `cachedAt` (nothing
   * else folded in between); balances of a fold join it only once its transaction commits.
   */
  private balances = new Map<string, bigint>();
  private cachedAt = -1;
  private folding: { readonly balances: Map<string, bigint>; readonly to: number } | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly stream: string,
    /** The store's own level, restored after each step. */
    private readonly synchronous: "FULL" | "NORMAL",
  ) {
    this.statements = prepare(db);
    this.applyTransaction = db.transaction((events: readonly ProjectedEvent[]) =>
      this.applyLocked(events),
    );
    this.resetTransaction = db.transaction(() => {
      const id = this.id();
      for (const statement of this.statements.reset) statement.run(id);
      this.statements.setCheckpoint.run(0, id);
    });
  }

  /**
   * Inside the store's append transaction: folds the appended events when the projection is
   * exactly at the first one's predecessor, else leaves them to the follower. `settle` must
   * follow once the transaction has committed or rolled back.
   */
  foldWithinAppend(events: readonly ProjectedEvent[]): void {
    const first = events[0];
    if (first === undefined) return;
    const checkpoint = Number(this.statements.checkpoint.get(this.id()) ?? 0);
    if (checkpoint === first.sequence - 1) this.applyLocked(events);
  }

  /** The fold's transaction ended: its balances join the cache if it committed. */
  settle(committed: boolean): void {
    const fold = this.folding;
    this.folding = undefined;
    if (fold === undefined) return;
    if (!committed) {
      this.forgetBalances();
      return;
    }
    if (this.balances.size + fold.balances.size > BALANCE_CACHE_ENTRIES_MAX) this.balances.clear();
    for (const [key, balance] of fold.balances) this.balances.set(key, balance);
    this.cachedAt = fold.to;
  }

  private forgetBalances(): void {
    this.balances.clear();
    this.cachedAt = -1;
  }

  async checkpoint(): Promise<number> {
    return Number(this.statements.checkpoint.get(this.id()) ?? 0);
  }

  async apply(events: readonly ProjectedEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Rebuildable from the stream, so its commits need no fsync of their own: in WAL mode a
    // NORMAL commit is still atomic (lines and checkpoint together), and the next FULL append
    // syncs it. A power cut may lose the last steps; the follower folds them again.
    this.db.pragma("synchronous = NORMAL");
    let committed = false;
    try {
      this.applyTransaction.immediate(events);
      committed = true;
    } finally {
      this.settle(committed);
      this.db.pragma(`synchronous = ${this.synchronous}`);
    }
  }

  async reset(): Promise<void> {
    this.forgetBalances();
    this.resetTransaction.immediate();
  }

  /**
   * One range of the key per currency the account holds (the query's, or each found by a
   * seek), `limit + 1` lines each, merged newest first: the page's lines are the first `limit`
   * of the merge and the rest of the last one's event (at most one line per currency, all
   * among those read); more exist exactly when the merge read any line it did not keep.
   */
  async page(account: string, query: AccountHistoryQuery): Promise<AccountHistoryPage> {
    const limit = pageLimit(query.limit);
    const parameters: LineParameters = {
      stream: this.id(),
      account,
      before: query.before ?? Number.MAX_SAFE_INTEGER,
      from: query.from ?? null,
      to: query.to ?? null,
      types: query.types === undefined ? null : JSON.stringify(query.types),
    };
    const currencies =
      query.currency === undefined
        ? this.statements.currencies.all({ stream: parameters.stream, account }).map(String)
        : [query.currency];
    const merged = currencies
      .flatMap((currency) =>
        this.statements.page.all({ ...parameters, currency, limit: limit + 1 }).map(decodeLine),
      )
      .sort((a, b) => b.sequence - a.sequence || compareText(b.currency, a.currency));
    let kept = Math.min(limit, merged.length);
    const last = merged[kept - 1];
    while (last !== undefined && merged[kept]?.sequence === last.sequence) kept += 1;
    const lines = merged.slice(0, kept);
    return { lines, nextCursor: merged.length > kept ? lines.at(-1)?.sequence : undefined };
  }

  async balanceAtSequence(account: string, currency: string, sequence: number): Promise<bigint> {
    const balance = this.statements.balanceAt.get(this.id(), account, currency, sequence);
    return balance === undefined ? 0n : BigInt(String(balance));
  }

  async sequenceAtTime(at: number): Promise<number> {
    return Number(this.statements.sequenceAtTime.get(this.id(), at) ?? 0);
  }

  async find(lookup: EventLookup, query: EventLookupQuery): Promise<SequencePage> {
    const limit = pageLimit(query.limit);
    const rows = this.statements.find
      .all(this.id(), lookupKey(lookup), query.after ?? 0, limit + 1)
      .map(Number);
    const sequences = rows.slice(0, limit);
    return { sequences, nextCursor: rows.length > limit ? sequences.at(-1) : undefined };
  }

  async contents(): Promise<HistoryContents> {
    const id = this.id();
    const events = this.statements.allEvents.all(id).map((row) => {
      const { postings: _, ...info } = decodeEvent(row);
      return info;
    });
    const lines = this.statements.allLines.all(id).map(decodeLine);
    return { checkpoint: await this.checkpoint(), events, lines };
  }

  /** Inside BEGIN IMMEDIATE: the checkpoint read, the rows and the new checkpoint are one step. */
  private applyLocked(events: readonly ProjectedEvent[]): void {
    const id = this.id();
    let checkpoint = Number(this.statements.checkpoint.get(id) ?? 0);
    if (checkpoint !== this.cachedAt) this.forgetBalances();
    const folded = new Map<string, bigint>();
    const rows = { events: [] as unknown[], lookups: [] as unknown[], lines: [] as unknown[] };
    for (const event of events) {
      if (event.sequence <= checkpoint) continue;
      if (event.sequence !== checkpoint + 1)
        throw new RangeError(
          `history projection at ${checkpoint} cannot fold event ${event.sequence}`,
        );
      rows.events.push(
        id,
        event.sequence,
        event.recordedAt,
        event.type,
        event.commandId,
        event.idempotencyKey,
        event.actor ?? null,
        event.metadata === undefined ? null : JSON.stringify(event.metadata),
      );
      for (const lookup of lookupsOf(event))
        rows.lookups.push(id, lookupKey(lookup), event.sequence);
      for (const posting of event.postings) {
        const key = `${posting.account}\u0000${posting.currency}`;
        const balance =
          (folded.get(key) ?? this.lastBalance(id, key, posting.account, posting.currency)) +
          posting.amount;
        folded.set(key, balance);
        rows.lines.push(
          id,
          posting.account,
          event.sequence,
          posting.currency,
          posting.amount.toString(),
          balance.toString(),
          posting.counterparty ?? null,
        );
      }
      checkpoint = event.sequence;
    }
    this.statements.insertEvents.run(rows.events);
    this.statements.insertLookups.run(rows.lookups);
    this.statements.insertLines.run(rows.lines);
    this.statements.setCheckpoint.run(checkpoint, id);
    this.folding = { balances: folded, to: checkpoint };
  }

  private lastBalance(id: number, key: string, account: string, currency: string): bigint {
    const cached = this.balances.get(key);
    if (cached !== undefined) return cached;
    const stored = this.statements.lastBalance.get(id, account, currency);
    return stored === undefined ? 0n : BigInt(String(stored));
  }

  /**
   * The stream's small id, given on first use (a row in `history_checkpoints`). A read-only
   * connection gives none: a stream without its row reads as id 0, which no row has (ids
   * start at 1), so as an empty projection at checkpoint 0.
   */
  private id(): number {
    if (this.streamId !== undefined) return this.streamId;
    if (this.db.readonly) return Number(this.statements.streamId.get(this.stream) ?? 0);
    this.statements.addStream.run(this.stream);
    this.streamId = Number(this.statements.streamId.get(this.stream));
    return this.streamId;
  }
}

/** An event is found by its idempotency key, its command id and each metadata pair. */
function lookupsOf(event: ProjectedEvent): EventLookup[] {
  return [
    { idempotencyKey: event.idempotencyKey },
    { commandId: event.commandId },
    ...Object.entries(event.metadata ?? {}).map(([key, value]) => ({ metadata: { key, value } })),
  ];
}

function prepare(db: Database.Database) {
  const joined = `FROM history_lines l JOIN history_events e
    ON e.stream_id = l.stream_id AND e.sequence = l.sequence`;
  return {
    addStream: db.prepare<[string]>(
      `INSERT INTO history_checkpoints (stream, stream_id, sequence)
       VALUES (?, (SELECT coalesce(max(stream_id), 0) + 1 FROM history_checkpoints), 0)
       ON CONFLICT (stream) DO NOTHING`,
    ),
    streamId: db
      .prepare<[string], unknown>("SELECT stream_id FROM history_checkpoints WHERE stream = ?")
      .pluck(),
    checkpoint: db
      .prepare<[number], unknown>("SELECT sequence FROM history_checkpoints WHERE stream_id = ?")
      .pluck(),
    setCheckpoint: db.prepare<[number, number]>(
      "UPDATE history_checkpoints SET sequence = ? WHERE stream_id = ?",
    ),
    reset: ["history_events", "history_lines", "history_lookups"].map((table) =>
      db.prepare<[number]>(`DELETE FROM ${table} WHERE stream_id = ?`),
    ),
    insertEvents: new ChunkedInsert(
      db,
      `INSERT INTO history_events
         (stream_id, sequence, recorded_at, type, command_id, idempotency_key, actor, metadata)`,
      8,
    ),
    insertLookups: new ChunkedInsert(
      db,
      "INSERT OR IGNORE INTO history_lookups (stream_id, key, sequence)",
      3,
    ),
    insertLines: new ChunkedInsert(
      db,
      `INSERT INTO history_lines
         (stream_id, account, sequence, currency, amount, balance, counterparty)`,
      7,
    ),
    lastBalance: db
      .prepare<[number, string, string], unknown>(
        `SELECT balance FROM history_lines WHERE stream_id = ? AND account = ? AND currency = ?
         ORDER BY sequence DESC LIMIT 1`,
      )
      .pluck(),
    balanceAt: db
      .prepare<[number, string, string, number], unknown>(
        `SELECT balance FROM history_lines WHERE stream_id = ? AND account = ? AND currency = ?
         AND sequence <= ? ORDER BY sequence DESC LIMIT 1`,
      )
      .pluck(),
    sequenceAtTime: db
      .prepare<[number, number], unknown>(
        `SELECT sequence FROM history_events WHERE stream_id = ? AND recorded_at <= ?
         ORDER BY recorded_at DESC, sequence DESC LIMIT 1`,
      )
      .pluck(),
    // The account's currencies, one seek each (bounded by the currencies it ever held).
    currencies: db
      .prepare<[{ stream: number; account: string }], unknown>(
        `WITH RECURSIVE held (currency) AS (
           SELECT (SELECT min(currency) FROM history_lines WHERE stream_id = :stream AND account = :account)
           UNION ALL
           SELECT (SELECT min(currency) FROM history_lines
                   WHERE stream_id = :stream AND account = :account AND currency > held.currency)
           FROM held WHERE held.currency IS NOT NULL)
         SELECT currency FROM held WHERE currency IS NOT NULL`,
      )
      .pluck(),
    page: db.prepare<[LineParameters & { currency: string; limit: number }], unknown>(
      `SELECT ${LINE_COLUMNS} ${joined}
       WHERE l.stream_id = :stream AND l.account = :account AND l.currency = :currency
         AND l.sequence < :before ${LINE_FILTERS}
       ORDER BY l.sequence DESC LIMIT :limit`,
    ),
    find: db
      .prepare<[number, string, number, number], unknown>(
        `SELECT sequence FROM history_lookups WHERE stream_id = ? AND key = ? AND sequence > ?
         ORDER BY sequence LIMIT ?`,
      )
      .pluck(),
    allEvents: db.prepare<[number], unknown>(
      `SELECT sequence, recorded_at, type, command_id, idempotency_key, actor, metadata
       FROM history_events WHERE stream_id = ? ORDER BY sequence`,
    ),
    allLines: db.prepare<[number], unknown>(
      `SELECT ${LINE_COLUMNS} ${joined} WHERE l.stream_id = ?
       ORDER BY l.account, l.sequence, l.currency`,
    ),
  };
}

function decodeEvent(row: unknown): ProjectedEvent {
  const { sequence, recorded_at, type, command_id, idempotency_key, actor, metadata } =
    row as Record<string, unknown>;
  if (
    typeof sequence !== "number" ||
    typeof recorded_at !== "number" ||
    typeof type !== "string" ||
    typeof command_id !== "string" ||
    typeof idempotency_key !== "string"
  )
    throw new StoreFormatError(`a history row does not decode (sequence ${String(sequence)})`);
  return {
    sequence,
    recordedAt: recorded_at,
    type: type as LedgerEventType,
    commandId: command_id,
    idempotencyKey: idempotency_key,
    ...(typeof actor === "string" ? { actor } : {}),
    ...(typeof metadata === "string" ? { metadata: JSON.parse(metadata) as Metadata } : {}),
    postings: [],
  };
}

function decodeLine(row: unknown): AccountHistoryLine {
  const { account, currency, amount, balance, counterparty } = row as Record<string, unknown>;
  if (typeof account !== "string" || typeof currency !== "string")
    throw new StoreFormatError("a history line does not decode");
  const { postings: _, ...event } = decodeEvent(row);
  return {
    ...event,
    account,
    currency,
    amount: BigInt(String(amount)),
    balance: BigInt(String(balance)),
    ...(typeof counterparty === "string" ? { counterparty } : {}),
  };
}
