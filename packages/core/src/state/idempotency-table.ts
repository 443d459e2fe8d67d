/**
 * Idempotency keys remembered for a retention window of ledger time (24 h by default, as
 * payment APIs do), so memory follows the rate of commands, not the age of the ledger.
 *
 * Keys arrive in recording order, which is time order, so expiry is a queue: the oldest
 * key is always at the head.
 */
import { MILLISECONDS_PER_HOUR, type Timestamp } from "../time/timestamp.js";

export const IDEMPOTENCY_RETENTION_DEFAULT_MS = 24 * MILLISECONDS_PER_HOUR;

export interface IdempotencyEntry {
  readonly key: string;
  readonly digest: string;
  readonly firstSequence: number;
  readonly eventCount: number;
  readonly recordedAt: Timestamp;
}

export class IdempotencyTable {
  private readonly entries = new Map<string, IdempotencyEntry>();
  private readonly queue: IdempotencyEntry[] = [];
  private head = 0;

  constructor(readonly retentionMs: number = IDEMPOTENCY_RETENTION_DEFAULT_MS) {}

  get(key: string): IdempotencyEntry | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  remember(entry: IdempotencyEntry): void {
    this.entries.set(entry.key, entry);
    this.queue.push(entry);
  }

  /** Forgets every key recorded at or before `now - retention`. */
  expire(now: Timestamp): void {
    const cutoff = now - this.retentionMs;
    while (this.head < this.queue.length) {
      const oldest = this.queue[this.head];
      if (oldest === undefined || oldest.recordedAt > cutoff) break;
      // A key reused after expiry has a newer entry: only forget the one that expired.
      if (this.entries.get(oldest.key) === oldest) this.entries.delete(oldest.key);
      this.head += 1;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Live entries in recording order (for snapshots). */
  *live(): IterableIterator<IdempotencyEntry> {
    for (let index = this.head; index < this.queue.length; index += 1) {
      const entry = this.queue[index];
      if (entry !== undefined && this.entries.get(entry.key) === entry) yield entry;
    }
  }
}
