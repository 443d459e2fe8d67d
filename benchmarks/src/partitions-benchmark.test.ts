/**
 * The partitions benchmark at tiny sizes, so it cannot rot: every configuration runs, crosses
 * partitions as often as asked (about), and ends with the money it started with. No timing is
 * asserted.
 */
import { describe, expect, it } from "vitest";
import {
  CROSS_SHARES,
  PARTITION_COUNTS,
  PARTITIONS_SIZES,
  partitionsTable,
  runPartitionsBenchmark,
  WRITERS_MODES,
} from "./partitions-benchmark.js";

describe("partitions benchmark (quick mode)", () => {
  it("runs 1, 2 and 4 partitions at 0, 10 and 50% across, writers in process and in threads, beside the engine alone, conserving money", async () => {
    // Half the quick size: 15 configurations, each with its own files (and threads).
    const rows = await runPartitionsBenchmark({ ...PARTITIONS_SIZES.quick, transfers: 150 });
    const configurations = 1 + (PARTITION_COUNTS.length - 1) * CROSS_SHARES.length;
    expect(rows).toHaveLength(1 + configurations * WRITERS_MODES.length);
    expect(rows.filter((row) => row.writers === "threads")).toHaveLength(configurations);
    for (const row of rows) {
      expect(row.moneyConserved, row.label).toBe(true);
      expect(row.transfersPerSecond, row.label).toBeGreaterThan(0);
      const share = row.crossTransfers / row.transfers;
      expect(Math.abs(share - row.crossShare), row.label).toBeLessThan(0.1);
    }
    expect(partitionsTable(rows)).toContain("| 4 partitions, 50% across | threads |");
  }, 120_000);
});
