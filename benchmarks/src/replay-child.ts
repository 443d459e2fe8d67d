/**
 * The history benchmarks' steps, each run in a fresh process of its own:
 *
 *   node benchmarks/dist/replay-child.js fill FILE EVENTS WALLETS SEED engine|direct
 *                                                        → {"events","seconds"}
 *   node benchmarks/dist/replay-child.js append FILE RUNS COMMANDS WALLETS SEED
 *                                                        → {"eventsBefore","openSeconds","rates"}
 *   node benchmarks/dist/replay-child.js audit FILE [WORKERS]
 *   node benchmarks/dist/replay-child.js since FILE AT
 *                                                        → {"events","seconds","maxRssMiB","violations"}
 *   node benchmarks/dist/replay-child.js open FILE with|without
 *                                                        → {"events","seconds","maxRssMiB"}
 *   node benchmarks/dist/replay-child.js pages FILE WALLETS SAMPLES SEED
 *                                                        → HistoryPagesReport (history-pages.ts)
 *
 * In the suite's own process the heap still holds what filling the file left behind, so GC
 * time and peak RSS would be the bench's, not the auditor's or the service's. A child starts
 * with nothing, as `pacioli audit` and a restarted service do.
 */
import { readFileSync, statSync } from "node:fs";
import {
  auditSinceState,
  auditStream,
  openLedger,
  readAuditState,
  storeAuditSource,
  writeAuditState,
  type AuditState,
} from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { fillHistoryFile, measureAppends } from "./history-file.js";
import { measureHistoryPages } from "./history-pages.js";
import { enableGc } from "./measure.js";

const maxRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * CPU seconds of the calling thread alone (Linux: /proc/thread-self/stat, user + system
 * ticks at 100 Hz), undefined elsewhere. With worker threads the fold's thread is the
 * critical path: on a loaded machine its CPU time says more than the wall clock.
 */
function threadCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]?.split(" ");
    return (Number(fields?.[11]) + Number(fields?.[12])) / 100;
  } catch {
    return undefined;
  }
}

async function audit(path: string, workers: number): Promise<object> {
  const store = await openSqliteEventStore({ path });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadBefore = threadCpuSeconds();
  const report = await auditStream(storeAuditSource(store, "ledger-main"), { workers });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const threadAfter = threadCpuSeconds();
  const mainCpuSeconds =
    threadBefore === undefined || threadAfter === undefined
      ? undefined
      : threadAfter - threadBefore;
  await store.close();
  const violations =
    report.violations.length + report.violationsOmitted + (report.fatal === undefined ? 0 : 1);
  return {
    events: report.events,
    workers,
    seconds,
    processCpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainCpuSeconds,
    maxRssMiB: maxRssMiB(),
    violations,
  };
}

/**
 * The daily audit from the auditor's own state (ADR 0026): the full audit of the first `at`
 * events saves the state to `FILE.state` (timed apart), then `auditSinceState` from it, read
 * back from the file, to the end of the ledger: the consistency proof over every stored event
 * and every check on the events after `at`. The checkpoint is the state's own tree head (its
 * signature is checked by the CLI in microseconds, not here).
 */
async function since(path: string, at: number): Promise<object> {
  const store = await openSqliteEventStore({ path });
  const statePath = `${path}.state`;
  let started = performance.now();
  const prefix = await auditStream(storeAuditSource(store, "ledger-main"), {
    upTo: at,
    saveState: true,
  });
  await writeAuditState(statePath, prefix.state as AuditState);
  const saveSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  const read = await readAuditState(statePath);
  if (read._tag !== "Read") throw new Error(read.reason);
  const { treeSize: size, root } = read.state;
  const result = await auditSinceState(
    store,
    "ledger-main",
    { origin: "bench", size, root },
    read.state,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await store.close();
  if (result._tag === "Refused") throw new Error(result.reason);
  return {
    stateAt: at,
    saveSeconds,
    stateBytes: statSync(statePath).size,
    events: result.report.events,
    replayed: result.report.events - at,
    consistent: result.since.consistent,
    violations: result.report.violations.length,
    seconds,
    processCpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMiB: maxRssMiB(),
  };
}

async function open(path: string, useSnapshot: boolean): Promise<object> {
  const started = performance.now();
  const ledger = await openLedger({
    store: await openSqliteEventStore({ path }),
    useSnapshot,
    snapshotEvery: 0,
  });
  const seconds = (performance.now() - started) / 1000;
  const events = ledger.sequence;
  await ledger.close();
  return { events, seconds, maxRssMiB: maxRssMiB() };
}

const USAGE =
  "usage: replay-child.js fill FILE EVENTS WALLETS SEED engine|direct | append FILE RUNS COMMANDS WALLETS SEED | audit FILE [WORKERS] | since FILE AT | open FILE with|without | pages FILE WALLETS SAMPLES SEED";

/** A whole number argument, or a usage error naming it. */
function count(text: string | undefined, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${what} must be a whole number (got ${String(text)}); ${USAGE}`);
  return value;
}

async function step([what, path, ...rest]: readonly (string | undefined)[]): Promise<object> {
  if (path === undefined) throw new Error(USAGE);
  switch (what) {
    case "fill":
      return fillHistoryFile(path, {
        events: count(rest[0], "EVENTS"),
        wallets: count(rest[1], "WALLETS"),
        seed: count(rest[2], "SEED"),
        via: rest[3] === "engine" ? "engine" : "direct",
      });
    case "append":
      await enableGc();
      return measureAppends(path, {
        runs: count(rest[0], "RUNS"),
        commands: count(rest[1], "COMMANDS"),
        wallets: count(rest[2], "WALLETS"),
        seed: count(rest[3], "SEED"),
      });
    case "audit":
      return audit(path, count(rest[0] ?? "0", "WORKERS"));
    case "since":
      return since(path, count(rest[0], "AT"));
    case "open":
      return open(path, rest[0] === "with");
    case "pages":
      return measureHistoryPages(path, {
        wallets: count(rest[0], "WALLETS"),
        samples: count(rest[1], "SAMPLES"),
        seed: count(rest[2], "SEED"),
      });
    default:
      throw new Error(USAGE);
  }
}

async function main(args: readonly (string | undefined)[]): Promise<void> {
  process.stdout.write(`${JSON.stringify(await step(args))}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
