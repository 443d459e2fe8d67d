/**
 * The benchmark suite: every measurement of the issue, at the sizes of a mode, returning
 * plain results that `report.ts` turns into RESULTS.md and chart.svg. Runs happen one after
 * another in one process, so ceiling, peer and Pacioli see the same machine at nearly the
 * same moment: compare ratios from one run, not figures across runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initialState, type LedgerState } from "@pacioli/core";
import { Ceiling } from "./ceiling.js";
import { EmmettWallets } from "./emmett-peer.js";
import {
  coreAloneRates,
  longestCommitGap,
  recordingStore,
  startStallProbe,
  storeAloneRate,
  type RecordedAppend,
} from "./engine-limits.js";
import { collectGarbage, Histogram, summarize, type Summary } from "./measure.js";
import {
  balanceDifferences,
  CORE_EPOCH_MS,
  envelopesFor,
  naturalBalances,
  runCore,
} from "./pacioli-core.js";
import {
  driveClosedLoop,
  driveOneClient,
  driveOpenLoop,
  openBenchLedger,
  requestsFor,
  type StoreKind,
} from "./pacioli-engine.js";
import type { HistoryPagesReport } from "./history-pages.js";
import {
  makeWorkload,
  WORKLOAD_NAMES,
  type Workload,
  type WorkloadName,
  type WorkloadSize,
} from "./workloads/index.js";

export const SECTIONS = ["core", "engine", "history", "audit", "startup", "memory"] as const;
export type Section = (typeof SECTIONS)[number];
export type Mode = "quick" | "default" | "full";

export interface Sizes {
  readonly runs: number;
  readonly coreWallets: readonly number[];
  readonly coreCommands: number;
  /** Transfers per run for the Emmett comparison: Emmett re-reads each stream per command, so it is slow. */
  readonly emmettCommands: number;
  readonly merchants: number;
  readonly engineWallets: number;
  readonly engineCommands: number;
  readonly singleClientCommands: number;
  readonly historyEvents: readonly number[];
  readonly historyWallets: number;
  readonly memoryWallets: number;
}

const DEFAULT_SIZES: Sizes = {
  runs: 5,
  coreWallets: [1_000, 100_000, 1_000_000],
  coreCommands: 200_000,
  emmettCommands: 10_000,
  merchants: 20,
  engineWallets: 10_000,
  engineCommands: 50_000,
  singleClientCommands: 1_000,
  historyEvents: [0, 1_000_000],
  historyWallets: 100_000,
  memoryWallets: 1_000_000,
};

export const SIZES: Record<Mode, Sizes> = {
  quick: {
    runs: 5,
    coreWallets: [50],
    coreCommands: 400,
    emmettCommands: 200,
    merchants: 3,
    engineWallets: 50,
    engineCommands: 300,
    singleClientCommands: 20,
    historyEvents: [0, 2_000],
    historyWallets: 100,
    memoryWallets: 1_000,
  },
  default: DEFAULT_SIZES,
  /** The default with longer runs and the 10M-event history ledger. */
  full: {
    ...DEFAULT_SIZES,
    coreCommands: 500_000,
    emmettCommands: 20_000,
    engineCommands: 100_000,
    singleClientCommands: 2_000,
    historyEvents: [0, 1_000_000, 10_000_000],
    historyWallets: 1_000_000,
  },
};

const SEED = 20_260_101;

export interface PairedRow {
  readonly workload: string;
  readonly label: string;
  readonly pacioli: Summary;
  readonly ceiling: Summary | undefined;
  readonly emmett: Summary | undefined;
  /** Per run, Pacioli ÷ ceiling and Pacioli ÷ Emmett, then summarised. */
  readonly ratioToCeiling: Summary | undefined;
  readonly ratioToEmmett: Summary | undefined;
  readonly perRun: readonly number[];
  readonly emmettPerRun: readonly number[] | undefined;
  readonly balancesMatchCeiling: boolean;
  readonly refusedShare: number;
}

