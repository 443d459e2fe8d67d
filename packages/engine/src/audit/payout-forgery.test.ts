/**
 * The audit on forged payout and adjustment events whose hash chain is intact and whose own
 * fields agree with their postings: only the fold (evolve's assertions, which know the payout
 * and the proposal) can catch them, at the forged event's position.
 */
import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "@pacioli/core";
import { deposit, merchantSale, openWallet, payoutSchedule } from "@pacioli/core/testing/requests";
import { auditStream } from "./audit-stream.js";
import { chained, recordedStory, STREAM } from "./testing/forged-streams.js";
import { storeAuditSource } from "./audit-source.js";

/** m1 earns 48.25 net of fees, is paid out (10% reserve, released at once); w1 gets an adjustment. */
function recordedPayoutStory(): Promise<RecordedEvent[]> {
  const operator = (idempotencyKey: string, command: Record<string, unknown>) => ({
    idempotencyKey,
    command,
  });
  return recordedStory([
    openWallet("w1"),
    deposit("w1", "100.00"),
    ...merchantSale(false, { holdId: "h1", expiresAt: "2026-12-25T10:00:00Z" }),
    operator("receipt", { type: "ConfirmReceipt", orderId: "o1" }),
    payoutSchedule("m1", { minimum: "0.00", reserveDays: 0 }),
    operator("payout", { type: "PayOutMerchant", payoutId: "p1", merchantId: "m1" }),
    operator("reserve", { type: "ReleasePayoutReserve", payoutId: "p1" }),
    operator("propose", {
      type: "ProposeAdjustment",
      adjustmentId: "a1",
      proposedBy: "alice",
      reason: "goodwill",
      postings: [
        { account: "expenses:goodwill", currency: "USD", amount: "5.00" },
        { account: "liabilities:wallets:w1:available", currency: "USD", amount: "-5.00" },
      ],
    }),
    operator("approve", { type: "ApproveAdjustment", adjustmentId: "a1", approvedBy: "bob" }),
  ]);
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

/** The audit's findings ("check@position") on the story with its first `type` event inflated. */
async function findingsWithInflated(type: string): Promise<{ position: number; found: string[] }> {
  const events = await recordedPayoutStory();
  const index = events.findIndex((recorded) => recorded.event.type === type);
  const report = await auditStream(
    storeAuditSource(await chained(inflated(events, index)), STREAM),
  );
  return {
    position: index + 1,
    found: report.violations.map((violation) => `${violation.check}@${violation.position}`),
  };
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
    const { position, found } = await findingsWithInflated("PayoutReserveReleased");
    expect(found).toContain(`fold@${position}`);
    expect(found.some((check) => check.startsWith("fields"))).toBe(false); // consistent with itself
  });

  it("finds a posted adjustment whose lines are not its proposal's, at its position", async () => {
    const { position, found } = await findingsWithInflated("AdjustmentPosted");
    expect(found).toContain(`fold@${position}`);
  });
});
