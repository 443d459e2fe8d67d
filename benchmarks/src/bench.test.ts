/**
 * The benchmarks in the ordinary test run, at tiny sizes, so they cannot rot. Nothing here
 * asserts a timing (a shared machine makes those flaky and they would say nothing); it
 * asserts that every workload and section runs, that Pacioli ends with the ceiling's
 * balances on every workload (so both did the same work), that the Emmett peer does too on
 * p2p, and that RESULTS.md and chart.svg are written.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Ceiling } from "./ceiling.js";
import { EmmettWallets } from "./emmett-peer.js";
import { writeReport } from "./report.js";
import { runSuite, SECTIONS, type Results } from "./suite.js";
import { makeWorkload, WORKLOAD_NAMES, balanceKey } from "./workloads/index.js";
import { walletName } from "./workloads/builder.js";
import { walletAvailableAccount } from "@pacioli/core";
import { runVerifiableBenchmark } from "./verifiable-ledger.js";

const directory = mkdtempSync(join(tmpdir(), "pacioli-bench-test-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("benchmarks (quick mode)", () => {
  let results: Results;

  it("runs every section and every workload", async () => {
    results = await runSuite({
      mode: "quick",
      only: SECTIONS,
      workloads: WORKLOAD_NAMES,
      log: () => undefined,
    });
    expect(new Set(results.core.map((row) => row.workload))).toEqual(new Set(WORKLOAD_NAMES));
    expect(results.engine.map((row) => `${row.workload}/${row.store}`)).toHaveLength(
      WORKLOAD_NAMES.length * 2,
    );
    expect(results.history.length).toBeGreaterThanOrEqual(2);
    expect(results.audit?.violations).toBe(0);
    expect(results.startup?.events).toBeGreaterThan(0);
    expect(results.historyPages?.pages).toBeGreaterThan(0);
    expect(results.memory?.wallets).toBeGreaterThan(0);
  }, 120_000);

  it("ends with the ceiling's balances on every workload", () => {
    for (const row of results.core)
      expect({ workload: row.label, equal: row.balancesMatchCeiling }).toEqual({
        workload: row.label,
        equal: true,
      });
  });

  it("writes RESULTS.md and chart.svg", () => {
    writeReport(directory, results, {
      date: "2026-01-01T00:00:00.000Z",
      command: "test",
      notes: "## Notes\n",
    });
    const markdown = readFileSync(join(directory, "RESULTS.md"), "utf8");
    for (const name of WORKLOAD_NAMES) expect(markdown).toContain(`| ${name}`);
    expect(markdown).toContain("nproc");
    expect(markdown).toContain("## Notes");
    expect(readFileSync(join(directory, "chart.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});

describe("the Emmett peer", () => {
  it("ends with the ceiling's wallet balances on p2p", async () => {
    const workload = makeWorkload("p2p", {
      wallets: 20,
      merchants: 0,
      commandsPerSegment: 300,
      segments: 2,
      seed: 7,
    });
    const ceiling = new Ceiling();
    const emmett = new EmmettWallets();
    for (const segment of [workload.setup, ...workload.segments]) {
      ceiling.apply(segment.ceiling);
      await emmett.run(segment.commands);
    }
    expect(emmett.refused).toBe(ceiling.refused);
    for (let index = 0; index < 20; index += 1) {
      const wallet = walletName(index);
      expect(await emmett.balance(wallet)).toBe(
        ceiling.balances.get(balanceKey(walletAvailableAccount(wallet), "USD")) ?? 0n,
      );
    }
  });
});

describe("verifiable ledger benchmark (quick)", () => {
  it("runs: the engine with and without the tree, per-event costs, proofs that verify", async () => {
    const lines: string[] = [];
    await runVerifiableBenchmark({ leaves: [300], commands: 200, runs: 2 }, (line) =>
      lines.push(line),
    );
    const measures = lines.map(
      (line) =>
        JSON.parse(line) as {
          measure: string;
          inclusionHashes?: number;
          consistencyHashes?: number;
        },
    );
    expect(measures.map((item) => item.measure)).toEqual(["engine", "per-event", "proofs"]);
    expect(measures[2]?.inclusionHashes).toBe(9); // ⌈log₂ 300⌉
    expect(measures[2]?.consistencyHashes).toBeGreaterThan(0);
  }, 60_000);
});
