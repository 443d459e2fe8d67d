/**
 * The simulated disk under the simulated store: what a process has written, and how much of
 * it is durable.
 *
 * - A write is visible at once to the process that made it, but durable only after `sync`
 *   (an fsync, a SQLite commit with synchronous FULL). A process crash (`crash`) loses every
 *   write since the last sync, events and snapshots alike: a snapshot replaced but not synced
 *   comes back as the one before it.
 * - Each crash starts a new generation. A store object belongs to the generation it was
 *   opened in; the simulated store checks its token before touching the disk, so a crashed
 *   process (its old `Ledger` and everything it had in flight) can never write again.
 * - The key window (`findIdempotency`, ADR 0011): an append's idempotency records are written
 *   with its events and share their fate: durable with them, lost with them at a crash (a
 *   replaced record comes back as the one before it).
 * - Appends follow the port exactly (count-based versions, exact expected version, a retry
 *   with the same ids at the same version recognised), like `MemoryEventStore`;
 *   `appendUnchecked` exists only for the deliberately broken store variants.
 */
import { appendRetryResult } from "@pacioli/engine";
import type {
  AppendResult,
  IdempotencyRecord,
  NewEvent,
  Position,
  StoredEvent,
  StoredSnapshot,
} from "@pacioli/engine";

const POSITION_DIGITS = 16;

export class SimulatedDisk {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private durableCount = 0;
  private readonly writtenSnapshots = new Map<string, StoredSnapshot>();
  private readonly durableSnapshots = new Map<string, StoredSnapshot>();
  private readonly listeners = new Set<() => void>();
  /** Per stream and key, every record written, each with the log length its append ended at. */
  private readonly keyRecords = new Map<
    string,
    Map<string, { readonly record: IdempotencyRecord; readonly end: number }[]>
  >();
  private currentGeneration = 0;
  /** Syncs and crashes so far, for the report. */
  syncs = 0;
  crashes = 0;

  get generation(): number {
    return this.currentGeneration;
  }

  /** Events written, durable or not. */
  get writtenLength(): number {
    return this.log.length;
  }

  /** Events that survive a crash: the first `durableLength` of the log. */
  get durableLength(): number {
    return this.durableCount;
  }

  eventAt(index: number): StoredEvent | undefined {
    return this.log[index];
  }

  /**
   * `recordsApart` is a broken store's behaviour: the key records are made durable on their
   * own, outside the events' transaction, so a crash can keep a record whose events it lost.
   */
  write(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
    records: readonly IdempotencyRecord[] = [],
    recordsApart = false,
  ): AppendResult {
    if (events.length === 0) throw new RangeError("append needs at least one event");
    const existing = this.streamEvents(stream);
    if (existing.length !== expectedVersion)
      return appendRetryResult(existing, events, expectedVersion);
    this.appendUnchecked(stream, events);
    this.writeKeyRecords(stream, records, recordsApart ? 0 : this.log.length);
    return {
      _tag: "Appended",
      nextVersion: expectedVersion + events.length,
      position: formatPosition(this.log.length),
    };
  }

  /** Appends without the version check: only a broken store does this. */
  appendUnchecked(stream: string, events: readonly NewEvent[]): void {
    const existing = this.streamEvents(stream);
    for (const event of events) {
      const stored: StoredEvent = {
        eventId: event.eventId,
        type: event.type,
        payload: event.payload,
        stream,
        streamIndex: existing.length,
        position: formatPosition(this.log.length + 1),
      };
      this.log.push(stored);
      existing.push(stored);
    }
    for (const listener of this.listeners) listener();
  }

  /** The latest record of each key, among those written (`durableOnly`: those durable). */
  findIdempotency(
    stream: string,
    keys: readonly string[],
    durableOnly = false,
  ): Map<string, IdempotencyRecord> {
    const limit = durableOnly ? this.durableCount : this.log.length;
    const found = new Map<string, IdempotencyRecord>();
    const records = this.keyRecords.get(stream);
    for (const key of keys) {
      const latest = records
        ?.get(key)
        ?.filter((entry) => entry.end <= limit)
        .at(-1);
      if (latest !== undefined) found.set(key, latest.record);
    }
    return found;
  }

  private writeKeyRecords(
    stream: string,
    records: readonly IdempotencyRecord[],
    end: number,
  ): void {
    let byKey = this.keyRecords.get(stream);
    if (byKey === undefined) this.keyRecords.set(stream, (byKey = new Map()));
    for (const record of records) {
      let entries = byKey.get(record.key);
      if (entries === undefined) byKey.set(record.key, (entries = []));
      entries.push({ record: { ...record }, end });
    }
  }

  streamEvents(stream: string): StoredEvent[] {
    let events = this.streams.get(stream);
    if (events === undefined) this.streams.set(stream, (events = []));
    return events;
  }

  /** Events strictly after `after`, at most `limit`, and whether the log ends there. */
  readAll(after: Position | null, limit: number): { events: StoredEvent[]; isEnd: boolean } {
    const start = after === null ? 0 : Number(after);
    const events = this.log.slice(start, start + limit);
    return { events, isEnd: start + events.length >= this.log.length };
  }

  writeSnapshot(snapshot: StoredSnapshot): void {
    this.writtenSnapshots.set(snapshot.stream, { ...snapshot });
  }

  readSnapshot(stream: string): StoredSnapshot | null {
    return this.writtenSnapshots.get(stream) ?? null;
  }

  durableSnapshot(stream: string): StoredSnapshot | null {
    return this.durableSnapshots.get(stream) ?? null;
  }

  /** Makes everything written so far durable. */
  sync(): void {
    this.durableCount = this.log.length;
    for (const [stream, snapshot] of this.writtenSnapshots)
      this.durableSnapshots.set(stream, snapshot);
    this.syncs += 1;
  }

  /**
   * The process dies: unsynced writes are lost and its store objects stop answering.
   * `syncedLost` > 0 is a lying disk (a write cache that acknowledged a sync it did not make):
   * that many synced events are lost too. Only the broken variant asks for it.
   */
  crash(syncedLost = 0): void {
    this.durableCount = Math.max(0, this.durableCount - syncedLost);
    this.log.length = this.durableCount;
    for (const [stream, events] of this.streams) {
      this.streams.set(
        stream,
        events.filter((event) => Number(event.position) <= this.durableCount),
      );
    }
    for (const byKey of this.keyRecords.values()) {
      for (const [key, entries] of byKey)
        byKey.set(
          key,
          entries.filter((entry) => entry.end <= this.durableCount),
        );
    }
    this.writtenSnapshots.clear();
    for (const [stream, snapshot] of this.durableSnapshots)
      this.writtenSnapshots.set(stream, snapshot);
    this.listeners.clear();
    this.currentGeneration += 1;
    this.crashes += 1;
  }

  /** Called after every write (live subscriptions); forgotten at the next crash. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

export function formatPosition(sequence: number): Position {
  return sequence.toString().padStart(POSITION_DIGITS, "0") as Position;
}
