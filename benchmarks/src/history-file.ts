/**
 * The ledger files of the history benchmarks (append cost, audit, start-up), each step run in
 * a fresh process by `replay-child.ts`:
 *
 * - `fillHistoryFile`: a p2p world of `wallets` funded wallets, then transfers until the file
 *   holds `events` events, generated one segment at a time (a 10M-event workload held in
 *   memory at once would be gigabytes of commands), ending with a snapshot, as a running
 *   service leaves one behind.
 * - `measureAppends`: opens the file as a restarted service does (latest snapshot, then the
 *   tail), drives `runs` segments of transfers through `Ledger.execute`, and writes a
 *   snapshot at the end as a clean shutdown would (none during the runs: writing one is not
 *   the append cost being measured, and the start-up measurement then opens at the head).
 *
 * A fresh process per step means each figure sees only its own heap: the filler's state and
 * workload, or an earlier measurement's ledger, are gone.
 */
import { makeSnapshot, type Ledger } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { fillDirect, startDirectFill } from "./direct-fill.js";
import { collectGarbage } from "./measure.js";
import { driveClosedLoop, openBenchLedger, requestsFor } from "./pacioli-engine.js";
import { p2pSegment, p2pSetup, Random, type Segment } from "./workloads/index.js";

export const HISTORY_STREAM = "ledger-main";
/** Transfers per generated segment while filling. */
const FILL_SEGMENT_COMMANDS = 100_000;
/** Ledger time between two commands of a direct fill: 10M commands span about six days. */
const DIRECT_FILL_SPACING_MS = 50;
/** Seeds of the measured runs sit apart from the fill's, so they are new transfers. */
const RUN_SEED_OFFSET = 1_000_003;

export type HistoryFill = "engine" | "direct";

export interface HistoryFilePlan {
  readonly events: number;
  readonly wallets: number;
  readonly seed: number;
  readonly via: HistoryFill;
}

export interface FilledFile {
  readonly events: number;
  readonly seconds: number;
}

/** Transfers needed after the set-up (two events per wallet) to reach `events`. */
const fillCommandsFor = (plan: HistoryFilePlan): number =>
  Math.max(0, plan.events - plan.wallets * 2);

function* fillSegments(plan: HistoryFilePlan): Generator<Segment> {
  const random = new Random(plan.seed);
  for (
    let done = 0, index = 0;
    done < fillCommandsFor(plan);
    done += FILL_SEGMENT_COMMANDS, index += 1
  ) {
    yield p2pSegment(
      random,
      plan.wallets,
      Math.min(FILL_SEGMENT_COMMANDS, fillCommandsFor(plan) - done),
      `f${index}-`,
    );
  }
}

export async function fillHistoryFile(path: string, plan: HistoryFilePlan): Promise<FilledFile> {
  const started = performance.now();
  const events =
    plan.via === "direct" ? await fillThroughCore(path, plan) : await fillThroughEngine(path, plan);
  return { events, seconds: (performance.now() - started) / 1000 };
}

/** Core decide + the engine's journal codec + large appends (direct-fill.ts). */
async function fillThroughCore(path: string, plan: HistoryFilePlan): Promise<number> {
  const setup = p2pSetup(plan.wallets);
  const planned = setup.commands.length + fillCommandsFor(plan);
  const fill = startDirectFill(
    Date.now() - planned * DIRECT_FILL_SPACING_MS - 3_600_000,
    DIRECT_FILL_SPACING_MS,
  );
  const store = await openSqliteEventStore({ path });
  await fillDirect(store, fill, setup.commands, "setup-");
  let index = 0;
  for (const segment of fillSegments(plan))
    await fillDirect(store, fill, segment.commands, `fill${(index += 1)}-`);
  await store.writeSnapshot(makeSnapshot(HISTORY_STREAM, fill.state, fill.lastHash));
  await store.close();
  return fill.state.sequence;
}

/** Through `Ledger.execute`, the way a service would fill it. */
async function fillThroughEngine(path: string, plan: HistoryFilePlan): Promise<number> {
  const ledger = await openBenchLedger("sqlite", path);
  const registry = ledger.currentState.registry;
  await driveClosedLoop(ledger, requestsFor(registry, p2pSetup(plan.wallets).commands, "setup-"));
  let index = 0;
  for (const segment of fillSegments(plan))
    await driveClosedLoop(ledger, requestsFor(registry, segment.commands, `fill${(index += 1)}-`));
  await ledger.snapshot();
  await ledger.close();
  return ledger.sequence;
}

export interface AppendPlan {
  readonly runs: number;
  readonly commands: number;
  readonly wallets: number;
  readonly seed: number;
}

export interface AppendCost {
  /** Events in the ledger when the measured runs began. */
  readonly eventsBefore: number;
  readonly openSeconds: number;
  /** Commands/s, run by run. */
  readonly rates: readonly number[];
}

export async function measureAppends(path: string, plan: AppendPlan): Promise<AppendCost> {
  const opening = performance.now();
  const ledger = await openBenchLedger("sqlite", path, { snapshotEvery: 0 });
  const openSeconds = (performance.now() - opening) / 1000;
  const eventsBefore = ledger.sequence;
  const rates = await driveRuns(ledger, plan);
  await ledger.snapshot();
  await ledger.close();
  return { eventsBefore, openSeconds, rates };
}

async function driveRuns(ledger: Ledger, plan: AppendPlan): Promise<number[]> {
  const random = new Random(plan.seed + RUN_SEED_OFFSET);
  const registry = ledger.currentState.registry;
  const rates: number[] = [];
  for (let run = 0; run < plan.runs; run += 1) {
    const requests = requestsFor(
      registry,
      p2pSegment(random, plan.wallets, plan.commands, `r${run}-`).commands,
      `run${run}-`,
    );
    collectGarbage();
    const result = await driveClosedLoop(ledger, requests);
    rates.push(requests.length / result.seconds);
  }
  return rates;
}
