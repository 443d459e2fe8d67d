/**
 * Sequence continuity and the shape of the stream: sequence numbers rise by one from 1,
 * a command's events are contiguous and numbered 0..n-1, recording time never goes back
 * (the engine stamps max(clock, last time)), and the store's event id and type columns say
 * what the payload says.
 *
 * Continuity is checked against the highest sequence seen so far, so a deleted event is
 * reported once where the gap is and a swapped pair where the order breaks, not at every
 * event after them. The store's own stream index (when the source has one) must be the
 * position minus one: a renumbered row is reported where its numbering departs, once.
 */
import type { RecordedEvent } from "@pacioli/core";
import { eventIdOf } from "../journal/journal-codec.js";
import type { Findings } from "./audit-report.js";
import type { AuditRecord } from "./audit-source.js";

/** What the check carries from one event to the next: all an audit resumed later needs. */
export interface SequenceCheckState {
  readonly highest: number;
  /** null before the first event (no time yet). */
  readonly lastRecordedAt: number | null;
  readonly commandId: string | null;
  readonly nextIndex: number;
  readonly eventsInCommand: number;
  readonly indexOffset: number;
}

export class SequenceCheck {
  private highest = 0;
  private lastRecordedAt = Number.NEGATIVE_INFINITY;
  /** The command whose events are being read, and how many of them are still expected. */
  private commandId: string | undefined;
  private nextIndex = 0;
  private eventsInCommand = 0;
  /** How far the store's stream index runs ahead of (or behind) the position; 0 when intact. */
  private indexOffset = 0;

  constructor(private readonly findings: Findings) {}

  save(): SequenceCheckState {
    return {
      highest: this.highest,
      lastRecordedAt: Number.isFinite(this.lastRecordedAt) ? this.lastRecordedAt : null,
      commandId: this.commandId ?? null,
      nextIndex: this.nextIndex,
      eventsInCommand: this.eventsInCommand,
      indexOffset: this.indexOffset,
    };
  }

  restore(saved: SequenceCheckState): void {
    this.highest = saved.highest;
    this.lastRecordedAt = saved.lastRecordedAt ?? Number.NEGATIVE_INFINITY;
    this.commandId = saved.commandId ?? undefined;
    this.nextIndex = saved.nextIndex;
    this.eventsInCommand = saved.eventsInCommand;
    this.indexOffset = saved.indexOffset;
  }

  check(position: number, recorded: RecordedEvent, record: AuditRecord): void {
    const expected = this.highest + 1;
    if (recorded.sequence > expected) {
      const missing =
        recorded.sequence === expected + 1
          ? `${expected} is`
          : `${expected}..${recorded.sequence - 1} are`;
      this.findings.add(
        "sequence",
        position,
        `sequence ${recorded.sequence} follows ${this.highest}: event ${missing} missing`,
      );
    } else if (recorded.sequence < expected) {
      this.findings.add(
        "sequence",
        position,
        `sequence ${recorded.sequence} comes after ${this.highest}: events are out of order or repeated`,
      );
    }
    this.highest = Math.max(this.highest, recorded.sequence);
    if (recorded.recordedAt < this.lastRecordedAt) {
      this.findings.add(
        "sequence",
        position,
        "recorded time goes back in time relative to the event before it",
      );
    }
    this.lastRecordedAt = Math.max(this.lastRecordedAt, recorded.recordedAt);
    this.checkCommandGroup(position, recorded);
    this.checkStreamIndex(position, record);
    if (record.eventId !== undefined && record.eventId !== eventIdOf(recorded)) {
      this.findings.add(
        "envelope",
        position,
        `the store's event id ${record.eventId} is not ${eventIdOf(recorded)}`,
      );
    }
    if (record.type !== undefined && record.type !== recorded.event.type) {
      this.findings.add(
        "envelope",
        position,
        `the store's event type ${record.type} is not the payload's ${recorded.event.type}`,
      );
    }
  }

  /** Called after the last event: a command cut short at the end of the stream. */
  finish(position: number): void {
    if (this.commandId !== undefined && this.nextIndex < this.eventsInCommand) {
      this.findings.add(
        "sequence",
        position,
        `command ${this.commandId} recorded ${this.eventsInCommand} events but the stream ends after ${this.nextIndex}`,
      );
    }
  }

  private checkStreamIndex(position: number, record: AuditRecord): void {
    if (record.streamIndex === undefined) return;
    const offset = record.streamIndex - (position - 1);
    if (offset === this.indexOffset) return;
    this.findings.add(
      "sequence",
      position,
      `the store keeps event ${position} at stream index ${record.streamIndex}, not ${position - 1}: rows were deleted, inserted or renumbered`,
    );
    this.indexOffset = offset;
  }

  private checkCommandGroup(position: number, recorded: RecordedEvent): void {
    if (recorded.indexInCommand >= recorded.eventsInCommand) {
      this.findings.add(
        "sequence",
        position,
        `event index ${recorded.indexInCommand} is outside its command's ${recorded.eventsInCommand} events`,
      );
    }
    const open = this.commandId !== undefined && this.nextIndex < this.eventsInCommand;
    if (recorded.indexInCommand === 0) {
      if (open)
        this.findings.add(
          "sequence",
          position,
          `command ${String(this.commandId)} was cut short after ${this.nextIndex} of ${this.eventsInCommand} events`,
        );
    } else if (
      !open ||
      recorded.commandId !== this.commandId ||
      recorded.indexInCommand !== this.nextIndex
    ) {
      this.findings.add(
        "sequence",
        position,
        `event ${recorded.indexInCommand} of command ${recorded.commandId} does not follow event ${recorded.indexInCommand - 1} of the same command`,
      );
    } else if (recorded.eventsInCommand !== this.eventsInCommand) {
      this.findings.add(
        "sequence",
        position,
        `event ${recorded.indexInCommand} of command ${recorded.commandId} says the command has ${recorded.eventsInCommand} events, its first said ${this.eventsInCommand}`,
      );
    }
    this.commandId = recorded.commandId;
    this.nextIndex = recorded.indexInCommand + 1;
    this.eventsInCommand = recorded.eventsInCommand;
  }
}
