/**
 * What bounds the engine, measured beside it in the same run (issue 12):
 *
 * - **core alone**: the same workload's commands through `execute` in memory, no intake, no
 *   encoding, no store — what the writer could do if everything around the decision were free;
 * - **store alone**: the bytes the engine stored, appended again straight into a fresh SQLite
 *   file in the engine's own batch sizes, with the same idempotency rows — the physical limit
 *   of this store on this machine;
 * - **writer stalls**: during the open-loop run, the longest event-loop delay (Node's
 *   `monitorEventLoopDelay`) and the longest gap between two commits while commands waited.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { initialState } from "@pacioli/core";
import type { AppendOptions, EventStore, IdempotencyRecord, NewEvent } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { summarize, type Summary } from "./measure.js";
import { CORE_EPOCH_MS, envelopesFor, runCore } from "./pacioli-core.js";
import type { Workload } from "./workloads/workload.js";

/** The core's commands/s on each of the first `runs` segments of the workload, after its set-up. */
export function coreAloneRates(workload: Workload, runs: number): Summary {
  const state = initialState();
  runCore(state, envelopesFor(workload.setup.commands, "setup-", CORE_EPOCH_MS));
  let at = CORE_EPOCH_MS + workload.setup.commands.length;
  const rates: number[] = [];
  for (const [index, segment] of workload.segments.slice(0, runs).entries()) {
    const envelopes = envelopesFor(segment.commands, `s${index}-`, at);
    at += envelopes.length;
    const run = runCore(state, envelopes);
    rates.push(envelopes.length / run.seconds);
  }
  return summarize(rates);
}

export interface RecordedAppend {
  readonly events: readonly NewEvent[];
  readonly idempotency: readonly IdempotencyRecord[];
  /** `performance.now()` when the append resolved. */
  readonly committedAt: number;
}

/** A store that remembers what each append carried and when it was durable. */
export function recordingStore(inner: EventStore, appends: RecordedAppend[]): EventStore {
  return Object.assign(Object.create(inner) as EventStore, {
    append: async (
      stream: string,
      events: readonly NewEvent[],
      expectedVersion: number,
      options?: AppendOptions,
    ) => {
      const result = await inner.append(stream, events, expectedVersion, options);
      appends.push({
        events,
        idempotency: options?.idempotency ?? [],
        committedAt: performance.now(),
      });
      return result;
    },
  });
}

/**
 * Commands/s of appending the recorded batches again, in order and in the same sizes, into a
 * fresh SQLite file (synchronous = FULL, like the engine's).
 */
export async function storeAloneRate(
  appends: readonly RecordedAppend[],
  path: string,
): Promise<number> {
  const store = await openSqliteEventStore({ path });
  try {
    let version = 0;
    let commands = 0;
    const started = performance.now();
    for (const append of appends) {
      await store.append("ledger-main", append.events, version, {
        idempotency: append.idempotency,
      });
      version += append.events.length;
      commands += append.idempotency.length;
    }
    return commands / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

export interface StallProbe {
  /** Stops measuring; the longest event-loop delay in ms. */
  stop(): number;
}

/** Starts measuring event-loop delay at 1 ms resolution. */
export function startStallProbe(): StallProbe {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop: () => {
      histogram.disable();
      return histogram.max / 1e6;
    },
  };
}

/** The longest gap (ms) between consecutive commits recorded after `since`. */
export function longestCommitGap(appends: readonly RecordedAppend[], since: number): number {
  let longest = 0;
  let previous = since;
  for (const append of appends) {
    if (append.committedAt < since) continue;
    longest = Math.max(longest, append.committedAt - previous);
    previous = append.committedAt;
  }
  return longest;
}
