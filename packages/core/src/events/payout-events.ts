/**
 * Facts about merchant payouts. A payout pays the merchant's whole balance in the schedule's
 * currency: a rolling reserve (basis points of the gross) moves to the merchant's reserve
 * account until `reserveReleasesAt`, the fixed fee to `income:fees:payout`, and the net to
 * `assets:clearing:bank`, where the bank's settlement (reconciliation) or return clears it.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason, Timestamp } from "../codec/primitives.js";
import { payoutScheduleTerms } from "../commands/payout-commands.js";

export const payoutEventCodecs = (c: CodecContext) => ({
  PayoutScheduleSet: t.type({
    type: t.literal("PayoutScheduleSet"),
    merchantId: EntityId,
    ...payoutScheduleTerms(c),
    postings: c.postings,
  }),
  /** gross = reserve + fee + net; net is what leaves for the bank. */
  MerchantPaidOut: t.type({
    type: t.literal("MerchantPaidOut"),
    payoutId: EntityId,
    merchantId: EntityId,
    bankAccountId: EntityId,
    gross: c.money,
    reserve: c.moneyOrZero,
    fee: c.moneyOrZero,
    net: c.money,
    reserveReleasesAt: Timestamp,
    postings: c.postings,
  }),
  /** The payout's reserve back to the merchant's balance (only a non-zero reserve is released). */
  PayoutReserveReleased: t.type({
    type: t.literal("PayoutReserveReleased"),
    payoutId: EntityId,
    merchantId: EntityId,
    amount: c.money,
    postings: c.postings,
  }),
  /** The bank sent the net back: it returns to the merchant's balance; the fee is not refunded. */
  PayoutReturned: t.type({
    type: t.literal("PayoutReturned"),
    payoutId: EntityId,
    merchantId: EntityId,
    amount: c.money,
    reason: Reason,
    postings: c.postings,
  }),
});