export interface EngineRow {
  readonly workload: string;
  readonly store: StoreKind;
  readonly throughput: Summary;
  readonly ratioToCeiling: number | undefined;
  readonly ratioToEmmett: number | undefined;
  readonly offeredPerSecond: number;
  readonly achievedPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly oneClientPerSecond: number;
  readonly oneClientP50Ms: number;
  readonly oneClientP99Ms: number;
  /** The same workload's segments through the core alone, in this run. */
  readonly coreAlone: Summary;
  /** The engine's stored batches appended again straight into SQLite (SQLite rows only). */
  readonly storeAlonePerSecond: number | undefined;
  readonly p999Ms: number;
  /** Longest event-loop delay during the open-loop run. */
  readonly longestLoopDelayMs: number;
  /** Longest gap between two commits during the open-loop run. */
  readonly longestCommitGapMs: number;
  readonly snapshotEvery: number;
}

export interface HistoryRow {
  /** Events in the ledger when the measured runs began (wallet set-up included). */
  readonly eventsBefore: number;
  readonly throughput: Summary;
  readonly prefillSeconds: number;
  /** Opening the filled file (its snapshot, then the tail) before the runs. */
  readonly openSeconds: number;
}

export interface Results {
  readonly mode: Mode;
  readonly sizes: Sizes;
  readonly core: PairedRow[];
  readonly engine: EngineRow[];
  readonly history: HistoryRow[];
  audit:
    | {
        readonly events: number;
        readonly seconds: number;
        readonly eventsPerSecond: number;
        readonly peakRssMiB: number;
        readonly violations: number;
      }
    | undefined;
  startup:
    | {
        readonly events: number;
        readonly withoutSnapshotSeconds: number;
        readonly withSnapshotSeconds: number;
      }
    | undefined;
  /** History pages of 50 lines from the persisted projection, on the largest history file. */
  historyPages: HistoryPagesReport | undefined;
  memory:
    | {
        readonly wallets: number;
        readonly pacioliBytesPerWallet: number;
        readonly ceilingBytesPerWallet: number;
      }
    | undefined;
  /** Ceiling and Emmett medians by workload, for engine ratios. */
  readonly ceilingByWorkload: Map<string, number>;
  readonly emmettByWorkload: Map<string, number>;
}

export interface SuiteOptions {
  readonly mode: Mode;
  readonly only: readonly Section[];
  readonly workloads: readonly WorkloadName[];
  readonly log: (line: string) => void;
  /** How history files are filled: through the engine (default) or the core directly. */
  readonly historyFill?: "engine" | "direct";
  /** Replaces the mode's sizes where given (e.g. the history sizes of one long run). */
  readonly sizeOverrides?: Partial<Sizes>;
}

const size = (
  wallets: number,
  merchants: number,
  commands: number,
  segments: number,
): WorkloadSize => ({ wallets, merchants, commandsPerSegment: commands, segments, seed: SEED });

