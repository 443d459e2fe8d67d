/**
 * The audit on forged payout and adjustment events whose hash chain is intact and whose own
 * fields agree with their postings: only the fold (evolve's assertions, which know the payout
 * and the proposal) can catch them, at the forged event's position.
 */
import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "@pacioli/core";
import { deposit, openWallet } from "@pacioli/core/testing/requests";
import { auditStream } from "./audit-stream.js";
import { chained, recordedStory, STREAM } from "./testing/forged-streams.js";
import { storeAuditSource } from "./audit-source.js";

const usd = (amount: string) => ({ currency: "USD", amount });

/** m1 earns 48.25 net of fees, is paid out (10% reserve, released at once); w1 gets an adjustment. */
function recordedPayoutStory(): Promise<RecordedEvent[]> {
  const commands: Record<string, unknown>[] = [
    {
      type: "RegisterMerchant",
      merchantId: "m1",
      settlementCurrency: "USD",
      allowNegativeBalance: false,
    },
    {
      type: "Checkout",
      orderId: "o1",
      holdId: "h1",
      walletId: "w1",
      merchantId: "m1",
      amount: usd("50.00"),
      expiresAt: "2026-12-25T10:00:00Z",
      initiatedBy: "buyer",
    },
    { type: "CaptureHold", holdId: "h1", amount: usd("50.00"), final: true },
    { type: "ConfirmReceipt", orderId: "o1" },
    {
      type: "SetPayoutSchedule",
      merchantId: "m1",
      bankAccountId: "bank-6789",
      fee: usd("0.25"),
      minimum: usd("0.00"),
      reserveBasisPoints: 1000,
      reserveDays: 0,
      rounding: "half-up",
    },
    { type: "PayOutMerchant", payoutId: "p1", merchantId: "m1" },
    { type: "ReleasePayoutReserve", payoutId: "p1" },
    {
      type: "ProposeAdjustment",
      adjustmentId: "a1",
      proposedBy: "alice",
      reason: "goodwill",
      postings: [
        { account: "expenses:goodwill", currency: "USD", amount: "5.00" },
        { account: "liabilities:wallets:w1:available", currency: "USD", amount: "-5.00" },
      ],
    },
    { type: "ApproveAdjustment", adjustmentId: "a1", approvedBy: "bob" },
  ];
  const requests = [
    openWallet("w1"),
    deposit("w1", "100.00"),
    ...commands.map((command, index) => ({ idempotencyKey: `k-${index}`, command })),
  ];
  return recordedStory(requests);
}

/** Multiplies every amount of the event at `index` (fields and postings alike) by ten. */
function inflated(events: readonly RecordedEvent[], index: number): RecordedEvent[] {
  const recorded = events[index] as RecordedEvent;
  const times10 = (value: unknown): unknown =>
    typeof value === "bigint"
      ? value * 10n
      : Array.isArray(value)
        ? value.map(times10)
        : typeof value === "object" && value !== null
          ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, times10(item)]))
          : value;
  const forged = { ...recorded, event: times10(recorded.event) } as RecordedEvent;
  return [...events.slice(0, index), forged, ...events.slice(index + 1)];
}

describe("the audit on payouts and adjustments", () => {
  it("passes the honest story", async () => {
    const events = await recordedPayoutStory();
    expect(events.map((recorded) => recorded.event.type).slice(-4)).toEqual([
      "MerchantPaidOut",
      "PayoutReserveReleased",
      "AdjustmentProposed",
      "AdjustmentPosted",
    ]);
    const report = await auditStream(storeAuditSource(await chained(events), STREAM));
    expect(report.violations).toEqual([]);
  });

  it("finds a reserve release larger than its payout's reserve, at its position", async () => {
    const events = await recordedPayoutStory();
    const index = events.findIndex((recorded) => recorded.event.type === "PayoutReserveReleased");
    const report = await auditStream(
      storeAuditSource(await chained(inflated(events, index)), STREAM),
    );
    const found = report.violations.map((violation) => `${violation.check}@${violation.position}`);
    expect(found).toContain(`fold@${index + 1}`);
    expect(found.some((check) => check.startsWith("fields"))).toBe(false); // consistent with itself
  });

  it("finds a posted adjustment whose lines are not its proposal's, at its position", async () => {
    const events = await recordedPayoutStory();
    const index = events.findIndex((recorded) => recorded.event.type === "AdjustmentPosted");
    const report = await auditStream(
      storeAuditSource(await chained(inflated(events, index)), STREAM),
    );
    const found = report.violations.map((violation) => `${violation.check}@${violation.position}`);
    expect(found).toContain(`fold@${index + 1}`);
  });
});
