/**
 * Partitions: transfers per second through `@pacioli/partitions` on 1, 2 and 4 partitions
 * (one SQLite file each, synchronous FULL) with 0%, 10% and 50% of the transfers crossing
 * partitions, beside the plain engine on one file in the same run. 64 callers keep the
 * writers' group commits full.
 *
 * Each configuration runs twice: with every partition's writer in the process manager's thread
 * (`writers: "in-process"`: better-sqlite3 commits synchronously, so those partitions share one
 * core and do not overlap their fsyncs) and with one worker thread per writer (`"threads"`:
 * each writer decides and commits on its own thread, the process manager reaches it by
 * messages, ADR 0025). What it measures: the cost of the partitioned layer, of a cross-partition
 * transfer (two durable appends, one after the other) and of the thread boundary, and what
 * separate writers gain on this machine's cores. The paper model in
 * docs/operations/partitions.md scales these per-partition and per-leg costs.
 *
 *   node benchmarks/dist/partitions-run.js [--quick]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandRequest } from "@pacioli/core";
import { openLedger } from "@pacioli/engine";
import {
  createPartitionDirectory,
  openPartitionDirectory,
  partitionOf,
  placement,
  type Placement,
  type WritersMode,
} from "@pacioli/partitions";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import type { ClosedLoopSizes, ClosedLoopSizeSets } from "./closed-loop-sizes.js";

export interface PartitionsRow {
  readonly label: string;
  readonly partitions: number;
  /** Absent for the engine alone. */
  readonly writers?: WritersMode;
  readonly crossShare: number;
  readonly transfers: number;
  readonly crossTransfers: number;
  readonly transfersPerSecond: number;
  /** Sum of every wallet's balance after the run: equal to what was deposited. */
  readonly moneyConserved: boolean;
}

export const PARTITIONS_SIZES: ClosedLoopSizeSets = {
  quick: { wallets: 64, transfers: 300, callers: 16 },
  default: { wallets: 2_000, transfers: 20_000, callers: 64 },
};

export const PARTITION_COUNTS = [1, 2, 4] as const;
export const CROSS_SHARES = [0, 0.1, 0.5] as const;
export const WRITERS_MODES = ["in-process", "threads"] as const satisfies readonly WritersMode[];
const FUNDING = 1_000_000_000n;

/** A small deterministic PRNG (mulberry32), so every configuration sends the same kind of traffic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const walletName = (index: number): string => `w${index}`;

/** Transfers where `crossShare` of them go to a wallet of another partition (when there is one). */
function transfers(rule: Placement, sizes: ClosedLoopSizes, crossShare: number): CommandRequest[] {
  const next = random(20_261_203);
  const byPartition: string[][] = Array.from({ length: rule.partitionCount }, () => []);
  for (let index = 0; index < sizes.wallets; index += 1)
    byPartition[partitionOf(rule, walletName(index))]?.push(walletName(index));
  const pick = (list: readonly string[]): string => list[Math.floor(next() * list.length)] ?? "w0";
  return Array.from({ length: sizes.transfers }, (_, index) => {
    const from = walletName(Math.floor(next() * sizes.wallets));
    const home = partitionOf(rule, from);
    const cross = rule.partitionCount > 1 && next() < crossShare;
    const others = byPartition
      .filter((_, partition) => (cross ? partition !== home : partition === home))
      .flat();
    let to = pick(others.filter((wallet) => wallet !== from));
    if (to === from) to = walletName((Number(from.slice(1)) + 1) % sizes.wallets);
    return {
      idempotencyKey: `bench-${index}`,
      command: {
        type: "TransferFunds",
        transferId: `bench-${index}`,
        fromWalletId: from,
        toWalletId: to,
        amount: { currency: "USD", amount: 1n + BigInt(index % 100) },
      },
    };
  });
}