export async function runSuite(options: SuiteOptions): Promise<Results> {
  const sizes: Sizes = { ...SIZES[options.mode], ...options.sizeOverrides };
  const results: Results = {
    mode: options.mode,
    sizes,
    core: [],
    engine: [],
    history: [],
    audit: undefined,
    startup: undefined,
    historyPages: undefined,
    memory: undefined,
    ceilingByWorkload: new Map(),
    emmettByWorkload: new Map(),
  };
  const scratch = mkdtempSync(join(tmpdir(), "pacioli-bench-"));
  try {
    if (options.only.includes("core")) await coreSection(options, sizes, results);
    if (options.only.includes("engine")) await engineSection(options, sizes, results, scratch);
    const needsFile =
      options.only.includes("history") ||
      options.only.includes("audit") ||
      options.only.includes("startup");
    if (needsFile) await historySection(options, sizes, results, scratch);
    if (options.only.includes("memory")) memorySection(options, sizes, results);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/** Core, ceiling and (on p2p) Emmett, run by run on the same segments. */
async function coreSection(options: SuiteOptions, sizes: Sizes, results: Results): Promise<void> {
  const plans: {
    workload: WorkloadName;
    wallets: number;
    commands: number;
    withEmmett: boolean;
  }[] = [];
  for (const name of options.workloads) {
    if (name === "p2p") {
      // The Emmett pairing first: all three systems on the same smaller runs.
      plans.push({
        workload: name,
        wallets: sizes.coreWallets[0] as number,
        commands: sizes.emmettCommands,
        withEmmett: true,
      });
      for (const wallets of sizes.coreWallets)
        plans.push({ workload: name, wallets, commands: sizes.coreCommands, withEmmett: false });
    } else
      plans.push({
        workload: name,
        wallets: sizes.coreWallets[Math.min(1, sizes.coreWallets.length - 1)] as number,
        commands: sizes.coreCommands,
        withEmmett: false,
      });
  }
  for (const plan of plans) {
    const workload = makeWorkload(
      plan.workload,
      size(plan.wallets, sizes.merchants, plan.commands, sizes.runs),
    );
    const label = `${plan.workload} (${plan.wallets.toLocaleString("en")} wallets, ${plan.commands.toLocaleString("en")}/run${plan.withEmmett ? ", with Emmett" : ""})`;
    options.log(`core: ${label}`);
    const state = initialState();
    runCore(state, envelopesFor(workload.setup.commands, "setup-", CORE_EPOCH_MS));
    const ceiling = new Ceiling();
    ceiling.apply(workload.setup.ceiling);
    const pacioliRates: number[] = [];
    const ceilingRates: number[] = [];
    let refused = 0;
    let commands = 0;
    let at = CORE_EPOCH_MS + workload.setup.commands.length;
    for (const [index, segment] of workload.segments.entries()) {
      const envelopes = envelopesFor(segment.commands, `s${index}-`, at);
      at += envelopes.length;
      collectGarbage();
      const run = runCore(state, envelopes);
      pacioliRates.push(envelopes.length / run.seconds);
      refused += run.refused;
      commands += envelopes.length;
      const started = performance.now();
      ceiling.apply(segment.ceiling);
      ceilingRates.push(segment.ceiling.length / ((performance.now() - started) / 1000));
    }
    const balancesMatchCeiling =
      balanceDifferences(ceiling.balances, naturalBalances(state)).length === 0;
    let emmettRates: number[] | undefined;
    if (plan.withEmmett) emmettRates = await emmettRuns(workload);
    const ceilingSummary = summarize(ceilingRates);
    const pacioliSummary = summarize(pacioliRates);
    if (!plan.withEmmett && !results.ceilingByWorkload.has(plan.workload))
      results.ceilingByWorkload.set(plan.workload, ceilingSummary.median);
    if (emmettRates !== undefined)
      results.emmettByWorkload.set(plan.workload, summarize(emmettRates).median);
    results.core.push({
      workload: plan.workload,
      label,
      pacioli: pacioliSummary,
      ceiling: ceilingSummary,
      emmett: emmettRates === undefined ? undefined : summarize(emmettRates),
      ratioToCeiling: summarize(
        pacioliRates.map((rate, index) => rate / (ceilingRates[index] as number)),
      ),
      ratioToEmmett:
        emmettRates === undefined
          ? undefined
          : summarize(pacioliRates.map((rate, index) => rate / (emmettRates[index] as number))),
      perRun: pacioliRates,
      emmettPerRun: emmettRates,
      balancesMatchCeiling,
      refusedShare: refused / commands,
    });
  }
}

async function emmettRuns(workload: Workload): Promise<number[]> {
  const emmett = new EmmettWallets();
  await emmett.run(workload.setup.commands);
  const rates: number[] = [];
  for (const segment of workload.segments) {
    collectGarbage();
    const started = performance.now();
    await emmett.run(segment.commands);
    rates.push(segment.commands.length / ((performance.now() - started) / 1000));
  }
  return rates;
}

/** Engine on memory and SQLite: sustained throughput, latency at an offered load, one client. */
async function engineSection(
  options: SuiteOptions,
  sizes: Sizes,
  results: Results,
  scratch: string,
): Promise<void> {
  for (const name of options.workloads) {
    // Two extra segments: one for the open-loop latency run, one for the lone client.
    const workload = makeWorkload(
      name,
      size(sizes.engineWallets, sizes.merchants, sizes.engineCommands, sizes.runs + 2),
    );
    const coreAlone = coreAloneRates(workload, sizes.runs);
    // Snapshots fall due in every segment, the open-loop run included (issue 12 asks the
    // latency with snapshots due): one every half segment of commands.
    const snapshotEvery = Math.max(1_000, Math.floor(sizes.engineCommands / 2));
    for (const store of ["memory", "sqlite"] as const) {
      options.log(`engine: ${name} on ${store}`);
      const appends: RecordedAppend[] = [];
      const ledger = await openBenchLedger(store, join(scratch, `engine-${name}.sqlite`), {
        snapshotEvery,
        wrap: (inner) => recordingStore(inner, appends),
      });
      const registry = ledger.registry;
      await driveClosedLoop(ledger, requestsFor(registry, workload.setup.commands, "setup-"));
      const measuredFrom = appends.length;
      const rates: number[] = [];
      for (let index = 0; index < sizes.runs; index += 1) {
        const segment = workload.segments[index];
        if (segment === undefined) throw new Error("unreachable: segments cover the runs");
        const requests = requestsFor(registry, segment.commands, `s${index}-`);
        collectGarbage();
        const run = await driveClosedLoop(ledger, requests);
        rates.push(requests.length / run.seconds);
      }
      const measuredAppends = appends.slice(measuredFrom);
      const throughput = summarize(rates);
      // Offered load: 70% of the sustained median, a load the ledger should carry with room.
      const offered = Math.max(100, Math.round(throughput.median * 0.7));
      const latencySegment = workload.segments[sizes.runs];
      const loneSegment = workload.segments[sizes.runs + 1];
      if (latencySegment === undefined || loneSegment === undefined)
        throw new Error("unreachable: two extra segments");
      const openFrom = performance.now();
      const stalls = startStallProbe();
      const open = await driveOpenLoop(
        ledger,
        requestsFor(registry, latencySegment.commands, "lat-"),
        offered,
      );
      const longestLoopDelayMs = stalls.stop();
      const longestCommitGapMs = longestCommitGap(appends, openFrom);
      const lone = await driveOneClient(
        ledger,
        requestsFor(registry, loneSegment.commands.slice(0, sizes.singleClientCommands), "one-"),
      );
      await ledger.close();
      const storeAlonePerSecond =
        store === "sqlite"
          ? await storeAloneRate(measuredAppends, join(scratch, `store-alone-${name}.sqlite`))
          : undefined;
      const ceiling = results.ceilingByWorkload.get(name);
      const emmett = results.emmettByWorkload.get(name);
      results.engine.push({
        workload: name,
        store,
        throughput,
        ratioToCeiling: ceiling === undefined ? undefined : throughput.median / ceiling,
        ratioToEmmett: emmett === undefined ? undefined : throughput.median / emmett,
        offeredPerSecond: offered,
        achievedPerSecond: latencySegment.commands.length / open.seconds,
        p50Ms: open.latency.percentile(50) / 1000,
        p99Ms: open.latency.percentile(99) / 1000,
        oneClientPerSecond:
          lone.accepted + lone.refused === 0 ? 0 : (lone.accepted + lone.refused) / lone.seconds,
        oneClientP50Ms: lone.latency.percentile(50) / 1000,
        oneClientP99Ms: lone.latency.percentile(99) / 1000,
        coreAlone,
        storeAlonePerSecond,
        p999Ms: open.latency.percentile(99.9) / 1000,
        longestLoopDelayMs,
        longestCommitGapMs,
        snapshotEvery,
      });
    }
  }
}

/**
 * Append cost as history grows, then audit replay and start-up on the largest file. Every
 * step runs in a fresh process (`replay-child.ts`): the file is filled (p2p transfers,
 * through the engine or directly through the core and the journal codec, ending with a
 * snapshot), then opened as a restarted service opens it and measured. A 10M-event workload
 * and the filler's state never share a heap with the measurement.
 */
async function historySection(
  options: SuiteOptions,
  sizes: Sizes,
  results: Results,
  scratch: string,
): Promise<void> {
  const largest = Math.max(...sizes.historyEvents);
  let largestPath: string | undefined;
  for (const eventsBefore of sizes.historyEvents) {
    const path = join(scratch, `history-${eventsBefore}.sqlite`);
    const seed = SEED + eventsBefore;
    options.log(
      `history: filling ${eventsBefore.toLocaleString("en")} events (${options.historyFill ?? "engine"}, fresh process)`,
    );
    const filled = inChild<{ events: number; seconds: number }>([
      "fill",
      path,
      String(eventsBefore),
      String(sizes.historyWallets),
      String(seed),
      options.historyFill ?? "engine",
    ]);
    options.log(
      `history: ${filled.events.toLocaleString("en")} events in ${filled.seconds.toFixed(1)} s; measuring appends (fresh process)`,
    );
    const cost = inChild<{ eventsBefore: number; openSeconds: number; rates: number[] }>([
      "append",
      path,
      String(sizes.runs),
      String(sizes.engineCommands),
      String(sizes.historyWallets),
      String(seed),
    ]);
    results.history.push({
      eventsBefore: cost.eventsBefore,
      throughput: summarize(cost.rates),
      prefillSeconds: filled.seconds,
      openSeconds: cost.openSeconds,
    });
    if (eventsBefore === largest) largestPath = path;
    else rmSync(path, { force: true });
  }
  if (largestPath === undefined) return;
  if (options.only.includes("audit")) auditOn(largestPath, options, results);
  if (options.only.includes("startup")) startupOn(largestPath, options, results);
  historyPagesOn(largestPath, sizes, options, results);
}

/**
 * Runs the built `replay-child.js` in a fresh Node process and returns what it printed. Found
 * from src/ (under vitest) and dist/ alike: both sit one level below benchmarks/.
 */
function inChild<T>(args: readonly string[]): T {
  const child = spawnSync(
    process.execPath,
    [
      "--max-old-space-size=16384",
      fileURLToPath(new URL("../dist/replay-child.js", import.meta.url)),
      ...args,
    ],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  if (child.status !== 0)
    throw new Error(`replay child ${args.join(" ")} failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

function auditOn(path: string, options: SuiteOptions, results: Results): void {
  options.log("audit: replay with every check (in a fresh process)");
  const report = inChild<{
    events: number;
    seconds: number;
    maxRssMiB: number;
    violations: number;
  }>(["audit", path]);
  results.audit = {
    events: report.events,
    seconds: report.seconds,
    eventsPerSecond: report.events / report.seconds,
    peakRssMiB: report.maxRssMiB,
    violations: report.violations,
  };
}

function startupOn(path: string, options: SuiteOptions, results: Results): void {
  options.log("start-up: with and without a snapshot (each in a fresh process)");
  const without = inChild<{ events: number; seconds: number }>(["open", path, "without"]);
  const withSnapshot = inChild<{ events: number; seconds: number }>(["open", path, "with"]);
  results.startup = {
    events: without.events,
    withoutSnapshotSeconds: without.seconds,
    withSnapshotSeconds: withSnapshot.seconds,
  };
}

/** Random wallets' first and next history pages; pages sampled in every mode, 2,000 of them. */
const HISTORY_PAGE_SAMPLES = 2_000;

function historyPagesOn(path: string, sizes: Sizes, options: SuiteOptions, results: Results): void {
  options.log("history pages: 50 lines of random wallets from the projection (fresh process)");
  results.historyPages = inChild<HistoryPagesReport>([
    "pages",
    path,
    String(sizes.historyWallets),
    String(HISTORY_PAGE_SAMPLES),
    String(SEED),
  ]);
}

/** Live heap per funded wallet: the core's state against the ceiling's Map of bigints. */
function memorySection(options: SuiteOptions, sizes: Sizes, results: Results): void {
  options.log(`memory: ${sizes.memoryWallets.toLocaleString("en")} wallets`);
  const workload = makeWorkload("p2p", size(sizes.memoryWallets, 0, 1, 0));
  const envelopes = envelopesFor(workload.setup.commands, "setup-", CORE_EPOCH_MS);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let state: LedgerState | undefined = initialState();
  runCore(state, envelopes);
  collectGarbage();
  const pacioliBytes = process.memoryUsage().heapUsed - before;
  if (state.wallets.size !== sizes.memoryWallets) throw new Error("every wallet should be open");
  state = undefined;
  collectGarbage();
  const ceilingBefore = process.memoryUsage().heapUsed;
  let ceiling: Ceiling | undefined = new Ceiling();
  ceiling.apply(workload.setup.ceiling);
  collectGarbage();
  const ceilingBytes = process.memoryUsage().heapUsed - ceilingBefore;
  if (ceiling.accepted === 0) throw new Error("the ceiling should have applied deposits");
  ceiling = undefined;
  results.memory = {
    wallets: sizes.memoryWallets,
    pacioliBytesPerWallet: pacioliBytes / sizes.memoryWallets,
    ceilingBytesPerWallet: ceilingBytes / sizes.memoryWallets,
  };
}

export { Histogram, WORKLOAD_NAMES };
