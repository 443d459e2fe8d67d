/**
 * A decorator around the store port that times appends and snapshot writes and counts the
 * events of each group commit, for metrics and spans, without a hook in the engine: the
 * engine calls `append` once per group commit and `writeSnapshot` once per snapshot. Every
 * other call, and what the store underneath can do (its key window, append limit and history
 * projection), passes through unchanged (`forwardingStore`): a timed store records the same
 * idempotency keys and keeps the same projection as the store alone.
 */
import { forwardingStore, type EventStore } from "@pacioli/engine";
import type { ServerMetrics } from "./server-metrics.js";
import { inSpan } from "./tracing.js";

export function timedEventStore(inner: EventStore, metrics: ServerMetrics): EventStore {
  return forwardingStore(inner, {
    append: (stream, events, expectedVersion, options) =>
      inSpan(
        "pacioli.store.append",
        {
          "pacioli.stream": stream,
          "pacioli.events": events.length,
          "pacioli.expected_version": expectedVersion,
        },
        async (span) => {
          const stop = metrics.appendSeconds.startTimer();
          try {
            const result = await inner.append(stream, events, expectedVersion, options);
            stop({ outcome: result._tag === "Appended" ? "appended" : "conflict" });
            if (result._tag === "Appended") metrics.appendEvents.observe(events.length);
            span.setAttribute("pacioli.outcome", result._tag);
            return result;
          } catch (error) {
            stop({ outcome: "error" });
            throw error;
          }
        },
      ),
    writeSnapshot: (snapshot) =>
      inSpan(
        "pacioli.store.snapshot",
        { "pacioli.stream": snapshot.stream, "pacioli.version": snapshot.version },
        async () => {
          const stop = metrics.snapshotSeconds.startTimer();
          try {
            await inner.writeSnapshot(snapshot);
            stop({ outcome: "written" });
          } catch (error) {
            stop({ outcome: "error" });
            throw error;
          }
        },
      ),
  });
}
