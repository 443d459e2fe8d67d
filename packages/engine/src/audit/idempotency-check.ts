/**
 * Idempotency (invariant 5): within its retention window an idempotency key records one
 * command. A retry with the same payload must have returned the original events, and a
 * different payload must have been refused, so a key whose events appear twice inside the
 * window means the engine decided the same request twice (or the stream was edited).
 * After the window the key is forgotten by design and may record a new command.
 *
 * Memory follows the retention window, not the stream: the uses are kept in the ledger's own
 * `IdempotencyTable` (by columns, expired in recording order), with the position of the
 * command in place of its first sequence.
 */
import {
  formatTimestamp,
  IdempotencyTable,
  IDEMPOTENCY_RETENTION_DEFAULT_MS,
  type IdempotencyEntry,
  type RecordedEvent,
} from "@pacioli/core";
import type { Findings } from "./audit-report.js";

export class IdempotencyCheck {
  private readonly uses: IdempotencyTable;

  constructor(
    private readonly findings: Findings,
    retentionMs: number = IDEMPOTENCY_RETENTION_DEFAULT_MS,
  ) {
    this.uses = new IdempotencyTable(retentionMs);
  }

  get retentionMs(): number {
    return this.uses.retentionMs;
  }

  /**
   * The keys still held, in recording order (with the position of their command as
   * `firstSequence`): all the check needs of the events before to judge the ones after. A
   * table refilled from them in this order answers every later lookup and expiry the same.
   */
  live(): IterableIterator<IdempotencyEntry> {
    return this.uses.live();
  }

  restore(entries: Iterable<IdempotencyEntry>): void {
    for (const entry of entries) this.uses.remember(entry);
  }

  /** Keys inside the retention window. */
  get size(): number {
    return this.uses.size;
  }

  /** Uses held, expired ones not yet dropped included: what memory follows. */
  get retained(): number {
    return this.uses.retained;
  }

  check(position: number, recorded: RecordedEvent): void {
    if (recorded.indexInCommand !== 0) return; // one check per command, at its first event
    this.uses.expire(recorded.recordedAt);
    const key = recorded.idempotencyKey;
    const previous = this.uses.get(key);
    if (previous !== undefined) {
      this.findings.add(
        "idempotency",
        position,
        `idempotency key ${key} already recorded a command at position ${previous.firstSequence} (${formatTimestamp(previous.recordedAt)}), within its retention window`,
      );
    }
    this.uses.add(key, recorded.digest, position, recorded.eventsInCommand, recorded.recordedAt);
  }
}
