/**
 * `pnpm bench`: runs the suite and writes benchmarks/RESULTS.md and benchmarks/chart.svg.
 *
 *   node benchmarks/dist/run.js [--quick | --full] [--only core,engine,history,audit,startup,memory]
 *                               [--workloads p2p,mixed] [--out DIR] [--notes FILE]
 *                               [--history-events 0,1000000,10000000] [--history-wallets N]
 *                               [--history-fill engine|direct]
 *
 * Default sizes take some minutes; `--full` adds the 10M-event history and larger runs and
 * takes much longer; `--quick` uses tiny sizes (what CI and the test run use).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { enableGc } from "./measure.js";
import { writeReport } from "./report.js";
import { runSuite, SECTIONS, type Mode, type Section } from "./suite.js";
import { WORKLOAD_NAMES, type WorkloadName } from "./workloads/index.js";

function valueOf(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

function listOf<T extends string>(
  text: string | undefined,
  allowed: readonly T[],
  what: string,
): readonly T[] {
  if (text === undefined) return allowed;
  const items = text.split(",").filter((item) => item !== "");
  for (const item of items)
    if (!(allowed as readonly string[]).includes(item))
      throw new Error(`unknown ${what} "${item}" (one of ${allowed.join(", ")})`);
  return items as T[];
}

async function main(args: readonly string[]): Promise<void> {
  const mode: Mode = args.includes("--quick")
    ? "quick"
    : args.includes("--full")
      ? "full"
      : "default";
  const only = listOf<Section>(valueOf(args, "--only"), SECTIONS, "section");
  const workloads = listOf<WorkloadName>(valueOf(args, "--workloads"), WORKLOAD_NAMES, "workload");
  const out = valueOf(args, "--out") ?? join(dirname(fileURLToPath(import.meta.url)), "..");
  const notesFile = valueOf(args, "--notes") ?? join(out, "NOTES.md");
  await enableGc();
  const historyEvents = valueOf(args, "--history-events")?.split(",").map(Number);
  const historyWallets = valueOf(args, "--history-wallets");
  const sizeOverrides = {
    ...(historyEvents === undefined ? {} : { historyEvents }),
    ...(historyWallets === undefined ? {} : { historyWallets: Number(historyWallets) }),
  };
  const historyFill = valueOf(args, "--history-fill") === "direct" ? "direct" : "engine";
  const results = await runSuite({
    mode,
    only,
    workloads,
    sizeOverrides,
    historyFill,
    log: (line) => console.error(`[bench ${new Date().toISOString()}] ${line}`),
  });
  const notes = existsSync(notesFile) ? readFileSync(notesFile, "utf8") : "";
  writeReport(out, results, {
    date: new Date().toISOString(),
    command: `node benchmarks/dist/run.js ${args.join(" ")}`.trim(),
    notes,
  });
  console.error(`[bench] wrote ${join(out, "RESULTS.md")} and chart.svg`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
