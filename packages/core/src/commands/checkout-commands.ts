/**
 * Requests of a checkout with buyer protection: pay (a hold for an order), ship (fixes the
 * protection window), confirm receipt, release escrow when the window ends, dispute,
 * resolve, refund. Captures use the ordinary `CaptureHold` on the order's hold.
 */
import * as t from "io-ts";
import { PaymentInitiator } from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason, Timestamp } from "../codec/primitives.js";

/** The order a checkout opens, as `Checkout` asks for it and `CheckoutStarted` records it. */
export const checkoutOrder = (c: CodecContext) => ({
  orderId: EntityId,
  holdId: EntityId,
  walletId: EntityId,
  merchantId: EntityId,
  amount: c.money,
  expiresAt: Timestamp,
  initiatedBy: PaymentInitiator,
});

export const checkoutCommandCodecs = (c: CodecContext) => ({
  Checkout: t.intersection([
    t.type({ type: t.literal("Checkout"), ...checkoutOrder(c) }),
    /** Required when the merchant initiates: the agreement the wallet gave it. */
    t.partial({ agreementId: EntityId }),
    /** Pay from another currency at this FX quote; apply this promotion; state strong authentication. */
    t.partial({ quoteId: EntityId, promotionId: EntityId, strongAuthentication: t.boolean }),
  ]),
  ShipOrder: t.type({
    type: t.literal("ShipOrder"),
    orderId: EntityId,
    protectionEndsAt: Timestamp,
  }),
  ConfirmReceipt: t.type({ type: t.literal("ConfirmReceipt"), orderId: EntityId }),
  /** Sent by the engine's clock (see `dueCommands`) once the protection window has passed. */
  ReleaseEscrow: t.type({ type: t.literal("ReleaseEscrow"), orderId: EntityId }),
  OpenDispute: t.type({
    type: t.literal("OpenDispute"),
    disputeId: EntityId,
    orderId: EntityId,
    reason: Reason,
  }),
  ResolveDisputeForBuyer: t.type({
    type: t.literal("ResolveDisputeForBuyer"),
    disputeId: EntityId,
    refundId: EntityId,
    amount: c.money,
  }),
  ResolveDisputeForMerchant: t.type({
    type: t.literal("ResolveDisputeForMerchant"),
    disputeId: EntityId,
  }),
  RefundOrder: t.intersection([
    t.type({
      type: t.literal("RefundOrder"),
      refundId: EntityId,
      orderId: EntityId,
      amount: c.money,
    }),
    /** For an order paid from another currency: convert the refund back at this quote, not the original terms. */
    t.partial({ quoteId: EntityId }),
  ]),
});
