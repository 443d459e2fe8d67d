/**
 * Requests about paying merchants out to their bank account: the schedule (fee, minimum,
 * rolling reserve), a payout of the merchant's balance, the release of a payout's reserve once
 * its hold period has passed, and the bank's return of a payout.
 */
import * as t from "io-ts";
import { BasisPoints, RoundingModeCodec } from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason } from "../codec/primitives.js";

/** Longest a rolling reserve may be held: a card network's longest dispute window, roughly. */
export const RESERVE_DAYS_MAX = 365;

/** Whole days from 0 to RESERVE_DAYS_MAX, carried as a JSON number. */
export const ReserveDays = new t.Type<number, number, unknown>(
  "ReserveDays",
  (u): u is number =>
    typeof u === "number" && Number.isSafeInteger(u) && u >= 0 && u <= RESERVE_DAYS_MAX,
  (u, c) =>
    typeof u === "number" && Number.isSafeInteger(u) && u >= 0 && u <= RESERVE_DAYS_MAX
      ? t.success(u)
      : t.failure(u, c, `a whole number of days from 0 to ${RESERVE_DAYS_MAX}`),
  t.identity,
);

/** A merchant's payout schedule, as `SetPayoutSchedule` sets it and `PayoutScheduleSet` records it. */
export const payoutScheduleTerms = (c: CodecContext) => ({
  /** The merchant's bank account at the bank, as the bank names it (masked). */
  bankAccountId: EntityId,
  /** Fixed fee per payout; its currency is the schedule's (the payouts') currency. */
  fee: c.moneyOrZero,
  /** A payout whose net would be below this is refused. */
  minimum: c.moneyOrZero,
  reserveBasisPoints: BasisPoints,
  reserveDays: ReserveDays,
  rounding: RoundingModeCodec,
});

export const payoutCommandCodecs = (c: CodecContext) => ({
  SetPayoutSchedule: t.type({
    type: t.literal("SetPayoutSchedule"),
    merchantId: EntityId,
    ...payoutScheduleTerms(c),
  }),
  PayOutMerchant: t.type({
    type: t.literal("PayOutMerchant"),
    payoutId: EntityId,
    merchantId: EntityId,
  }),
  ReleasePayoutReserve: t.type({ type: t.literal("ReleasePayoutReserve"), payoutId: EntityId }),
  ReturnPayout: t.type({ type: t.literal("ReturnPayout"), payoutId: EntityId, reason: Reason }),
});
