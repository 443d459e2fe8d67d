/**
 * Checkout fees: what a merchant pays the platform when escrow is released to it, and what
 * a refund gives back.
 *
 * - On release: `basisPoints` of the released gross, rounded with the schedule's own mode,
 *   plus the fixed part once per order (on its first release, so split releases of one order
 *   pay it once). The fee never exceeds the gross: a net below zero would make the merchant
 *   pay to be paid.
 * - On refund from the merchant's balance, with a "proportional" schedule: the fee share of
 *   the refunded part of what was released, computed on cumulative totals and rounded
 *   "down" (the odd unit stays with the platform, as fees round in its favour), so the fee
 *   returned never exceeds the fee charged and a full refund returns exactly all of it.
 */
import { feeRevenueAccount, type Account } from "../ledger/account.js";
import { basisPointsOf, proportionOf } from "../money/index.js";
import type { FeeSchedule, Order } from "../state/checkout-state.js";
import type { FeeKind } from "../events/checkout-events.js";

/** Where checkout fees are booked: `income:fees:checkout`. */
export const CHECKOUT_FEE_REVENUE: Account = feeRevenueAccount("checkout");

export interface FeeLine {
  readonly kind: FeeKind;
  readonly amount: bigint;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

export function releaseFeeLines(
  schedule: FeeSchedule | undefined,
  gross: bigint,
  firstRelease: boolean,
): FeeLine[] {
  if (schedule === undefined) return [];
  const percentage = min(
    basisPointsOf(gross, BigInt(schedule.basisPoints), schedule.rounding),
    gross,
  );
  const fixed = firstRelease ? min(schedule.fixed, gross - percentage) : 0n;
  const lines: FeeLine[] = [];
  if (percentage > 0n) lines.push({ kind: "percentage", amount: percentage });
  if (fixed > 0n) lines.push({ kind: "fixed", amount: fixed });
  return lines;
}

export const totalFee = (lines: readonly FeeLine[]): bigint =>
  lines.reduce((sum, line) => sum + line.amount, 0n);

/** Fee to give back when `fromMerchant` more of the released money is refunded. */
export function feeToReturn(order: Order, fromMerchant: bigint): bigint {
  if (order.feeRefund === "none" || fromMerchant === 0n || order.feeCharged === 0n) return 0n;
  const refundedAfter = order.refundedFromMerchant + fromMerchant;
  const dueInTotal = min(
    proportionOf(order.feeCharged, refundedAfter, order.releasedGross, "down"),
    order.feeCharged,
  );
  const due = dueInTotal - order.feeReturned;
  return due > 0n ? due : 0n;
}
