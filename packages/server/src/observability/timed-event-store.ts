/**
 * A decorator around the store port that times appends and snapshot writes and counts the
 * events of each group commit, for metrics and spans, without a hook in the engine: the
 * engine calls `append` once per group commit and `writeSnapshot` once per snapshot.
 */
import type {
  AppendResult,
  EventHandler,
  EventStore,
  NewEvent,
  Position,
  ReadAllPage,
  ReadStreamOptions,
  StoredEvent,
  StoredSnapshot,
  SubscribeOptions,
  Subscription,
} from "@pacioli/engine";
import type { ServerMetrics } from "./server-metrics.js";
import { inSpan } from "./tracing.js";

export class TimedEventStore implements EventStore {
  readonly maxAppendBytes?: number;

  constructor(
    private readonly inner: EventStore,
    private readonly metrics: ServerMetrics,
  ) {
    if (inner.maxAppendBytes !== undefined) this.maxAppendBytes = inner.maxAppendBytes;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): Promise<AppendResult> {
    return inSpan(
      "pacioli.store.append",
      {
        "pacioli.stream": stream,
        "pacioli.events": events.length,
        "pacioli.expected_version": expectedVersion,
      },
      async (span) => {
        const stop = this.metrics.appendSeconds.startTimer();
        try {
          const result = await this.inner.append(stream, events, expectedVersion);
          stop({ outcome: result._tag === "Appended" ? "appended" : "conflict" });
          if (result._tag === "Appended") this.metrics.appendEvents.observe(events.length);
          span.setAttribute("pacioli.outcome", result._tag);
          return result;
        } catch (error) {
          stop({ outcome: "error" });
          throw error;
        }
      },
    );
  }

  async writeSnapshot(snapshot: StoredSnapshot): Promise<void> {
    await inSpan(
      "pacioli.store.snapshot",
      { "pacioli.stream": snapshot.stream, "pacioli.version": snapshot.version },
      async () => {
        const stop = this.metrics.snapshotSeconds.startTimer();
        try {
          await this.inner.writeSnapshot(snapshot);
          stop({ outcome: "written" });
        } catch (error) {
          stop({ outcome: "error" });
          throw error;
        }
      },
    );
  }

  streamVersion(stream: string): Promise<number> {
    return this.inner.streamVersion(stream);
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]> {
    return this.inner.readStream(stream, options);
  }

  readAll(after: Position | null, limit: number): Promise<ReadAllPage> {
    return this.inner.readAll(after, limit);
  }

  subscribe(
    after: Position | null,
    handler: EventHandler,
    options?: SubscribeOptions,
  ): Subscription {
    return this.inner.subscribe(after, handler, options);
  }

  readSnapshot(stream: string): Promise<StoredSnapshot | null> {
    return this.inner.readSnapshot(stream);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
