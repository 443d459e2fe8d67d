/**
 * CPU profile helpers for RESULTS.md.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/dist/profile.js run p2p   # core only, one workload
 *   node benchmarks/dist/profile.js summarize /tmp/prof/*.cpuprofile             # top self-time functions
 *
 * The summary adds up each function's self time (samples whose top frame it is), which is
 * where the time goes once callers are set aside.
 */
import { readFileSync } from "node:fs";
import { initialState } from "@pacioli/core";
import { CORE_EPOCH_MS, envelopesFor, runCore } from "./pacioli-core.js";
import { makeWorkload, WORKLOAD_NAMES, type WorkloadName } from "./workloads/index.js";

/** Timings and ratios (never money) with a fixed number of decimals. */
const decimals = (value: number, digits: number): string =>
  value.toLocaleString("en", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export function topSelfTime(profile: Profile, limit: number): { name: string; percent: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (node === undefined) return;
    const frame = node.callFrame;
    const file = frame.url.replace(/^.*\/(packages|benchmarks|node_modules)\//, "$1/");
    const name =
      `${frame.functionName || "(anonymous)"} ${file === "" ? "" : `${file}:${frame.lineNumber + 1}`}`.trim();
    totals.set(name, (totals.get(name) ?? 0) + delta);
    all += delta;
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, time]) => ({ name, percent: (100 * time) / all }));
}

function main(args: readonly string[]): void {
  const [command, argument] = args;
  if (command === "run") {
    const name = (argument ?? "p2p") as WorkloadName;
    if (!WORKLOAD_NAMES.includes(name)) throw new Error(`unknown workload ${name}`);
    const workload = makeWorkload(name, {
      wallets: 100_000,
      merchants: 20,
      commandsPerSegment: 300_000,
      segments: 2,
      seed: 1,
    });
    const state = initialState();
    runCore(state, envelopesFor(workload.setup.commands, "setup-", CORE_EPOCH_MS));
    let at = CORE_EPOCH_MS + workload.setup.commands.length;
    for (const [index, segment] of workload.segments.entries()) {
      const envelopes = envelopesFor(segment.commands, `s${index}-`, at);
      at += envelopes.length;
      const run = runCore(state, envelopes);
      console.log(
        `${name} run ${index + 1}: ${Math.round(envelopes.length / run.seconds).toLocaleString("en")} commands/s`,
      );
    }
    return;
  }
  if (command === "summarize" && argument !== undefined) {
    const profile = JSON.parse(readFileSync(argument, "utf8")) as Profile;
    for (const row of topSelfTime(profile, 15))
      console.log(`| ${decimals(row.percent, 1)}% | \`${row.name}\` |`);
    return;
  }
  throw new Error("usage: profile.js run <workload> | summarize <file.cpuprofile>");
}

main(process.argv.slice(2));
