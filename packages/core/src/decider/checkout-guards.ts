/**
 * Lookups and checks shared by the merchant, checkout, escrow and dispute decisions, each
 * returning the entity or the rejection, so decisions read as rules in precedence order.
 */
import type { Money } from "../codec/money-codec.js";
import type { Rejection } from "../rejections/rejection.js";
import type { Dispute, Merchant, Order } from "../state/checkout-state.js";
import type { Hold, LedgerState, Wallet } from "../state/ledger-state.js";
import { findWallet, isRejection } from "./guards.js";
import { AssertionFailure } from "../assertion.js";

export function findMerchant(state: LedgerState, merchantId: string): Merchant | Rejection {
  return state.merchants.get(merchantId) ?? { _tag: "MerchantNotFound", merchantId };
}

/** The two parties of a payment relationship: the wallet first, then the merchant. */
export function findWalletAndMerchant(
  state: LedgerState,
  walletId: string,
  merchantId: string,
): { wallet: Wallet; merchant: Merchant } | Rejection {
  const wallet = findWallet(state, walletId);
  if (isRejection(wallet)) return wallet;
  const merchant = findMerchant(state, merchantId);
  return isRejection(merchant) ? merchant : { wallet, merchant };
}

/** An order with the hold that carries its authorised, captured and returned totals. */
export interface OrderAndHold {
  readonly order: Order;
  readonly hold: Hold;
}

export function findOrder(state: LedgerState, orderId: string): OrderAndHold | Rejection {
  const order = state.orders.get(orderId);
  if (order === undefined) return { _tag: "OrderNotFound", orderId };
  const hold = state.holds.get(order.holdId);
  if (hold === undefined)
    throw new AssertionFailure(`order ${orderId} without its hold ${order.holdId}`);
  return { order, hold };
}

export function findOpenDispute(state: LedgerState, disputeId: string): Dispute | Rejection {
  const dispute = state.disputes.get(disputeId);
  if (dispute === undefined) return { _tag: "DisputeNotFound", disputeId };
  if (dispute.status !== "open")
    return { _tag: "DisputeNotOpen", disputeId, status: dispute.status };
  return dispute;
}

export function checkNotDisputed(order: Order): Rejection | undefined {
  return order.openDisputeId === undefined
    ? undefined
    : { _tag: "OrderDisputed", orderId: order.id, disputeId: order.openDisputeId };
}

export function checkOrderCurrency(order: Order, money: Money): Rejection | undefined {
  return money.currency === order.currency
    ? undefined
    : { _tag: "CurrencyMismatch", expected: order.currency, actual: money.currency };
}

export function merchantOf(state: LedgerState, order: Order): Merchant {
  const merchant = state.merchants.get(order.merchantId);
  if (merchant === undefined)
    throw new AssertionFailure(`order ${order.id} for unknown merchant ${order.merchantId}`);
  return merchant;
}
