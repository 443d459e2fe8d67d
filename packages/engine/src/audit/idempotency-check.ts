/**
 * Idempotency (invariant 5): within its retention window an idempotency key records one
 * command. A retry with the same payload must have returned the original events, and a
 * different payload must have been refused, so a key whose events appear twice inside the
 * window means the engine decided the same request twice (or the stream was edited).
 * After the window the key is forgotten by design and may record a new command.
 *
 * Only each key's latest use is kept, and expired keys are dropped in recording order, so
 * memory follows the rate of commands, as in the engine's own table.
 */
import { formatTimestamp, IDEMPOTENCY_RETENTION_DEFAULT_MS, type RecordedEvent } from "@pacioli/core";
import type { Findings } from "./audit-report.js";

interface KeyUse {
  readonly position: number;
  readonly recordedAt: number;
}

export class IdempotencyCheck {
  private readonly lastUse = new Map<string, KeyUse>();
  private readonly queue: { key: string; use: KeyUse }[] = [];
  private head = 0;

  constructor(
    private readonly findings: Findings,
    private readonly retentionMs: number = IDEMPOTENCY_RETENTION_DEFAULT_MS,
  ) {}

  check(position: number, recorded: RecordedEvent): void {
    if (recorded.indexInCommand !== 0) return; // one check per command, at its first event
    this.forgetBefore(recorded.recordedAt - this.retentionMs);
    const previous = this.lastUse.get(recorded.idempotencyKey);
    if (previous !== undefined) {
      this.findings.add(
        "idempotency",
        position,
        `idempotency key ${recorded.idempotencyKey} already recorded a command at position ${previous.position} (${formatTimestamp(previous.recordedAt)}), within its retention window`,
      );
    }
    const use = { position, recordedAt: recorded.recordedAt };
    this.lastUse.set(recorded.idempotencyKey, use);
    this.queue.push({ key: recorded.idempotencyKey, use });
  }

  private forgetBefore(cutoff: number): void {
    while (this.head < this.queue.length) {
      const oldest = this.queue[this.head];
      if (oldest === undefined || oldest.use.recordedAt > cutoff) break;
      if (this.lastUse.get(oldest.key) === oldest.use) this.lastUse.delete(oldest.key);
      this.head += 1;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
