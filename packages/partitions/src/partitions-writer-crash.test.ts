/**
 * Crash tests of one partition's writer alone (ADR 0025): the partitions' writers run in
 * worker threads on SQLite files; 4 callers send cross-partition transfers while the test
 * terminates one writer's thread (worker.terminate(): mid-append, between legs, wherever it
 * is) 0–3 ms after a random number of acknowledgements. A caller answered `Unavailable` moves
 * on without retrying: the partitioned ledger starts a new writer on the file, reads its legs
 * back and must finish on its own whatever was in flight. Afterwards: nothing is in flight
 * before any retry, every acknowledged transfer's retry answers "repeated", every unanswered
 * one is carried out once on retry, one send and one receive per transfer across (no leg
 * twice), the clearing accounts net to zero, the audit is clean and no money was made or lost.
 * 6 kills here; PACIOLI_SOAK=1 makes it 120.
 *
 * The threads run the built `dist/` (the test command builds first).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createPartitionDirectory, openPartitionDirectory } from "./partition-directory.js";
import type { PartitionedResult } from "./partitioned-result.js";
import { partitionOf, placement } from "./placement.js";
import { ThreadWriter } from "./thread-writer.js";
import { auditDirectoryReadOnly, openCrashWallets } from "./testing/crash-directory.js";
import { CRASH_FUNDING, CRASH_WALLETS, crashTransfer } from "./testing/crash-traffic.js";

const soak = process.env["PACIOLI_SOAK"] === "1";
if (soak) vi.setConfig({ testTimeout: 3_600_000 });
else vi.setConfig({ testTimeout: 60_000 });
const KILLS = soak ? 120 : 6;
const PARTITIONS = 3;
const CALLERS = 4;

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe("one partition's writer killed alone", () => {
  it(`loses no ack and records no leg twice across ${KILLS} kills of single writers`, async () => {
    const directory = mkdtempSync(join(tmpdir(), "pacioli-partitions-writer-crash-"));
    directories.push(directory);
    const rule = placement(PARTITIONS);
    createPartitionDirectory(directory, rule);
    const opened = await openPartitionDirectory(directory, { writers: "threads" });
    const { ledger } = opened;
    await openCrashWallets(ledger);

    // When to kill (after how many more acks) and whom: drawn once, reproducible.
    const plan = fc.sample(
      fc.record({
        after: fc.integer({ min: 1, max: 40 }),
        /** Then a moment later, wherever the writer is: deciding, appending, between legs. */
        delayMs: fc.integer({ min: 0, max: 3 }),
        partition: fc.integer({ min: 0, max: PARTITIONS - 1 }),
      }),
      { numRuns: KILLS, seed: 1204 },
    );
    const answers = new Map<number, PartitionedResult>();
    const unanswered: number[] = [];
    let kills = 0;
    let acksSinceKill = 0;
    let next = 0;
    const killNow = async () => {
      const step = plan[kills];
      if (step === undefined || acksSinceKill < step.after) return;
      acksSinceKill = 0;
      kills += 1;
      await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      const writer = ledger.writer(step.partition);
      if (!(writer instanceof ThreadWriter)) throw new Error("expected a writer in a thread");
      await writer.terminate();
    };
    const caller = async () => {
      while (kills < KILLS) {
        const index = next;
        next += 1;
        const result = await ledger.execute(crashTransfer(index));
        // Unavailable: the writer stopped before it answered. The caller moves on: the
        // restart alone must finish a transfer whose send it made durable.
        if (result._tag === "Unavailable") unanswered.push(index);
        else answers.set(index, result);
        if (result._tag === "Accepted") acksSinceKill += 1;
        await killNow();
      }
    };
    await Promise.all(Array.from({ length: CALLERS }, caller));
    await ledger.settled();
    await opened.close();
    expect(kills).toBe(KILLS);
    expect([...answers.values()].filter((result) => result._tag !== "Accepted")).toEqual([]);
    // The kills landed while commands were being decided (not only between them).
    expect(unanswered.length).toBeGreaterThan(0);

    // Nothing left in flight by the restarts alone, before any caller retried.
    const afterKills = await auditDirectoryReadOnly(directory, PARTITIONS);
    expect(afterKills.violations).toEqual([]);
    expect(afterKills.inFlight).toEqual([]);
    expect(afterKills.clean).toBe(true);

    // 0 lost acks: every acknowledged transfer answers its retry with the original result;
    // an unanswered one answers its retry once, whether or not it was durable.
    const reopened = await openPartitionDirectory(directory);
    try {
      for (const index of answers.keys())
        expect(await reopened.ledger.execute(crashTransfer(index)), `${index}`).toMatchObject({
          _tag: "Accepted",
          repeated: true,
        });
      for (const index of unanswered)
        expect(await reopened.ledger.execute(crashTransfer(index)), `${index}`).toMatchObject({
          _tag: "Accepted",
        });
      let total = 0n;
      for (const id of CRASH_WALLETS)
        total += (await reopened.ledger.walletBalances(id))[0]?.available ?? 0n;
      expect(total).toBe(CRASH_FUNDING * BigInt(CRASH_WALLETS.length));
    } finally {
      await reopened.close();
    }

    // 0 duplicated legs: one send and one receive per transfer across, no return.
    const crossing = [...answers.keys(), ...unanswered].filter((index) => {
      const { command } = crashTransfer(index);
      return (
        command.type === "TransferFunds" &&
        partitionOf(rule, command.fromWalletId) !== partitionOf(rule, command.toWalletId)
      );
    });
    const report = await auditDirectoryReadOnly(directory, PARTITIONS);
    expect(report.violations).toEqual([]);
    expect(report.clean).toBe(true);
    expect(report.legs).toEqual({ send: crossing.length, receive: crossing.length, return: 0 });
  });
});
