/**
 * What decisions about payouts and adjustments remember, and how their events fold in.
 *
 * A payout's reserve is released once and its net returned at most once; an adjustment moves
 * forward only: proposed → posted → reversed. Money lives in the balances; these records only
 * say what may still happen.
 */
import { knownEntity } from "./known-entity.js";
import type { EventOf } from "../events/ledger-event.js";
import type { Posting } from "../ledger/posting.js";
import type { RoundingMode } from "../money/index.js";
import type { Timestamp } from "../time/timestamp.js";
import type { LedgerState } from "./ledger-state.js";
import { AssertionFailure } from "../assertion.js";

export interface PayoutSchedule {
  readonly currency: string;
  readonly bankAccountId: string;
  readonly fee: bigint;
  readonly minimum: bigint;
  readonly reserveBasisPoints: number;
  readonly reserveDays: number;
  readonly rounding: RoundingMode;
}

export interface Payout {
  readonly id: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly reserve: bigint;
  readonly net: bigint;
  readonly reserveReleasesAt: Timestamp;
  reserveReleased: boolean;
  returned: boolean;
}

export type AdjustmentStatus = "proposed" | "posted" | "reversed";

export interface Adjustment {
  readonly id: string;
  readonly proposedBy: string;
  readonly reason: string;
  readonly lines: readonly Posting[];
  status: AdjustmentStatus;
}

export type PayoutEvent = EventOf<
  "PayoutScheduleSet" | "MerchantPaidOut" | "PayoutReserveReleased" | "PayoutReturned"
>;
export type AdjustmentEvent = EventOf<
  "AdjustmentProposed" | "AdjustmentPosted" | "AdjustmentReversed"
>;

export function applyPayoutEvent(state: LedgerState, event: PayoutEvent): void {
  switch (event.type) {
    case "PayoutScheduleSet":
      state.payoutSchedules.set(event.merchantId, {
        currency: event.fee.currency,
        bankAccountId: event.bankAccountId,
        fee: event.fee.amount,
        minimum: event.minimum.amount,
        reserveBasisPoints: event.reserveBasisPoints,
        reserveDays: event.reserveDays,
        rounding: event.rounding,
      });
      return;
    case "MerchantPaidOut":
      state.payouts.set(event.payoutId, {
        id: event.payoutId,
        merchantId: event.merchantId,
        currency: event.net.currency,
        reserve: event.reserve.amount,
        net: event.net.amount,
        reserveReleasesAt: event.reserveReleasesAt,
        reserveReleased: event.reserve.amount === 0n,
        returned: false,
      });
      return;
    case "PayoutReserveReleased": {
      const released = knownEntity(state.payouts, event.payoutId, "payout");
      if (released.reserveReleased || released.reserve !== event.amount.amount)
        throw new AssertionFailure(
          `payout ${released.id} has no reserve of ${event.amount.amount}`,
        );
      released.reserveReleased = true;
      return;
    }
    case "PayoutReturned": {
      const returned = knownEntity(state.payouts, event.payoutId, "payout");
      if (returned.returned || returned.net !== event.amount.amount)
        throw new AssertionFailure(`payout ${returned.id} cannot return ${event.amount.amount}`);
      returned.returned = true;
      return;
    }
  }
}

export function applyAdjustmentEvent(state: LedgerState, event: AdjustmentEvent): void {
  if (event.type === "AdjustmentProposed") {
    state.adjustments.set(event.adjustmentId, {
      id: event.adjustmentId,
      proposedBy: event.proposedBy,
      reason: event.reason,
      lines: event.lines,
      status: "proposed",
    });
    return;
  }
  const adjustment = knownEntity(state.adjustments, event.adjustmentId, "adjustment");
  // A posting carries the proposal's lines, a reversal their negation: nothing else.
  const [from, sign]: [AdjustmentStatus, bigint] =
    event.type === "AdjustmentPosted" ? ["proposed", 1n] : ["posted", -1n];
  if (adjustment.status !== from || !sameLines(event.postings, adjustment.lines, sign))
    throw new AssertionFailure(
      `${event.type} of adjustment ${adjustment.id} (${adjustment.status}) does not carry its lines`,
    );
  adjustment.status = event.type === "AdjustmentPosted" ? "posted" : "reversed";
}

function sameLines(postings: readonly Posting[], lines: readonly Posting[], sign: bigint): boolean {
  return (
    postings.length === lines.length &&
    postings.every((posting, index) => {
      const line = lines[index] as Posting;
      return (
        posting.account === line.account &&
        posting.currency === line.currency &&
        posting.amount === sign * line.amount
      );
    })
  );
}
