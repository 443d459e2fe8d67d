/**
 * A child process for the crash tests: opens a partitioned ledger directory (which resumes
 * every transfer a killed predecessor left in flight), then sends transfers `first..first+count`
 * with `concurrency` in flight, and prints `ack {index}` for each accepted one, only after its
 * legs are durable. The parent kills it with SIGKILL at a moment of its choosing.
 *
 * Usage: node crash-writer.js <directory> <first> <count> <concurrency> [in-process|threads]
 */
import { openPartitionDirectory } from "../partition-directory.js";
import { crashTransfer } from "./crash-traffic.js";

const [directory, firstText, countText, concurrencyText, writersText] = process.argv.slice(2);
if (directory === undefined)
  throw new Error("usage: crash-writer <directory> <first> <count> <concurrency>");
const first = Number(firstText);
const count = Number(countText);
const concurrency = Number(concurrencyText ?? "4");

const writers = writersText === "threads" ? "threads" : "in-process";
const opened = await openPartitionDirectory(directory, { writers });
process.stdout.write("ready\n");
let next = first;
async function worker(): Promise<void> {
  while (next < first + count) {
    const index = next;
    next += 1;
    const result = await opened.ledger.execute(crashTransfer(index));
    process.stdout.write(
      `${result._tag === "Accepted" ? "ack" : `refused ${result._tag}`} ${index}\n`,
    );
  }
}
await Promise.all(Array.from({ length: concurrency }, () => worker()));
await opened.close();
process.stdout.write("done\n");
