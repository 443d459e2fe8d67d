/**
 * CPU time per command of the engine's write path (issue 12), for comparing builds on a shared
 * machine where wall time says more about the neighbours than about the code:
 *
 *   node --expose-gc benchmarks/dist/write-path-cost.js [sqlite|memory] [commands] [segments] [workload]
 *   node --expose-gc benchmarks/dist/write-path-cost.js grown FILE WALLETS [commands] [segments]
 *
 * Closed loop of `CLOSED_LOOP_CLIENTS` JSON callers (as the engine section drives it), 10,000
 * wallets, snapshots off; after the set-up, each segment prints the process's CPU time
 * (user + system, `process.cpuUsage`) per command, and the share of it spent inside the
 * store's `append` (on SQLite: the event rows, the key window, the history projection's rows
 * and the commit). Run it under `node --cpu-prof` for where the rest goes (ADR 0024).
 *
 * `grown` appends p2p transfers among the `WALLETS` wallets of a ledger file filled by
 * `replay-child.js fill` (opened from its snapshot, its history projection caught up by a
 * `replay-child.js pages` run first, so that appends fold their lines): the cost of the write
 * path on a ledger whose tables no longer fit in SQLite's page cache (ADR 0029). It writes to
 * FILE: give it a copy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventStore, Ledger } from "@pacioli/engine";
import { forwardingStore } from "@pacioli/engine";
import { collectGarbage } from "./measure.js";
import { driveClosedLoop, openBenchLedger, requestsFor, type StoreKind } from "./pacioli-engine.js";
import {
  makeWorkload,
  p2pSegment,
  Random,
  WORKLOAD_NAMES,
  type Segment,
  type WorkloadName,
} from "./workloads/index.js";

/** Microseconds of CPU (user + system) spent since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return used.user + used.system;
}

/** The store with the CPU time spent inside `append` added to `spent.micros`. */
function timedAppends(inner: EventStore, spent: { micros: number }): EventStore {
  return forwardingStore(inner, {
    append: async (stream, events, expectedVersion, options) => {
      const from = process.cpuUsage();
      try {
        return await inner.append(stream, events, expectedVersion, options);
      } finally {
        spent.micros += cpuSince(from);
      }
    },
  });
}

/** Each segment's CPU per command, the part inside `append`, and the wall rate. */
async function measureSegments(
  ledger: Ledger,
  segments: readonly Segment[],
  spent: { micros: number },
  label: string,
): Promise<void> {
  for (const [index, segment] of segments.entries()) {
    const requests = requestsFor(ledger.registry, segment.commands, `s${index}-`);
    collectGarbage();
    spent.micros = 0;
    const from = process.cpuUsage();
    const run = await driveClosedLoop(ledger, requests);
    const perCommand = cpuSince(from) / requests.length;
    console.log(
      `${label}, segment ${index + 1}: ${perCommand.toFixed(1)} CPU µs/command, ` +
        `${(spent.micros / requests.length).toFixed(1)} of them in append ` +
        `(${Math.round(requests.length / run.seconds)} commands/s)`,
    );
  }
}

/** Transfers appended to a filled file (see the header). */
async function grown(args: readonly string[]): Promise<void> {
  const [path, walletsArgument, commandsArgument = "20000", segmentsArgument = "3"] = args;
  if (path === undefined || walletsArgument === undefined)
    throw new Error("usage: write-path-cost.js grown FILE WALLETS [commands] [segments]");
  const wallets = Number(walletsArgument);
  const random = new Random(1_000_003);
  const segments = Array.from({ length: Number(segmentsArgument) }, (_, index) =>
    p2pSegment(random, wallets, Number(commandsArgument), `g${index}-`),
  );
  const spent = { micros: 0 };
  const ledger = await openBenchLedger("sqlite", path, {
    snapshotEvery: 0,
    wrap: (inner) => timedAppends(inner, spent),
  });
  await measureSegments(ledger, segments, spent, `p2p on a ledger of ${ledger.sequence} events`);
  await ledger.close();
}

async function main(args: readonly string[]): Promise<void> {
  if (args[0] === "grown") return grown(args.slice(1));
  const [kindArgument = "sqlite", commandsArgument = "20000", segmentsArgument = "3"] = args;
  const name = (args[3] ?? "mixed") as WorkloadName;
  if (kindArgument !== "sqlite" && kindArgument !== "memory")
    throw new Error(`unknown store ${kindArgument}`);
  if (!WORKLOAD_NAMES.includes(name)) throw new Error(`unknown workload ${name}`);
  const kind: StoreKind = kindArgument;
  const segments = Number(segmentsArgument);
  const workload = makeWorkload(name, {
    wallets: 10_000,
    merchants: 20,
    commandsPerSegment: Number(commandsArgument),
    segments,
    seed: 42,
  });
  const scratch = mkdtempSync(join(tmpdir(), "pacioli-write-path-"));
  const spent = { micros: 0 };
  try {
    const ledger = await openBenchLedger(kind, join(scratch, "ledger.sqlite"), {
      snapshotEvery: 0,
      wrap: (inner) => timedAppends(inner, spent),
    });
    await driveClosedLoop(ledger, requestsFor(ledger.registry, workload.setup.commands, "setup-"));
    await measureSegments(ledger, workload.segments, spent, `${name} on ${kind}`);
    await ledger.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
