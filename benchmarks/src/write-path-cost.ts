/**
 * CPU time per command of the engine's write path (issue 12), for comparing builds on a shared
 * machine where wall time says more about the neighbours than about the code:
 *
 *   node --expose-gc benchmarks/dist/write-path-cost.js [sqlite|memory] [commands] [segments] [workload]
 *
 * Closed loop of `CLOSED_LOOP_CLIENTS` JSON callers (as the engine section drives it), 10,000
 * wallets, snapshots off; after the set-up, each segment prints the process's CPU time
 * (user + system, `process.cpuUsage`) per command, and the share of it spent inside the
 * store's `append` (on SQLite: the event rows, the key window, the history projection's rows
 * and the commit). Run it under `node --cpu-prof` for where the rest goes (ADR 0024).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventStore } from "@pacioli/engine";
import { forwardingStore } from "@pacioli/engine";
import { collectGarbage } from "./measure.js";
import { driveClosedLoop, openBenchLedger, requestsFor, type StoreKind } from "./pacioli-engine.js";
import { makeWorkload, WORKLOAD_NAMES, type WorkloadName } from "./workloads/index.js";

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

async function main(args: readonly string[]): Promise<void> {
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
    for (const [index, segment] of workload.segments.entries()) {
      const requests = requestsFor(ledger.registry, segment.commands, `s${index}-`);
      collectGarbage();
      spent.micros = 0;
      const from = process.cpuUsage();
      const run = await driveClosedLoop(ledger, requests);
      const perCommand = cpuSince(from) / requests.length;
      console.log(
        `${name} on ${kind}, segment ${index + 1}: ${perCommand.toFixed(1)} CPU µs/command, ` +
          `${(spent.micros / requests.length).toFixed(1)} of them in append ` +
          `(${Math.round(requests.length / run.seconds)} commands/s)`,
      );
    }
    await ledger.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
