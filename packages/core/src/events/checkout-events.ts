/**
 * Checkout, escrow, disputes and order refunds (buyer protection).
 *
 * A checkout places a hold that belongs to an order; `HoldCaptured` on that hold credits the
 * order's escrow account instead of the merchant. Escrow leaves by `EscrowReleased` (to the
 * merchant, less fees) or `OrderRefunded` (to the buyer, from escrow first, then from the
 * merchant). Each event embeds the postings it caused and the split it decided (fee lines,
 * escrow vs merchant shares), so replay and projections never recompute money.
 */
import * as t from "io-ts";
import { DisputeOutcome, EscrowReleaseTrigger, FeeRefundPolicy } from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { checkoutOrder } from "../commands/checkout-commands.js";
import { EntityId, Reason, Timestamp } from "../codec/primitives.js";
import { checkoutConversionCodec, checkoutPromotionCodec } from "./promotion-events.js";

export const FeeKind = t.union([t.literal("percentage"), t.literal("fixed")]);
export type FeeKind = t.TypeOf<typeof FeeKind>;

export const checkoutEventCodecs = (c: CodecContext) => ({
  CheckoutStarted: t.intersection([
    t.type({ type: t.literal("CheckoutStarted"), ...checkoutOrder(c), postings: c.postings }),
    t.partial({ agreementId: EntityId }),
    /** How the price was paid when not plain wallet money (see `promotion-events.ts`). */
    t.partial({ promotion: checkoutPromotionCodec(c), conversion: checkoutConversionCodec(c) }),
  ]),
  /** The protection window is decided outside (e.g. 10 days after shipment) and passed in. */
  OrderShipped: t.type({
    type: t.literal("OrderShipped"),
    orderId: EntityId,
    protectionEndsAt: Timestamp,
    postings: c.postings,
  }),
  EscrowReleased: t.type({
    type: t.literal("EscrowReleased"),
    orderId: EntityId,
    merchantId: EntityId,
    trigger: EscrowReleaseTrigger,
    gross: c.money,
    fees: t.array(t.type({ kind: FeeKind, amount: c.money })),
    net: c.moneyOrZero,
    /** The schedule's refund rule at release time, so a later refund honours what was agreed. */
    feeRefund: FeeRefundPolicy,
    postings: c.postings,
  }),
  DisputeOpened: t.type({
    type: t.literal("DisputeOpened"),
    disputeId: EntityId,
    orderId: EntityId,
    reason: Reason,
    postings: c.postings,
  }),
  DisputeResolved: t.type({
    type: t.literal("DisputeResolved"),
    disputeId: EntityId,
    orderId: EntityId,
    outcome: DisputeOutcome,
    postings: c.postings,
  }),
  OrderRefunded: t.type({
    type: t.literal("OrderRefunded"),
    refundId: EntityId,
    orderId: EntityId,
    amount: c.money,
    fromEscrow: c.moneyOrZero,
    fromMerchant: c.moneyOrZero,
    /** Fee given back to the merchant with the refund (zero when the schedule says none). */
    feeReturned: c.moneyOrZero,
    postings: c.postings,
  }),
});
