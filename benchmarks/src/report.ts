/**
 * Writes RESULTS.md (a table per measurement with medians, min–max over the runs, ratios to
 * the ceiling and to Emmett, and the run's date, `nproc`, Node version and command) and
 * chart.svg (throughput by workload and store, drawn by hand: no chart dependency).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import type { Summary } from "./measure.js";
import type { Results } from "./suite.js";

export interface RunInfo {
  readonly date: string;
  readonly command: string;
  /** Free text appended under the tables (profile summaries, findings). */
  readonly notes: string;
}

/** Timings and ratios (never money) with a fixed number of decimals. */
const decimals = (value: number, digits: number): string =>
  value.toLocaleString("en", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });

const rate = (value: number): string => Math.round(value).toLocaleString("en");
const ratio = (value: number | undefined): string =>
  value === undefined ? "–" : value >= 10 ? `${decimals(value, 0)}×` : `${decimals(value, 2)}×`;
const range = (summary: Summary): string => `${rate(summary.min)}–${rate(summary.max)}`;
const ratioSummary = (summary: Summary | undefined): string =>
  summary === undefined
    ? "–"
    : `${ratio(summary.median)} (${ratio(summary.min)}–${ratio(summary.max)})`;

/** A measurement reported as a table of one row. */
interface OneRowTable {
  readonly heading: string;
  readonly columns: readonly string[];
  readonly cells: readonly string[];
}

/** A heading, a table of figures (every column right-aligned) and a blank line. */
function tableSection(
  heading: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  return [
    heading,
    "",
    `| ${columns.join(" | ")} |`,
    `|${columns.map(() => "---:").join("|")}|`,
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
    "",
  ];
}

