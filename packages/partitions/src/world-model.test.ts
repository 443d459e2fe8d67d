/**
 * The whole wallet world on a partitioned ledger (testing/world-model-run.ts): every command
 * type of core's model run, against a plain engine and the reference model of one ledger.
 * With one partition every command is routed to it (issue 14: "the same command types").
 */
import { iso4217, ledgerCommandTypes } from "@pacioli/core";
import { describe, expect, it, vi } from "vitest";
import { runWorldModel } from "./testing/world-model-run.js";

const soak = process.env["PACIOLI_SOAK"] === "1";
vi.setConfig({ testTimeout: soak ? 3_600_000 : 300_000 });

describe("a partitioned ledger over the whole wallet world", () => {
  const runs = soak ? 2_000 : 300;
  it(`with one partition answers every command type as one engine and the model, over ${runs} sequences`, async () => {
    const tally = await runWorldModel({
      runs,
      stepsMax: soak ? 200 : 80,
      seed: soak ? undefined : 20_261_203,
      partitionsMin: 1,
      partitionsMax: 1,
    });
    console.log(
      `one partition: ${tally.sequences} sequences, ${tally.steps} steps, ${tally.invalid} invalid, accepted by type ${JSON.stringify(Object.fromEntries([...tally.byType].map(([type, row]) => [type, row.accepted])))}`,
    );
    // Every command type was sent, and carried out at least once, not only refused; but the
    // bank-account chain (link, send and confirm micro-deposits, then withdraw to it), which
    // random sequences seldom complete (0-3 times in 300 at the fixed seed; funding-decisions
    // tests in core pin it).
    const seldom = ["SendMicroDeposits", "ConfirmMicroDeposits", "WithdrawToFundingSource"];
    for (const type of ledgerCommandTypes(iso4217)) {
      const row = tally.byType.get(type);
      expect(row, `${type} never sent`).toBeDefined();
      if (!seldom.includes(type))
        expect(row?.accepted, `${type} never accepted`).toBeGreaterThan(0);
    }
  });

  const severalRuns = soak ? 2_000 : 300;
  it(`on 1–4 partitions carries out every command whose parties share a partition as one ledger, over ${severalRuns} sequences`, async () => {
    const tally = await runWorldModel({
      runs: severalRuns,
      stepsMax: soak ? 200 : 80,
      seed: soak ? undefined : 20_261_204,
      partitionsMin: 1,
      partitionsMax: 4,
    });
    const rows = Object.fromEntries(
      [...tally.byType].map(([type, row]) => [
        type,
        `${row.accepted}/${row.rejected}/${row.spans}/${row.unsupported}`,
      ]),
    );
    console.log(
      `1-4 partitions: ${tally.sequences} sequences, ${tally.steps} steps; accepted/rejected/spans/unsupported ${JSON.stringify(rows)}; accepted on several partitions ${JSON.stringify(Object.fromEntries(tally.acceptedOnSeveral))}`,
    );
    // Evidence only if payments, merchants and their follow-ups were carried out on ledgers
    // of several partitions (at the fixed seed: PlaceHold 98, CaptureHold 72, Checkout 44,
    // ShipOrder 23, PayOutMerchant 30, RefundCapture 14, ReleaseEscrow 4, RefundOrder 4, …).
    for (const type of [
      "PlaceHold",
      "IncreaseHold",
      "CaptureHold",
      "ReleaseHold",
      "RefundCapture",
      "RegisterMerchant",
      "AuthorizeMerchant",
      "Checkout",
      "ShipOrder",
      "ReleaseEscrow",
      "RefundOrder",
      "LinkCard",
      "VerifyCard",
      "CreatePromotion",
      "PayOutMerchant",
      "ReleasePayoutReserve",
      "ProposeAdjustment",
      "ApproveAdjustment",
      "RecordSettlement",
    ] as const)
      expect(
        tally.acceptedOnSeveral.get(type) ?? 0,
        `${type} on several partitions`,
      ).toBeGreaterThan(0);
    // And commands whose parties live apart were refused by name, not decided in part.
    for (const type of ["PlaceHold", "Checkout", "AuthorizeMerchant", "ProposeAdjustment"] as const)
      expect(tally.byType.get(type)?.spans ?? 0, `${type} spanning partitions`).toBeGreaterThan(0);
  });
});
