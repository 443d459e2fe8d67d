/**
 * Idempotency keys remembered for a retention window of ledger time (24 h by default, as
 * payment APIs do), so memory follows the rate of commands, not the age of the ledger.
 *
 * Keys arrive in recording order, which is time order, so expiry is a queue: the oldest
 * key is always at the head.
 *
 * With a `capacity`, the table is a bounded hot set: adding a key beyond it forgets the oldest
 * (the store behind the engine answers for keys no longer in memory, ADR 0011). Forgetting is
 * not expiry: a caller that bounds the table must look keys up elsewhere before deciding.
 *
 * This table is on every command's path (a lookup when deciding, an insertion when folding)
 * and holds a day of keys, so it is built for that size:
 * - The queue is kept as parallel columns (key, digest, first sequence, event count, time),
 *   not an entry object per command: a day of long-lived objects and boxed timestamps is
 *   that much more for the garbage collector to copy and promote. Entries are materialised
 *   only when asked for (a retry, a snapshot).
 * - Keys are found through an open-addressing index (linear probing over one typed array of
 *   32-bit key hashes and queue positions, side by side). A lookup in a `Map` of a million strings misses
 *   the cache three times (bucket, entry, key string); here a miss reads one slot, and the
 *   key string only when its full hash matches.
 */
import { MILLISECONDS_PER_HOUR, type Timestamp } from "../time/timestamp.js";

export const IDEMPOTENCY_RETENTION_DEFAULT_MS = 24 * MILLISECONDS_PER_HOUR;
/**
 * Keys an engine keeps in memory by default when its store holds the window (ADR 0011): a hot
 * set for retries that come soon, about 25 MB. The table itself is unbounded unless given one.
 */
export const IDEMPOTENCY_HOT_SET_MAX_DEFAULT = 100_000;

export interface IdempotencyEntry {
  readonly key: string;
  readonly digest: string;
  readonly firstSequence: number;
  readonly eventCount: number;
  readonly recordedAt: Timestamp;
}

const EMPTY = -1;
const INITIAL_SLOTS = 1024;

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser so the low bits index well. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1)
    hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

export class IdempotencyTable {
  // The queue, one column per field; column index 0 is absolute position `base`.
  private readonly keys: string[] = [];
  private readonly digests: string[] = [];
  private readonly firstSequences: number[] = [];
  private readonly eventCounts: number[] = [];
  private readonly recordedAts: number[] = [];
  /** Column index of the oldest entry not yet expired. */
  private head = 0;
  /** Absolute position of column index 0 (grows as expired entries are dropped). */
  private base = 0;

  // The index: slot i is `slots[2i]`, a live key's hash, and `slots[2i + 1]`, its latest absolute
  // queue position (EMPTY: a free slot). Side by side, so a probe reads one cache line.
  private slots = new Float64Array(2 * INITIAL_SLOTS).fill(EMPTY);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  constructor(
    readonly retentionMs: number = IDEMPOTENCY_RETENTION_DEFAULT_MS,
    /** Live keys held at most; the oldest is forgotten beyond it. */
    readonly capacity: number = Number.POSITIVE_INFINITY,
  ) {
    if (!(capacity >= 1))
      throw new RangeError(`an idempotency table holds at least one key, got capacity ${capacity}`);
  }

  get(key: string): IdempotencyEntry | undefined {
    const slot = this.slotOf(key, hashKey(key));
    if (slot < 0) return undefined;
    return this.entryAt((this.slots[2 * slot + 1] as number) - this.base);
  }

  get size(): number {
    return this.count;
  }

  /** Entries held, expired ones not yet dropped included: what the table's memory follows. */
  get retained(): number {
    return this.keys.length;
  }

  remember(entry: IdempotencyEntry): void {
    this.add(entry.key, entry.digest, entry.firstSequence, entry.eventCount, entry.recordedAt);
  }

  /** Remembers the command of a recorded event that opens it (`indexInCommand` 0). */
  addCommandOf(recorded: {
    readonly idempotencyKey: string;
    readonly digest: string;
    readonly sequence: number;
    readonly eventsInCommand: number;
    readonly recordedAt: Timestamp;
  }): void {
    this.add(
      recorded.idempotencyKey,
      recorded.digest,
      recorded.sequence,
      recorded.eventsInCommand,
      recorded.recordedAt,
    );
  }

