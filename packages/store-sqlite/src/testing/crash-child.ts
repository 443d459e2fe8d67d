/**
 * The process the crash test kills: opens the ledger file, sends commands `from` … `to - 1`
 * of the crash workload in concurrent waves, and prints one line per command to stdout only
 * after `execute` resolved, i.e. after its events are durable:
 *
 *   ready                                  the ledger is open
 *   ack <index> A <firstSequence> <0|1>    accepted (1 = a retry: the original events)
 *   ack <index> R <RejectionTag>           refused (nothing recorded)
 *   ack <index> I                          could not be decoded (a bug in the workload)
 *   done
 *
 * Lines are written with `writeSync`, so a line the parent reads was written before the
 * next wave started; SIGKILL can land anywhere else, including inside an append.
 *
 * Usage: node dist/testing/crash-child.js <file> <from> <to> <waveSeed>
 */
import { writeSync } from "node:fs";
import { openLedger, type ExecuteResult } from "@pacioli/engine";
import { openSqliteEventStore } from "../sqlite-event-store.js";
import { CRASH_WAVE_MAX, crashCommand } from "./crash-workload.js";

/** Small enough that kills land during snapshot writes and restarts load snapshots. */
const SNAPSHOT_EVERY = 97;
/**
 * Small batches and the smallest hot set they allow, so idempotency keys leave memory within
 * a few batches and retries (in a wave, and after every restart) are answered from the store.
 */
const BATCH_COMMANDS_MAX = 8;
const IDEMPOTENCY_HOT_SET_MAX = 2 * BATCH_COMMANDS_MAX;

function describe(result: ExecuteResult): string {
  if (result._tag === "Accepted")
    return `A ${result.events[0]?.sequence ?? 0} ${result.repeated ? 1 : 0}`;
  if (result._tag === "Rejected") return `R ${result.rejection._tag}`;
  return "I";
}

async function main(): Promise<void> {
  const [path, fromText, toText, seedText] = process.argv.slice(2);
  if (
    path === undefined ||
    fromText === undefined ||
    toText === undefined ||
    seedText === undefined
  ) {
    throw new Error("usage: crash-child <file> <from> <to> <waveSeed>");
  }
  const to = Number(toText);
  let seed = Number(seedText) >>> 0;
  const store = await openSqliteEventStore({ path });
  const ledger = await openLedger({
    store,
    snapshotEvery: SNAPSHOT_EVERY,
    snapshotTimeShareMax: 1,
    batchCommandsMax: BATCH_COMMANDS_MAX,
    idempotencyHotSetMax: IDEMPOTENCY_HOT_SET_MAX,
    onWarning: (message) => process.stderr.write(`${message}\n`),
  });
  writeSync(1, "ready\n");
  // One child in four rebuilds the history projection while its commands go on, so kills also
  // land in the middle of a rebuild (ADR 0018).
  const rebuilding = seed % 4 === 0 ? ledger.rebuildHistory() : undefined;
  for (let next = Number(fromText); next < to;) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const size = Math.min(to - next, 1 + (seed % CRASH_WAVE_MAX));
    const wave = Array.from({ length: size }, (_, offset) => next + offset);
    next += size;
    await Promise.all(
      wave.map(async (index) =>
        writeSync(1, `ack ${index} ${describe(await ledger.executeWire(crashCommand(index)))}\n`),
      ),
    );
  }
  await rebuilding;
  writeSync(1, "done\n");
  await ledger.close();
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
