/**
 * A deliberately simple reference model of an event store, for model-based tests.
 *
 * It has no positions of its own (they are opaque and adapter-specific): it keeps the
 * global commit order as an array and remembers the positions the real store returned,
 * so that a retried append can be checked against the original result. Everything is
 * linear scans over arrays; it is meant to be obviously right, not fast.
 */
import type { NewEvent, Position, StoredSnapshot } from "@pacioli/engine";

/** An event as the model keeps it: what a `StoredEvent` is, minus the opaque position. */
export interface ModelEvent extends NewEvent {
  readonly stream: string;
  readonly streamIndex: number;
}

export type ModelAppendOutcome =
  | {
      readonly _tag: "Appended";
      readonly nextVersion: number;
      readonly lastLogIndex: number;
      readonly wrote: boolean;
    }
  | {
      readonly _tag: "VersionConflict";
      readonly expectedVersion: number;
      readonly actualVersion: number;
    };

/** A successful append, kept so that a later command can retry it. */
export interface ModelAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: number;
}

export class ReferenceStoreModel {
  /** Every event in commit order. */
  readonly log: ModelEvent[] = [];
  /** Successful appends in commit order. */
  readonly appends: ModelAppend[] = [];
  /** Positions the real store returned, by index in `log` of the last event of an append. */
  readonly positions = new Map<number, Position>();
  readonly snapshots = new Map<string, StoredSnapshot>();
  private eventCount = 0;

  /** A fresh deterministic event id, unique within one model run. */
  freshEventId(): string {
    this.eventCount += 1;
    return `event-${this.eventCount}`;
  }

  streamEvents(stream: string): ModelEvent[] {
    return this.log.filter((event) => event.stream === stream);
  }

  version(stream: string): number {
    return this.streamEvents(stream).length;
  }

  /** The port's append rule, spelled out. */
  append(stream: string, events: readonly NewEvent[], expectedVersion: number): ModelAppendOutcome {
    const existing = this.streamEvents(stream);
    if (existing.length === expectedVersion) return this.write(stream, events, expectedVersion);
    const range = existing.slice(expectedVersion, expectedVersion + events.length);
    const isRetry =
      range.length === events.length &&
      range.every((event, offset) => event.eventId === events[offset]?.eventId);
    const last = range.at(-1);
    if (isRetry && last !== undefined) {
      return {
        _tag: "Appended",
        nextVersion: expectedVersion + events.length,
        lastLogIndex: this.log.indexOf(last),
        wrote: false,
      };
    }
    return { _tag: "VersionConflict", expectedVersion, actualVersion: existing.length };
  }

  readStream(stream: string, fromIndex: number, limit: number | undefined): ModelEvent[] {
    const events = this.streamEvents(stream).slice(fromIndex);
    return limit === undefined ? events : events.slice(0, limit);
  }

  private write(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): ModelAppendOutcome {
    events.forEach((event, offset) => {
      this.log.push({
        eventId: event.eventId,
        type: event.type,
        payload: event.payload,
        stream,
        streamIndex: expectedVersion + offset,
      });
    });
    this.appends.push({ stream, events, expectedVersion });
    return {
      _tag: "Appended",
      nextVersion: expectedVersion + events.length,
      lastLogIndex: this.log.length - 1,
      wrote: true,
    };
  }
}
