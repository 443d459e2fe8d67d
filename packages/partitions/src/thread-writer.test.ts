/**
 * Writers in worker threads (`writers: "threads"`, ADR 0025) give callers what writers in
 * this thread give: the same answers (events, refusals, reversals, bigint amounts across the
 * thread boundary) and the same balances, for the same commands on a fresh directory each.
 * A writer closed or terminated refuses calls with `WriterUnavailable`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandRequest } from "@pacioli/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  createPartitionDirectory,
  openPartitionDirectory,
  partitionFileName,
  type WritersMode,
} from "./partition-directory.js";
import type { PartitionedResult } from "./partitioned-result.js";
import { WriterUnavailable } from "./partition-writer.js";
import { placement } from "./placement.js";
import { ThreadWriter } from "./thread-writer.js";
import { request, transfer, usd } from "./testing/typed-requests.js";

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const PINNED = [
  ["alice", 0],
  ["bob", 1],
  ["carol", 2],
] as const;

const COMMANDS: CommandRequest[] = [
  request({ type: "OpenWallet", walletId: "alice", ownerId: "a" }, "o-a"),
  request({ type: "OpenWallet", walletId: "bob", ownerId: "b" }, "o-b"),
  request({ type: "OpenWallet", walletId: "carol", ownerId: "c" }, "o-c"),
  request({ type: "DepositFunds", walletId: "alice", amount: usd(1_000n), channel: "card" }, "d"),
  request(transfer("t1", "alice", "bob", 300n), "t1"),
  request(transfer("t1", "alice", "carol", 300n), "t1-again"), // transfer id taken
  request(transfer("t2", "alice", "carol", 5_000n), "t2"), // insufficient funds
  request(transfer("t1", "alice", "bob", 300n), "t1"), // retry: repeated
  request({ type: "CloseWallet", walletId: "carol" }, "close-c"),
  request(transfer("t3", "bob", "carol", 100n), "t3"), // target closed
  request({ type: "DefineVerificationTier", tierId: "basic", limits: [] }, "tier"),
];

/** The answers without recorded times (each writer reads its own clock). */
function comparable(result: PartitionedResult): unknown {
  return JSON.parse(
    JSON.stringify(result, (name, value: unknown) =>
      name === "recordedAt" || name === "hash" || name === "previousHash"
        ? undefined
        : typeof value === "bigint"
          ? `${value}n`
          : value,
    ),
  );
}

async function run(writers: WritersMode) {
  const directory = mkdtempSync(join(tmpdir(), `pacioli-partitions-${writers}-`));
  directories.push(directory);
  createPartitionDirectory(directory, placement(3, PINNED));
  const opened = await openPartitionDirectory(directory, { writers });
  try {
    const answers: unknown[] = [];
    for (const command of COMMANDS) answers.push(comparable(await opened.ledger.execute(command)));
    const balances = [];
    for (const wallet of ["alice", "bob", "carol"])
      balances.push(await opened.ledger.walletBalances(wallet));
    return { answers, balances, directory };
  } finally {
    await opened.close();
  }
}

describe("writers in worker threads", () => {
  it("answer and balance as writers in this thread do", async () => {
    const inProcess = await run("in-process");
    const threads = await run("threads");
    expect(threads.answers).toEqual(inProcess.answers);
    expect(threads.balances).toEqual(inProcess.balances);
    expect(threads.balances[1]).toMatchObject([{ currency: "USD", available: 300n }]);
    expect(threads.answers.map((answer) => (answer as { _tag: string })._tag)).toEqual([
      "Accepted",
      "Accepted",
      "Accepted",
      "Accepted",
      "Accepted",
      "Rejected",
      "Rejected",
      "Accepted",
      "Accepted",
      "Rejected",
      "Unsupported",
    ]);
  });

  it("refuses calls once the thread ended, and says so", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pacioli-partitions-thread-"));
    directories.push(directory);
    const writer = await ThreadWriter.start(0, join(directory, partitionFileName(0)));
    expect(await writer.hasTransferId("t1")).toBe(false);
    await writer.terminate();
    expect(writer.stopped).toBe(true);
    await expect(writer.walletBalances("alice")).rejects.toBeInstanceOf(WriterUnavailable);
    await writer.close(); // closing a stopped writer is a no-op
  });
});
