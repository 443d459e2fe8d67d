/**
 * The store port: what the engine needs from any event store, and nothing more.
 *
 * The engine owns the meaning of events; a store only keeps ordered, opaque records.
 * Every adapter (memory, SQLite, EventStoreDB) implements this interface and passes the
 * one contract suite in `@pacioli/store-testkit`.
 *
 * - Stream versions are counts: a stream that does not exist has version 0, and after
 *   appending n events to a stream of version v its version is v + n. `expectedVersion`
 *   is always exact (0 means "no stream"); there is no "any".
 * - Global positions are opaque strings whose lexicographic order is the total order of
 *   commits across all streams (adapters zero-pad). They may be sparse.
 * - Event ids are deterministic (chosen by the engine from the command and the event's
 *   index), so an append retried with the same ids at the same expected version is
 *   recognised: it returns the original result and writes nothing.
 * - An append may carry the idempotency records of the commands whose events it holds; a
 *   store that keeps the key window (`findIdempotency`) writes them in the same transaction
 *   as the events, so a key is findable exactly when its events are durable (ADR 0011).
 * - A version conflict is an expected outcome and comes back as a value; a store that
 *   cannot do its job (I/O failure, unreachable server) rejects with a `StoreError`.
 */
import type { HistoryProjection } from "../history/history-projection.js";
import type { ProjectedEvent } from "../history/projected-event.js";

/** An opaque, totally ordered position in the store's global log (lexicographic order). */
export type Position = string & { readonly __brand: "Position" };

/** An event as the engine hands it to the store: canonical JSON text, kept byte for byte. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly payload: string;
}

/** An event as the store hands it back. */
export interface StoredEvent extends NewEvent {
  readonly stream: string;
  /** Zero-based index of the event in its stream; the stream's version after it is index + 1. */
  readonly streamIndex: number;
  readonly position: Position;
}

export type AppendResult =
  | {
      readonly _tag: "Appended";
      /** Stream version after the append (the count of events in the stream). */
      readonly nextVersion: number;
      /** Global position of the last event written. */
      readonly position: Position;
    }
  | {
      readonly _tag: "VersionConflict";
      readonly expectedVersion: number;
      readonly actualVersion: number;
    };

export interface ReadAllPage {
  readonly events: readonly StoredEvent[];
  /** Pass as `after` to read the next page; null when the page is empty and `after` was null. */
  readonly last: Position | null;
  /** True when no event exists after this page (at the time of reading). */
  readonly isEnd: boolean;
}

export interface ReadStreamOptions {
  /** First stream index to return (default 0). */
  readonly fromIndex?: number;
  /** Maximum number of events to return (default: all). */
  readonly limit?: number;
}

export interface SubscribeOptions {
  /** Called when the subscription ends because of an error (not on `close`). */
  readonly onError?: (error: unknown) => void;
}

/** A live subscription: catch-up from a position, then live; at least once, in order. */
export interface Subscription {
  close(): Promise<void>;
}

export type EventHandler = (event: StoredEvent) => void | Promise<void>;

/** A point-in-time copy of engine state, stored beside the stream it summarises. */
export interface StoredSnapshot {
  readonly stream: string;
  /** Stream version the snapshot covers (events [0, version) are folded into it). */
  readonly version: number;
  /** Opaque payload the engine wrote (canonical JSON text). */
  readonly payload: string;
}

/**
 * What a store keeps per recorded command so that a retried idempotency key is found without
 * replaying the stream: the request's digest and where its events are (ADR 0004, 0011).
 */
export interface IdempotencyRecord {
  readonly key: string;
  readonly digest: string;
  /** Sequence (stream version) of the command's first event. */
  readonly firstSequence: number;
  readonly eventCount: number;
  /** Ledger time of the command, epoch milliseconds. */
  readonly recordedAt: number;
}

export interface AppendOptions {
  /**
   * Records of the commands in this append, written atomically with the events (same
   * transaction, same all-or-nothing) by stores that implement `findIdempotency`; a record
   * replaces an older one of the same key in the same stream. Ignored by other stores.
   */
  readonly idempotency?: readonly IdempotencyRecord[];
  /**
   * The appended events as the history projection keeps them. A store with its own
   * `historyProjection` folds them in the same transaction when the projection is at
   * `expectedVersion` (so it is never behind an acknowledgement), and leaves them to the
   * engine's follower otherwise. Ignored by other stores.
   */
  readonly history?: readonly ProjectedEvent[];
}

export interface EventStore {
  /** Appends all events atomically at the exact expected version, or none of them. */
  append(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * The latest record of each of `keys` appended to `stream` (keys never recorded are absent),
   * in one round trip. Optional: a store without it keeps no key window, and the engine keeps
   * the whole window in memory instead, derived from the stream on open.
   */
  findIdempotency?(
    stream: string,
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, IdempotencyRecord>>;
  /**
   * The store's own, persisted history projection of `stream` (ADR 0018). Optional: for a
   * store without it the engine holds the projection in memory, built from the stream on
   * first use after every start.
   */
  readonly historyProjection?: ((stream: string) => HistoryProjection) | undefined;
  /** Current version (event count) of a stream; 0 when it does not exist. */
  streamVersion(stream: string): Promise<number>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]>;
  /** Events strictly after `after` (null = from the beginning), in global order, at most `limit`. */
  readAll(after: Position | null, limit: number): Promise<ReadAllPage>;
  /** Delivers every event after `after` in order, then new ones as they are appended. */
  subscribe(
    after: Position | null,
    handler: EventHandler,
    options?: SubscribeOptions,
  ): Subscription;
  /** Latest snapshot stored for a stream, if any. */
  readSnapshot(stream: string): Promise<StoredSnapshot | null>;
  /** Stores a snapshot, replacing an older one for the same stream. */
  writeSnapshot(snapshot: StoredSnapshot): Promise<void>;
  close(): Promise<void>;
  /**
   * Largest append the store accepts, in bytes, when it has a limit (EventStoreDB's
   * `MaxAppendSize`, 1 MiB by default). Optional: stores without one (memory, SQLite) leave it
   * out. The engine sizes its group commits to it unless `batchBytesMax` is given, budgeting a
   * fixed overhead per event for the store's framing (`APPEND_EVENT_OVERHEAD_BYTES`).
   */
  readonly maxAppendBytes?: number;
}

/** The store could not do its job; the operation may or may not have taken effect. */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The store's data is not something this version of Pacioli can read. */
export class StoreFormatError extends StoreError {
  override readonly name: string = "StoreFormatError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, false, options);
  }
}

/**
 * What the location holds is not a ledger this Pacioli opens at all (not the store's file
 * format, another application's data, a schema it cannot open as asked): unusable input, as
 * opposed to a ledger whose data is damaged (`StoreFormatError`).
 */
export class NotALedgerError extends StoreFormatError {
  override readonly name: string = "NotALedgerError";
}
