/**
 * Keeps a history projection up with the stream, off the write path (ADR 0018). The writer
 * hands over each durable batch (an array push, the events already decoded) and never waits;
 * the follower folds them in steps of its own, each one `apply` (one transaction on SQLite)
 * that moves the checkpoint with the lines.
 *
 * - Only durable events are handed over, and a step folds exactly the sequences after the
 *   projection's checkpoint: a batch already covered is skipped, a gap (another writer, a
 *   start, a rebuild, a dropped backlog) is closed by reading the store from the checkpoint.
 *   Nothing is folded twice or out of order, whatever the timing.
 * - Every step runs in one chain, so a query's catch-up and the background never interleave.
 * - A failed step (a store error) is reported and left: the next step, the next batch or
 *   the next query starts again from the persisted checkpoint.
 */
import type { CurrencyRegistry, RecordedEvent } from "@pacioli/core";
import { decodeEntry } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";
import type { HistoryProjection } from "./history-projection.js";
import { projectEvent } from "./projected-event.js";

/** Events folded per step at most: one transaction each, so the event loop turns between them. */
export const HISTORY_STEP_EVENTS_MAX = 512;
/** Events waiting to be folded, at most; beyond it they are dropped and read back from the store. */
export const HISTORY_BACKLOG_EVENTS_MAX = 100_000;

export class HistoryFollower {
  private backlog: RecordedEvent[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private scheduled = false;

  constructor(
    readonly projection: HistoryProjection,
    private readonly store: EventStore,
    private readonly stream: string,
    private readonly registry: () => CurrencyRegistry,
    private readonly onWarning?: (message: string) => void,
  ) {}

  /** Hands over events that are durable; folded soon, in the background. */
  follow(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    if (this.backlog.length + events.length > HISTORY_BACKLOG_EVENTS_MAX) this.backlog = [];
    else this.backlog.push(...events);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.background());
  }

  /** Resolves once the projection holds every event up to `sequence` (read-your-writes). */
  async reach(sequence: number): Promise<number> {
    for (;;) {
      const checkpoint = await this.serially(() => this.projection.checkpoint());
      if (checkpoint >= sequence) return checkpoint;
      const folded = await this.serially(() => this.step(checkpoint));
      if (folded === 0)
        throw new RangeError(
          `the history projection is at ${checkpoint}, the stream ends before ${sequence}`,
        );
    }
  }

  /** Empties the projection and folds the whole stream again, up to `sequence` at least. */
  async rebuild(sequence: number): Promise<number> {
    await this.serially(() => this.projection.reset());
    return this.reach(sequence);
  }

  /** Resolves once no step is running or queued (for tests and a clean close). */
  async settled(): Promise<void> {
    while (this.scheduled) await new Promise((resolve) => setImmediate(resolve));
    await this.chain.catch(() => undefined);
  }

  private background(): void {
    void this.serially(async () => {
      const checkpoint = await this.projection.checkpoint();
      this.backlog = this.backlog.filter((event) => event.sequence > checkpoint);
      return this.backlog.length === 0 ? 0 : this.step(checkpoint);
    }).then(
      () => {
        if (this.backlog.length > 0) setImmediate(() => this.background());
        else this.scheduled = false;
      },
      (error: unknown) => {
        this.scheduled = false;
        this.onWarning?.(
          `cannot update the history projection of ${this.stream}: ${String(error)}`,
        );
      },
    );
  }

  /** Folds the events after `checkpoint`: from the backlog when it continues it, else from the store. */
  private async step(checkpoint: number): Promise<number> {
    this.backlog = this.backlog.filter((event) => event.sequence > checkpoint);
    let events: readonly RecordedEvent[];
    if (this.backlog[0]?.sequence === checkpoint + 1) {
      events = contiguous(this.backlog, HISTORY_STEP_EVENTS_MAX);
    } else {
      const stored = await this.store.readStream(this.stream, {
        fromIndex: checkpoint,
        limit: HISTORY_STEP_EVENTS_MAX,
      });
      const registry = this.registry();
      events = stored.map((event) => decodeEntry(registry, event).recorded);
    }
    if (events.length > 0) await this.projection.apply(events.map(projectEvent));
    return events.length;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** The backlog's first events while their sequences follow one another. */
function contiguous(events: readonly RecordedEvent[], max: number): RecordedEvent[] {
  const run: RecordedEvent[] = [];
  for (const event of events) {
    const last = run[run.length - 1];
    if (run.length >= max || (last !== undefined && event.sequence !== last.sequence + 1)) break;
    run.push(event);
  }
  return run;
}
