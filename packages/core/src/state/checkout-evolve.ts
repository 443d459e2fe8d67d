/**
 * Folding merchant, checkout, escrow and dispute events into the state (called from
 * `evolve`). Money moved through the postings already; here entity fields follow the
 * event's own fields, and the order's invariants are asserted after every money event:
 * escrow never below zero and equal to its account's balance, refunded never above captured.
 */
import { knownEntity } from "./known-entity.js";
import type { EventOf } from "../events/ledger-event.js";
import { escrowAccount, merchantAccount } from "../ledger/account.js";
import { balanceOf } from "../ledger/balances.js";
import { utcDay, type Timestamp } from "../time/timestamp.js";
import {
  escrowBalanceOf,
  orderRefunded,
  type Agreement,
  type Merchant,
  type Order,
} from "./checkout-state.js";
import { holdOpened, newHold, type LedgerState } from "./ledger-state.js";
import { AssertionFailure } from "../assertion.js";

export type CheckoutEvent = EventOf<
  | "MerchantRegistered"
  | "MerchantNegativeBalanceSet"
  | "FeeScheduleSet"
  | "MerchantAuthorized"
  | "AuthorizationRevoked"
  | "CheckoutStarted"
  | "OrderShipped"
  | "EscrowReleased"
  | "DisputeOpened"
  | "DisputeResolved"
  | "OrderRefunded"
>;

export function applyCheckoutFact(state: LedgerState, event: CheckoutEvent, at: Timestamp): void {
  switch (event.type) {
    case "MerchantRegistered":
      state.merchants.set(event.merchantId, newMerchant(event));
      return;
    case "MerchantNegativeBalanceSet":
      knownEntity(state.merchants, event.merchantId, "merchant").allowNegativeBalance =
        event.allowed;
      return;
    case "FeeScheduleSet": {
      const { basisPoints, fixed, rounding, refundFee } = event;
      knownEntity(state.merchants, event.merchantId, "merchant").feeSchedules.set(fixed.currency, {
        currency: fixed.currency,
        basisPoints,
        fixed: fixed.amount,
        rounding,
        refundFee,
      });
      return;
    }
    case "MerchantAuthorized":
      state.agreements.set(event.agreementId, newAgreement(event));
      return;
    case "AuthorizationRevoked":
      knownEntity(state.agreements, event.agreementId, "agreement").revoked = true;
      return;
    case "CheckoutStarted":
      startCheckout(state, event, at);
      return;
    case "OrderShipped":
      knownEntity(state.orders, event.orderId, "order").protectionEndsAt = event.protectionEndsAt;
      return;
    case "EscrowReleased":
      releaseEscrow(state, event);
      return;
    case "DisputeOpened":
      state.disputes.set(event.disputeId, {
        id: event.disputeId,
        orderId: event.orderId,
        openedAt: at,
        status: "open",
      });
      knownEntity(state.orders, event.orderId, "order").openDisputeId = event.disputeId;
      return;
    case "DisputeResolved":
      resolveDispute(state, event);
      return;
    case "OrderRefunded":
      refundOrder(state, event);
      return;
  }
}

function newMerchant(event: EventOf<"MerchantRegistered">): Merchant {
  return {
    id: event.merchantId,
    settlementCurrency: event.settlementCurrency,
    account: merchantAccount(event.merchantId),
    allowNegativeBalance: event.allowNegativeBalance,
    feeSchedules: new Map(),
  };
}

function newAgreement(event: EventOf<"MerchantAuthorized">): Agreement {
  return {
    id: event.agreementId,
    walletId: event.walletId,
    merchantId: event.merchantId,
    perPaymentCap: event.perPaymentCap,
    perDayCap: event.perDayCap,
    revoked: false,
    usageDay: 0,
    usedOnDay: 0n,
  };
}

/** The order and its hold, born together; the agreement's daily usage grows by the amount. */
function startCheckout(state: LedgerState, event: EventOf<"CheckoutStarted">, at: Timestamp): void {
  state.holds.set(event.holdId, newHold(event, event.orderId));
  holdOpened(state, event.walletId);
  state.orders.set(event.orderId, newOrder(event));
  if (event.agreementId !== undefined) {
    const used = knownEntity(state.agreements, event.agreementId, "agreement");
    const day = utcDay(at);
    if (used.usageDay !== day) {
      used.usageDay = day;
      used.usedOnDay = 0n;
    }
    used.usedOnDay += event.amount.amount;
  }
}

function newOrder(event: EventOf<"CheckoutStarted">): Order {
  return {
    id: event.orderId,
    walletId: event.walletId,
    merchantId: event.merchantId,
    holdId: event.holdId,
    currency: event.amount.currency,
    initiatedBy: event.initiatedBy,
    agreementId: event.agreementId,
    escrowAccount: escrowAccount(event.orderId),
    protectionEndsAt: undefined,
    releasedGross: 0n,
    releaseCount: 0,
    refundedFromEscrow: 0n,
    refundedFromMerchant: 0n,
    feeCharged: 0n,
    feeReturned: 0n,
    feeRefund: "none",
    openDisputeId: undefined,
    receiptConfirmed: false,
    refundIds: new Set(),
  };
}

function releaseEscrow(state: LedgerState, event: EventOf<"EscrowReleased">): void {
  const released = knownEntity(state.orders, event.orderId, "order");
  released.releasedGross += event.gross.amount;
  released.releaseCount += 1;
  released.feeCharged += event.fees.reduce((sum, line) => sum + line.amount.amount, 0n);
  released.feeRefund = event.feeRefund;
  if (event.trigger === "receipt-confirmed") released.receiptConfirmed = true;
  assertOrderInvariants(state, released);
}

function resolveDispute(state: LedgerState, event: EventOf<"DisputeResolved">): void {
  const dispute = state.disputes.get(event.disputeId);
  if (dispute === undefined)
    throw new AssertionFailure(`resolving unknown dispute ${event.disputeId}`);
  dispute.status = event.outcome === "buyer" ? "resolved-for-buyer" : "resolved-for-merchant";
  knownEntity(state.orders, event.orderId, "order").openDisputeId = undefined;
}

function refundOrder(state: LedgerState, event: EventOf<"OrderRefunded">): void {
  const refunded = knownEntity(state.orders, event.orderId, "order");
  refunded.refundedFromEscrow += event.fromEscrow.amount;
  refunded.refundedFromMerchant += event.fromMerchant.amount;
  refunded.feeReturned += event.feeReturned.amount;
  refunded.refundIds.add(event.refundId);
  assertOrderInvariants(state, refunded);
}

/** Escrow ≥ 0 and equal to its account; refunded ≤ captured; fee returned ≤ fee charged. */
export function assertOrderInvariants(state: LedgerState, checked: Order): void {
  const hold = state.holds.get(checked.holdId);
  if (hold === undefined) throw new AssertionFailure(`order ${checked.id} without its hold`);
  const escrow = escrowBalanceOf(checked, hold);
  const onBooks = -balanceOf(state.balances, checked.escrowAccount, checked.currency);
  if (escrow < 0n || escrow !== onBooks)
    throw new AssertionFailure(`order ${checked.id} escrow ${escrow}, account ${onBooks}`);
  if (orderRefunded(checked) > hold.captured)
    throw new AssertionFailure(`order ${checked.id} refunded more than captured`);
  if (checked.feeReturned > checked.feeCharged)
    throw new AssertionFailure(`order ${checked.id} returned more fee than charged`);
}