  /** `remember` without the entry object: what `evolve` calls once per command. */
  add(
    key: string,
    digest: string,
    firstSequence: number,
    eventCount: number,
    recordedAt: Timestamp,
  ): void {
    const position = this.base + this.keys.length;
    this.keys.push(key);
    this.digests.push(digest);
    this.firstSequences.push(firstSequence);
    this.eventCounts.push(eventCount);
    this.recordedAts.push(recordedAt);
    // A key seen before (and not yet expired) now points at its newer entry.
    const hash = hashKey(key);
    let slot = hash & this.mask;
    for (;;) {
      const held = this.slots[2 * slot + 1] as number;
      if (held === EMPTY) break;
      if (this.slots[2 * slot] === hash && this.keys[held - this.base] === key) {
        this.slots[2 * slot + 1] = position;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.slots[2 * slot] = hash;
    this.slots[2 * slot + 1] = position;
    this.count += 1;
    if (this.count * 2 > this.mask + 1) this.grow();
    while (this.count > this.capacity) this.dropHead();
    this.compact();
  }

  /** Forgets every key recorded at or before `now - retention`. */
  expire(now: Timestamp): void {
    const cutoff = now - this.retentionMs;
    while (this.head < this.keys.length && (this.recordedAts[this.head] as number) <= cutoff)
      this.dropHead();
    this.compact();
  }

  /** Forgets the oldest entry held (expired, or evicted from a bounded table). */
  private dropHead(): void {
    // A key added again later has a newer entry: only forget the one at the head.
    const key = this.keys[this.head] as string;
    const slot = this.slotOf(key, hashKey(key));
    if (slot >= 0 && this.slots[2 * slot + 1] === this.base + this.head) this.free(slot);
    this.head += 1;
  }

  /** Drops the columns' dropped prefix once it is most of them (amortised O(1) per entry). */
  private compact(): void {
    const length = this.keys.length;
    if (this.head > 4096 && this.head * 2 > length) {
      const dropped = this.head;
      this.keys.splice(0, dropped);
      this.digests.splice(0, dropped);
      this.firstSequences.splice(0, dropped);
      this.eventCounts.splice(0, dropped);
      this.recordedAts.splice(0, dropped);
      this.base += dropped;
      this.head = 0;
    }
  }

  /** Live entries in recording order (for snapshots). */
  *live(): IterableIterator<IdempotencyEntry> {
    for (let index = this.head; index < this.keys.length; index += 1) {
      const key = this.keys[index] as string;
      const slot = this.slotOf(key, hashKey(key));
      if (slot >= 0 && this.slots[2 * slot + 1] === this.base + index) yield this.entryAt(index);
    }
  }

  private entryAt(index: number): IdempotencyEntry {
    return {
      key: this.keys[index] as string,
      digest: this.digests[index] as string,
      firstSequence: this.firstSequences[index] as number,
      eventCount: this.eventCounts[index] as number,
      recordedAt: this.recordedAts[index] as number,
    };
  }

  /** The slot holding `key`, or -1. */
  private slotOf(key: string, hash: number): number {
    let slot = hash & this.mask;
    for (;;) {
      const held = this.slots[2 * slot + 1] as number;
      if (held === EMPTY) return -1;
      if (this.slots[2 * slot] === hash && this.keys[held - this.base] === key) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Empties a slot, shifting back later slots of its probe run so every key stays reachable. */
  private free(slot: number): void {
    const mask = this.mask;
    let hole = slot;
    let next = (hole + 1) & mask;
    while ((this.slots[2 * next + 1] as number) !== EMPTY) {
      const home = (this.slots[2 * next] as number) & mask;
      // Move `next` into the hole unless its home lies cyclically in (hole, next].
      const homeAfterHole =
        hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!homeAfterHole) {
        this.slots[2 * hole] = this.slots[2 * next] as number;
        this.slots[2 * hole + 1] = this.slots[2 * next + 1] as number;
        hole = next;
      }
      next = (next + 1) & mask;
    }
    this.slots[2 * hole + 1] = EMPTY;
    this.count -= 1;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = old.length; // twice the old slot count: the new slot count
    this.slots = new Float64Array(2 * capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let index = 0; index < old.length; index += 2) {
      const position = old[index + 1] as number;
      if (position === EMPTY) continue;
      const hash = old[index] as number;
      let slot = hash & this.mask;
      while ((this.slots[2 * slot + 1] as number) !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = hash;
      this.slots[2 * slot + 1] = position;
    }
  }
}