export function renderResults(results: Results, info: RunInfo): string {
  const lines: string[] = [];
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  lines.push("# Benchmark results", "");
  lines.push(
    `- Date: ${info.date}`,
    `- Command: \`${info.command}\``,
    `- Mode: ${results.mode}`,
    `- nproc: ${availableParallelism()} (${cpu})`,
    `- Node: ${process.version}`,
  );
  lines.push(
    `- Runs per figure: ${results.sizes.runs} (median, min–max); each run is the next segment of the same seeded workload on the same growing state`,
  );
  lines.push(`- Sizes: ${JSON.stringify(results.sizes)}`, "");
  lines.push(
    "Figures come from one process on a shared 2-core machine: compare ratios within this file, not against other runs.",
    "",
  );
  if (results.core.length > 0) {
    lines.push("## Core (in memory, one core): commands/s", "");
    lines.push(
      "| workload | Pacioli median | min–max | ceiling median | Pacioli ÷ ceiling (per run, median, min–max) | Emmett median | Pacioli ÷ Emmett | refused | balances = ceiling |",
    );
    lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const row of results.core) {
      lines.push(
        `| ${row.label} | ${rate(row.pacioli.median)} | ${range(row.pacioli)} | ${row.ceiling === undefined ? "–" : rate(row.ceiling.median)} | ${ratioSummary(row.ratioToCeiling)} | ${row.emmett === undefined ? "–" : rate(row.emmett.median)} | ${ratioSummary(row.ratioToEmmett)} | ${decimals(row.refusedShare * 100, 1)}% | ${row.balancesMatchCeiling ? "yes" : "**NO**"} |`,
      );
    }
    lines.push("", "Throughput run by run (history grows from run 1 to run 5):", "");
    lines.push(
      "| workload | system | run 1 | run 2 | run 3 | run 4 | run 5 | last ÷ first |",
      "|---|---|---:|---:|---:|---:|---:|---:|",
    );
    for (const row of results.core) {
      lines.push(
        `| ${row.label} | Pacioli | ${row.perRun.map(rate).join(" | ")} | ${ratio((row.perRun.at(-1) ?? 0) / (row.perRun[0] ?? 1))} |`,
      );
      if (row.emmettPerRun !== undefined)
        lines.push(
          `| ${row.label} | Emmett | ${row.emmettPerRun.map(rate).join(" | ")} | ${ratio((row.emmettPerRun.at(-1) ?? 0) / (row.emmettPerRun[0] ?? 1))} |`,
        );
    }
    lines.push("");
  }
  if (results.engine.length > 0) {
    lines.push(
      "## Engine: sustained commands/s with group commit, latency at an offered load, one client",
      "",
    );
    lines.push(
      "| workload | store | median cmd/s | min–max | ÷ core ceiling | ÷ Emmett (in-memory) | offered load /s | achieved /s | p50 ms | p99 ms | one client cmd/s | one client p50 / p99 ms |",
    );
    lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of results.engine) {
      lines.push(
        `| ${row.workload} | ${row.store} | ${rate(row.throughput.median)} | ${range(row.throughput)} | ${ratio(row.ratioToCeiling)} | ${ratio(row.ratioToEmmett)} | ${rate(row.offeredPerSecond)} | ${rate(row.achievedPerSecond)} | ${decimals(row.p50Ms, 2)} | ${decimals(row.p99Ms, 2)} | ${rate(row.oneClientPerSecond)} | ${decimals(row.oneClientP50Ms, 2)} / ${decimals(row.oneClientP99Ms, 2)} |`,
      );
    }
    lines.push("");
    lines.push(
      "## Engine beside its limits (same run): core alone, store alone, writer stalls in the open-loop run",
      "",
      `Core alone: the same workload's segments through \`execute\` in memory. Store alone: the SQLite rows' stored batches appended again, same sizes and idempotency rows, into a fresh file (synchronous = FULL). Stalls: Node's event-loop delay (max) and the longest gap between two commits while the open loop ran; snapshots due every ${results.engine[0]?.snapshotEvery.toLocaleString("en") ?? "?"} events throughout.`,
      "",
      "| workload | store | engine cmd/s | core alone cmd/s | engine ÷ core alone | store alone cmd/s | engine ÷ store alone | open loop p99 / p99.9 ms | longest loop delay ms | longest commit gap ms |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const row of results.engine) {
      lines.push(
        `| ${row.workload} | ${row.store} | ${rate(row.throughput.median)} | ${rate(row.coreAlone.median)} | ${ratio(row.throughput.median / row.coreAlone.median)} | ${row.storeAlonePerSecond === undefined ? "–" : rate(row.storeAlonePerSecond)} | ${row.storeAlonePerSecond === undefined ? "–" : ratio(row.throughput.median / row.storeAlonePerSecond)} | ${decimals(row.p99Ms, 2)} / ${decimals(row.p999Ms, 2)} | ${decimals(row.longestLoopDelayMs, 1)} | ${decimals(row.longestCommitGapMs, 1)} |`,
      );
    }
    lines.push("");
  }
  if (results.history.length > 0) {
    const base = results.history[0]?.throughput.median ?? 1;
    lines.push(
      ...tableSection(
        "## Append cost vs history (engine on SQLite, p2p): commands/s",
        [
          "events already in the ledger",
          "median",
          "min–max",
          "÷ empty ledger",
          "time to fill (s)",
          "time to open (s)",
        ],
        results.history.map((row) => [
          rate(row.eventsBefore),
          rate(row.throughput.median),
          range(row.throughput),
          ratio(row.throughput.median / base),
          decimals(row.prefillSeconds, 1),
          decimals(row.openSeconds, 1),
        ]),
      ),
    );
  }
  // The measurements of one row each, in the order they are reported; absent ones are left out.
  const { audit, startup, historyPages: pages, memory } = results;
  const oneRowTables: (OneRowTable | false)[] = [
    audit !== undefined && {
      heading:
        "## Audit replay (SQLite file: read, decode, verify hash chain and every invariant, fold)",
      columns: [
        "events",
        "seconds",
        "events/s",
        "peak RSS (MiB, the auditing process alone)",
        "violations",
      ],
      cells: [
        rate(audit.events),
        decimals(audit.seconds, 2),
        rate(audit.eventsPerSecond),
        decimals(audit.peakRssMiB, 0),
        String(audit.violations),
      ],
    },
    startup !== undefined && {
      heading: "## Start-up (open a SQLite ledger)",
      columns: ["events", "without snapshot (s)", "with snapshot (s)"],
      cells: [
        rate(startup.events),
        decimals(startup.withoutSnapshotSeconds, 2),
        decimals(startup.withSnapshotSeconds, 2),
      ],
    },
    pages !== undefined && {
      heading: "## History pages (50 lines of a wallet, from the persisted projection)",
      columns: [
        "events",
        "catch-up at open (s, events)",
        "pages",
        "lines/page",
        "p50 (ms)",
        "p99 (ms)",
        "max (ms)",
      ],
      cells: [
        rate(pages.events),
        `${decimals(pages.catchUpSeconds, 2)} (${rate(pages.eventsCaughtUp)})`,
        rate(pages.pages),
        decimals(pages.linesPerPage, 1),
        decimals(pages.p50Ms, 3),
        decimals(pages.p99Ms, 3),
        decimals(pages.maxMs, 3),
      ],
    },
    memory !== undefined && {
      heading: "## Memory per wallet (live heap after GC, wallets opened and funded)",
      columns: ["wallets", "Pacioli core bytes/wallet", "ceiling bytes/wallet", "ratio"],
      cells: [
        rate(memory.wallets),
        rate(memory.pacioliBytesPerWallet),
        rate(memory.ceilingBytesPerWallet),
        ratio(memory.pacioliBytesPerWallet / memory.ceilingBytesPerWallet),
      ],
    },
  ];
  for (const table of oneRowTables)
    if (table !== false) lines.push(...tableSection(table.heading, table.columns, [table.cells]));
  if (info.notes !== "") lines.push(info.notes, "");
  return lines.join("\n");
}

