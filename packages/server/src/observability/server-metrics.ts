/**
 * The Prometheus metrics of one server, in a registry of its own (two servers in one process,
 * as in tests, never share counters). What the engine lets a caller observe is measured here
 * without touching it: command outcomes and latencies at the HTTP edge, and appends and
 * snapshots through the `timedEventStore` decorator around the store port.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Seconds: from 0.1 ms (an in-memory decision) to 10 s (the command wait limit). */
const LATENCY_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
/** Events per append: a group commit takes up to 1,000 commands, a command 1-4 events. */
const APPEND_EVENTS_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 4000];

export interface ServerMetrics {
  readonly registry: Registry;
  readonly commands: Counter<"type" | "status">;
  readonly commandSeconds: Histogram<"status">;
  readonly httpRequests: Counter<"route" | "method" | "code">;
  readonly httpSeconds: Histogram<"route" | "method">;
  readonly appendSeconds: Histogram<"outcome">;
  readonly appendEvents: Histogram;
  readonly snapshotSeconds: Histogram<"outcome">;
  readonly ledgerSequence: Gauge;
  readonly projectionLag: Gauge;
}

/**
 * `observeLedger` is read at scrape time: the in-memory sequence, and how many stored events
 * memory trails (another writer's appends not yet caught up; 0 for a sole writer).
 */
export function serverMetrics(
  observeLedger: () => Promise<{ sequence: number; storeVersion: number }>,
): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "pacioli_process_" });
  const registers = [registry];
  return {
    registry,
    commands: new Counter({
      name: "pacioli_commands_total",
      help: "Commands received over HTTP, by command type and outcome (accepted, repeated, rejected, invalid, unavailable)",
      labelNames: ["type", "status"],
      registers,
    }),
    commandSeconds: new Histogram({
      name: "pacioli_command_duration_seconds",
      help: "From a command's arrival to its decision being durable (or refused), by outcome",
      labelNames: ["status"],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    httpRequests: new Counter({
      name: "pacioli_http_requests_total",
      help: "HTTP requests by route, method and status code",
      labelNames: ["route", "method", "code"],
      registers,
    }),
    httpSeconds: new Histogram({
      name: "pacioli_http_request_duration_seconds",
      help: "HTTP request duration by route",
      labelNames: ["route", "method"],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    appendSeconds: new Histogram({
      name: "pacioli_store_append_duration_seconds",
      help: "Time of one append to the store (one group commit), by outcome (appended, conflict, error)",
      labelNames: ["outcome"],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    appendEvents: new Histogram({
      name: "pacioli_group_commit_events",
      help: "Events written per append (group commit size)",
      buckets: APPEND_EVENTS_BUCKETS,
      registers,
    }),
    snapshotSeconds: new Histogram({
      name: "pacioli_snapshot_write_duration_seconds",
      help: "Time to write one snapshot (the writer pauses meanwhile)",
      labelNames: ["outcome"],
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    ledgerSequence: new Gauge({
      name: "pacioli_ledger_sequence",
      help: "Sequence of the last durable event the server holds in memory",
      registers,
      async collect() {
        this.set((await observeLedger()).sequence);
      },
    }),
    projectionLag: new Gauge({
      name: "pacioli_projection_lag_events",
      help: "Stored events the in-memory state and projections have not folded yet",
      registers,
      async collect() {
        const observed = await observeLedger();
        this.set(Math.max(0, observed.storeVersion - observed.sequence));
      },
    }),
  };
}