/** Sends every request with `callers` concurrent callers; returns the seconds it took. */
async function drive(
  requests: readonly CommandRequest[],
  callers: number,
  execute: (request: CommandRequest) => Promise<{ readonly _tag: string }>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < requests.length) {
        const request = requests[next];
        next += 1;
        if (request === undefined) break;
        const result = await execute(request);
        if (result._tag !== "Accepted")
          throw new Error(`benchmark transfer refused: ${JSON.stringify(result)}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

const setupRequests = (sizes: ClosedLoopSizes): CommandRequest[] =>
  Array.from({ length: sizes.wallets }, (_, index) => [
    {
      idempotencyKey: `open-${index}`,
      command: { type: "OpenWallet", walletId: walletName(index), ownerId: "o" },
    },
    {
      idempotencyKey: `fund-${index}`,
      command: {
        type: "DepositFunds",
        walletId: walletName(index),
        amount: { currency: "USD", amount: FUNDING },
        channel: "card",
      },
    },
  ]).flat() as CommandRequest[];

async function engineAlone(directory: string, sizes: ClosedLoopSizes): Promise<PartitionsRow> {
  const store = await openSqliteEventStore({ path: join(directory, "engine.sqlite") });
  const ledger = await openLedger({ store });
  try {
    for (const request of setupRequests(sizes)) await ledger.execute(request);
    const sent = transfers(placement(1), sizes, 0);
    const seconds = await drive(sent, sizes.callers, (request) => ledger.execute(request));
    let total = 0n;
    for (let index = 0; index < sizes.wallets; index += 1)
      total += ledger.walletBalances(walletName(index))[0]?.available ?? 0n;
    return {
      label: "engine alone (1 file)",
      partitions: 1,
      crossShare: 0,
      transfers: sent.length,
      crossTransfers: 0,
      transfersPerSecond: sent.length / seconds,
      moneyConserved: total === FUNDING * BigInt(sizes.wallets),
    };
  } finally {
    await ledger.close();
    await store.close();
  }
}

async function partitioned(
  directory: string,
  sizes: ClosedLoopSizes,
  count: number,
  crossShare: number,
  writers: WritersMode,
): Promise<PartitionsRow> {
  const rule = placement(count);
  createPartitionDirectory(directory, rule);
  const opened = await openPartitionDirectory(directory, { writers });
  try {
    const { ledger } = opened;
    for (const request of setupRequests(sizes)) await ledger.execute(request);
    const sent = transfers(rule, sizes, crossShare);
    const crossTransfers = sent.filter(
      ({ command }) =>
        command.type === "TransferFunds" &&
        partitionOf(rule, command.fromWalletId) !== partitionOf(rule, command.toWalletId),
    ).length;
    const seconds = await drive(sent, sizes.callers, (request) => ledger.execute(request));
    let total = 0n;
    for (let index = 0; index < sizes.wallets; index += 1)
      total += (await ledger.walletBalances(walletName(index)))[0]?.available ?? 0n;
    return {
      label: `${count} partition${count === 1 ? "" : "s"}, ${Math.round(crossShare * 100)}% across`,
      partitions: count,
      writers,
      crossShare,
      transfers: sent.length,
      crossTransfers,
      transfersPerSecond: sent.length / seconds,
      moneyConserved: total === FUNDING * BigInt(sizes.wallets),
    };
  } finally {
    await opened.close();
  }
}

export async function runPartitionsBenchmark(
  sizes: ClosedLoopSizes,
  log: (line: string) => void = () => undefined,
): Promise<PartitionsRow[]> {
  const work = mkdtempSync(join(tmpdir(), "pacioli-partitions-bench-"));
  const rows: PartitionsRow[] = [];
  try {
    rows.push(await engineAlone(work, sizes));
    log(`${rows.at(-1)?.label}: ${Math.round(rows.at(-1)?.transfersPerSecond ?? 0)} transfers/s`);
    for (const count of PARTITION_COUNTS)
      for (const share of count === 1 ? [0] : CROSS_SHARES)
        for (const writers of WRITERS_MODES) {
          const directory = join(work, `p${count}-${share}-${writers}`);
          rows.push(await partitioned(directory, sizes, count, share, writers));
          log(
            `${rows.at(-1)?.label}: ${Math.round(rows.at(-1)?.transfersPerSecond ?? 0)} transfers/s`,
          );
        }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export function partitionsTable(rows: readonly PartitionsRow[]): string {
  const lines = [
    "| configuration | writers | transfers | across | transfers/s |",
    "|---|---|---:|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.label} | ${row.writers ?? "engine"} | ${row.transfers} | ${row.crossTransfers} | ${Math.round(row.transfersPerSecond).toLocaleString("en-US")} |`,
    ),
  ];
  return lines.join("\n");
}