interface Bar {
  readonly group: string;
  readonly series: string;
  readonly value: number;
}

const SERIES_COLOURS: Record<string, string> = {
  ceiling: "#9e9e9e",
  core: "#1565c0",
  "engine memory": "#43a047",
  "engine sqlite": "#ef6c00",
  emmett: "#8e24aa",
};

/** Grouped horizontal bars on a log scale: the figures span five orders of magnitude. */
export function renderChart(results: Results): string {
  const bars: Bar[] = [];
  for (const row of results.core) {
    if (row.ceiling !== undefined)
      bars.push({ group: row.label, series: "ceiling", value: row.ceiling.median });
    bars.push({ group: row.label, series: "core", value: row.pacioli.median });
    if (row.emmett !== undefined)
      bars.push({ group: row.label, series: "emmett", value: row.emmett.median });
  }
  for (const row of results.engine)
    bars.push({
      group: `${row.workload} (engine)`,
      series: `engine ${row.store}`,
      value: row.throughput.median,
    });
  const barHeight = 14;
  const left = 230;
  const width = 900;
  const plotWidth = width - left - 110;
  const maxLog = Math.ceil(Math.log10(Math.max(10, ...bars.map((bar) => bar.value))));
  const x = (value: number): number => (Math.log10(Math.max(1, value)) / maxLog) * plotWidth;
  const groups = [...new Set(bars.map((bar) => bar.group))];
  let y = 50;
  const parts: string[] = [];
  for (const group of groups) {
    const members = bars.filter((bar) => bar.group === group);
    parts.push(
      `<text x="${left - 8}" y="${y + (members.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(group)}</text>`,
    );
    for (const bar of members) {
      const colour = SERIES_COLOURS[bar.series] ?? "#000";
      parts.push(
        `<rect x="${left}" y="${y}" width="${decimals(x(bar.value), 1)}" height="${barHeight - 2}" fill="${colour}"><title>${escapeXml(`${bar.series}: ${rate(bar.value)} commands/s`)}</title></rect>`,
      );
      parts.push(
        `<text x="${decimals(left + x(bar.value) + 4, 1)}" y="${y + barHeight - 4}" font-size="10">${rate(bar.value)}</text>`,
      );
      y += barHeight;
    }
    y += 8;
  }
  const axis: string[] = [];
  for (let power = 0; power <= maxLog; power += 1) {
    const position = left + x(10 ** power);
    axis.push(
      `<line x1="${position}" y1="40" x2="${position}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${position}" y="${y + 14}" text-anchor="middle" font-size="10">1e${power}</text>`,
    );
  }
  const legend = Object.entries(SERIES_COLOURS).map(
    ([name, colour], index) =>
      `<rect x="${left + index * 130}" y="12" width="12" height="12" fill="${colour}"/><text x="${left + index * 130 + 16}" y="22" font-size="11">${name}</text>`,
  );
  const height = y + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="12" font-weight="bold">commands/s (log)</text>`,
    ...legend,
    ...axis,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function writeReport(directory: string, results: Results, info: RunInfo): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "RESULTS.md"), renderResults(results, info));
  writeFileSync(join(directory, "chart.svg"), renderChart(results));
}
