/**
 * History pages read from the persisted projection (ADR 0018): opens a ledger file as a
 * restarted service does, catches its history projection up with the stream (timed: on a file
 * filled without the engine it is the whole build), then reads `samples` first pages of 50
 * lines of random wallets, each followed by the next page from its cursor, and times each
 * read. Run in a fresh process (`replay-child.ts pages`).
 */
import { openLedger } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { Histogram } from "./measure.js";
import { Random } from "./workloads/index.js";
import { walletName } from "./workloads/builder.js";

export const HISTORY_PAGE_LINES = 50;

export interface HistoryPagesReport {
  readonly events: number;
  /** Seconds to bring the projection up to the stream's head when the file was opened. */
  readonly catchUpSeconds: number;
  readonly eventsCaughtUp: number;
  readonly pages: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly linesPerPage: number;
}

export async function measureHistoryPages(
  path: string,
  plan: { readonly wallets: number; readonly samples: number; readonly seed: number },
): Promise<HistoryPagesReport> {
  const store = await openSqliteEventStore({ path });
  const ledger = await openLedger({ store, snapshotEvery: 0 });
  try {
    const before = await ledger.historyProjection.checkpoint();
    const started = performance.now();
    const reached = await ledger.historyReached();
    const catchUpSeconds = (performance.now() - started) / 1000;
    const random = new Random(plan.seed);
    const latency = new Histogram();
    let lines = 0;
    for (let sample = 0; sample < plan.samples; sample += 1) {
      const wallet = walletName(random.below(plan.wallets));
      const first = performance.now();
      const page = await ledger.history(wallet, { limit: HISTORY_PAGE_LINES });
      latency.record((performance.now() - first) * 1000);
      lines += page.lines.length;
      if (page.nextCursor === undefined) continue;
      const next = performance.now();
      const second = await ledger.history(wallet, {
        limit: HISTORY_PAGE_LINES,
        before: page.nextCursor,
      });
      latency.record((performance.now() - next) * 1000);
      lines += second.lines.length;
    }
    return {
      events: reached,
      catchUpSeconds,
      eventsCaughtUp: reached - before,
      pages: latency.count,
      p50Ms: latency.percentile(50) / 1000,
      p99Ms: latency.percentile(99) / 1000,
      maxMs: latency.percentile(100) / 1000,
      linesPerPage: lines / Math.max(1, latency.count),
    };
  } finally {
    await ledger.close();
    await store.close();
  }
}
