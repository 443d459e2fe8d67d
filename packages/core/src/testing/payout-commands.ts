/**
 * Command builders for payout and adjustment stories: merchant m1 of `shop()` earns 48.25 USD
 * net from a 50.00 order (2.9% + 0.30), and is paid out under a schedule of a 0.25 fee, a
 * 10.00 minimum and a 10% reserve held 30 days (half-up).
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { Posting } from "../ledger/posting.js";
import { confirm, escrowed } from "./checkout-commands.js";
import { usd } from "./money.js";

export const payoutSchedule = (
  extra: Partial<{ reserveBasisPoints: number; reserveDays: number; minimum: string }> = {},
): LedgerCommand => ({
  type: "SetPayoutSchedule",
  merchantId: "m1",
  bankAccountId: "bank-6789",
  fee: usd("0.25"),
  minimum: usd(extra.minimum ?? "10.00"),
  reserveBasisPoints: extra.reserveBasisPoints ?? 1000,
  reserveDays: extra.reserveDays ?? 30,
  rounding: "half-up",
});

/** The shop, one 50.00 order captured and received: m1's balance is 48.25 USD. */
export const earnedShop = (allowNegativeBalance = false): LedgerCommand[] => [
  ...escrowed("proportional", allowNegativeBalance),
  confirm("o1"),
  payoutSchedule(),
];

export const payOut = (payoutId = "p1"): LedgerCommand => ({
  type: "PayOutMerchant",
  payoutId,
  merchantId: "m1",
});
export const releaseReserve = (payoutId = "p1"): LedgerCommand => ({
  type: "ReleasePayoutReserve",
  payoutId,
});
export const returnPayout = (payoutId = "p1"): LedgerCommand => ({
  type: "ReturnPayout",
  payoutId,
  reason: "account closed",
});

export const line = (account: string, amount: string): Posting => ({
  account,
  currency: "USD",
  amount: usd(amount).amount,
});
export const propose = (
  postings: Posting[],
  adjustmentId = "a1",
  proposedBy = "alice",
): LedgerCommand => ({
  type: "ProposeAdjustment",
  adjustmentId,
  proposedBy,
  reason: "goodwill credit for a late delivery",
  postings,
});
export const approve = (approvedBy = "bob", adjustmentId = "a1"): LedgerCommand => ({
  type: "ApproveAdjustment",
  adjustmentId,
  approvedBy,
});
export const reverse = (adjustmentId = "a1"): LedgerCommand => ({
  type: "ReverseAdjustment",
  adjustmentId,
  reversedBy: "carol",
  reason: "credited the wrong wallet",
});
