/**
 * Disputes (buyer protection). A buyer may open one on an order that has captured money not
 * yet refunded (in escrow or already released), until the protection window ends; before
 * shipment the window has not started, so a dispute is always possible then. An open
 * dispute stops every release of escrow. Resolution:
 * - for the buyer: a full or partial refund (from escrow first, then from the merchant,
 *   exactly as `RefundOrder`); what stays in escrow is released later as usual;
 * - for the merchant: whatever is in escrow is released to the merchant now.
 * Opening a dispute moves no money: released funds stay in the merchant's balance, and
 * what the platform may claw back is decided at resolution.
 */
import type { LedgerEvent } from "../events/ledger-event.js";
import { escrowBalanceOf, orderRefundable } from "../state/checkout-state.js";
import { checkNotDisputed, findOpenDispute, findOrder } from "./checkout-guards.js";
import { accepted, fact, rejected, type Decide } from "./decision.js";
import { escrowReleased, orderRefunded } from "./escrow-decisions.js";
import { isRejection } from "./guards.js";

export const openDispute: Decide<"OpenDispute"> = (state, command, at) => {
  if (state.disputes.has(command.disputeId))
    return rejected({ _tag: "DisputeAlreadyExists", disputeId: command.disputeId });
  const found = findOrder(state, command.orderId);
  if (isRejection(found)) return rejected(found);
  const { order, hold } = found;
  const disputed = checkNotDisputed(order);
  if (disputed !== undefined) return rejected(disputed);
  // Confirming receipt is the buyer's word that the order arrived as described: protection ends.
  if (order.receiptConfirmed)
    return rejected({ _tag: "ReceiptAlreadyConfirmed", orderId: order.id });
  if (order.protectionEndsAt !== undefined && at >= order.protectionEndsAt) {
    return rejected({
      _tag: "DisputeWindowClosed",
      orderId: order.id,
      protectionEndsAt: order.protectionEndsAt,
      at,
    });
  }
  if (hold.captured === 0n) return rejected({ _tag: "OrderNotCaptured", orderId: order.id });
  if (orderRefundable(order, hold) === 0n)
    return rejected({ _tag: "OrderFullyRefunded", orderId: order.id });
  return fact({
    type: "DisputeOpened",
    disputeId: command.disputeId,
    orderId: order.id,
    reason: command.reason,
  });
};

export const resolveDisputeForBuyer: Decide<"ResolveDisputeForBuyer"> = (state, command) => {
  const dispute = findOpenDispute(state, command.disputeId);
  if (isRejection(dispute)) return rejected(dispute);
  const found = findOrder(state, dispute.orderId);
  if (isRejection(found)) return rejected(found);
  const refund = orderRefunded(state, found, command.refundId, command.amount);
  if (isRejection(refund)) return rejected(refund);
  return accepted(
    {
      type: "DisputeResolved",
      disputeId: dispute.id,
      orderId: dispute.orderId,
      outcome: "buyer",
      postings: [],
    },
    refund,
  );
};

export const resolveDisputeForMerchant: Decide<"ResolveDisputeForMerchant"> = (state, command) => {
  const dispute = findOpenDispute(state, command.disputeId);
  if (isRejection(dispute)) return rejected(dispute);
  const found = findOrder(state, dispute.orderId);
  if (isRejection(found)) return rejected(found);
  const events: LedgerEvent[] = [
    {
      type: "DisputeResolved",
      disputeId: dispute.id,
      orderId: dispute.orderId,
      outcome: "merchant",
      postings: [],
    },
  ];
  // The release is decided on the state before the resolution; the resolution moves no money.
  if (escrowBalanceOf(found.order, found.hold) > 0n)
    events.push(escrowReleased(state, found, "dispute-resolved"));
  return accepted(...events);
};
