/**
 * The model-based run (testing/partitioned-model-run.ts) on in-memory stores: 1,000 sequences
 * here, 10,000 longer ones under PACIOLI_SOAK=1.
 */
import { describe, expect, it, vi } from "vitest";
import { openTestPartitions } from "./testing/open-partitions.js";
import { runPartitionedModel } from "./testing/partitioned-model-run.js";

const soak = process.env["PACIOLI_SOAK"] === "1";
if (soak) vi.setConfig({ testTimeout: 3_600_000 });
const RUNS = soak ? 10_000 : 1_000;

describe("a partitioned ledger against the reference model of one ledger", () => {
  it(`agrees on every outcome and balance over ${RUNS} sequences on 1–4 partitions`, async () => {
    const { crossAccepted, crossRefusals, keysReusedAcross } = await runPartitionedModel({
      runs: RUNS,
      stepsMax: soak ? 120 : 40,
      seed: soak ? undefined : 20_261_203,
      open: async (count, overrides) => (await openTestPartitions(count, overrides)).ledger,
    });
    // The run is only evidence if it carried money across partitions often.
    // (A quarter of the scenarios have one partition, many sequences are short and many
    // transfers are refused: 336 cross-partition transfers accepted at the fixed seed.)
    expect(crossAccepted).toBeGreaterThan(RUNS / 4);
    // Keys reused for commands of other partitions, answered as one ledger answers them.
    expect(keysReusedAcross).toBeGreaterThan(RUNS / 20); // 85 at the fixed seed
    expect([...crossRefusals].sort()).toEqual(
      expect.arrayContaining([
        "IdempotencyKeyReused",
        "InsufficientFunds",
        "TransferAlreadyExists",
        "WalletClosed",
        "WalletFrozen",
      ]),
    );
  });
});
