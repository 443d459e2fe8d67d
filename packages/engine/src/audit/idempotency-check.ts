/**
 * Idempotency (invariant 5): within its retention window an idempotency key records one
 * command. A retry with the same payload must have returned the original events, and a
 * different payload must have been refused, so a key whose events appear twice inside the
 * window means the engine decided the same request twice (or the stream was edited).
 * After the window the key is forgotten by design and may record a new command.
 *
 * Memory follows the retention window, not the stream: each key's latest use is kept, and
 * uses are dropped in recording order once they leave the window, as in the engine's own
 * table. Uses are kept as parallel columns (key, position, time) and the map holds each
 * key's index in them, not an object per use: at 20 commands a second the window holds
 * 1.7M keys, and a use object, a queue entry and a boxed timestamp per key made ~135 bytes
 * a key; the columns and the map take ~60 (the key strings are shared with the ledger
 * state's own table, which holds the same window).
 */
import { formatTimestamp, IDEMPOTENCY_RETENTION_DEFAULT_MS, type RecordedEvent } from "@pacioli/core";
import type { Findings } from "./audit-report.js";

/** Expired uses dropped from the columns' front at once, so the copy costs O(1) per use. */
const COMPACT_AFTER = 4096;

export class IdempotencyCheck {
  /** Key → absolute index of its latest use (`base` is the absolute index of column slot 0). */
  private readonly latest = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly positions: number[] = [];
  private readonly recordedAts: number[] = [];
  /** Column slot of the oldest use not yet expired. */
  private head = 0;
  private base = 0;

  constructor(
    private readonly findings: Findings,
    private readonly retentionMs: number = IDEMPOTENCY_RETENTION_DEFAULT_MS,
  ) {}

  /** Keys inside the retention window. */
  get size(): number {
    return this.latest.size;
  }

  /** Uses held in the columns, expired ones not yet dropped included: what memory follows. */
  get retained(): number {
    return this.keys.length;
  }

  check(position: number, recorded: RecordedEvent): void {
    if (recorded.indexInCommand !== 0) return; // one check per command, at its first event
    this.forgetBefore(recorded.recordedAt - this.retentionMs);
    const key = recorded.idempotencyKey;
    const previous = this.latest.get(key);
    if (previous !== undefined) {
      const slot = previous - this.base;
      this.findings.add(
        "idempotency",
        position,
        `idempotency key ${key} already recorded a command at position ${this.positions[slot] as number} (${formatTimestamp(this.recordedAts[slot] as number)}), within its retention window`,
      );
    }
    this.latest.set(key, this.base + this.keys.length);
    this.keys.push(key);
    this.positions.push(position);
    this.recordedAts.push(recorded.recordedAt);
  }

  private forgetBefore(cutoff: number): void {
    const length = this.keys.length;
    while (this.head < length && (this.recordedAts[this.head] as number) <= cutoff) {
      const key = this.keys[this.head] as string;
      // A key reused inside the stream has a newer use: forget it only at its latest one.
      if (this.latest.get(key) === this.base + this.head) this.latest.delete(key);
      this.head += 1;
    }
    if (this.head > COMPACT_AFTER && this.head * 2 > length) this.dropExpired();
  }

  private dropExpired(): void {
    const dropped = this.head;
    this.keys.splice(0, dropped);
    this.positions.splice(0, dropped);
    this.recordedAts.splice(0, dropped);
    this.base += dropped;
    this.head = 0;
  }
}
