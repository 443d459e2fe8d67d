/**
 * Escrow: captured money waits in `liabilities:escrow:{order}` until the buyer confirms
 * receipt, the protection window passes (`ReleaseEscrow`, sent by the engine's clock from
 * `dueCommands`), or a dispute is resolved for the merchant. A release pays the whole
 * escrow balance to the merchant and charges the checkout fee in the same entry, so the
 * merchant's balance transaction reads gross, fee lines and net. An open dispute stops
 * every release except its own resolution.
 *
 * Refunds of an order come from escrow first, then from the merchant's balance (after
 * release), which may go below zero only if the merchant's settings allow it. Refunded never
 * exceeds captured, whatever mix of refunds and dispute resolutions got there.
 */
import type { Money } from "../codec/money-codec.js";
import type { EscrowReleaseTrigger } from "../codec/checkout-codecs.js";
import type { EventOf } from "../events/ledger-event.js";
import { balanceOf } from "../ledger/balances.js";
import { move, type Posting } from "../ledger/posting.js";
import type { Rejection } from "../rejections/rejection.js";
import { escrowBalanceOf, orderRefundable, type Order } from "../state/checkout-state.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";
import { CHECKOUT_FEE_REVENUE, feeToReturn, releaseFeeLines, totalFee } from "./checkout-fees.js";
import {
  checkNotDisputed,
  checkOrderCurrency,
  findOrder,
  merchantOf,
  type OrderAndHold,
} from "./checkout-guards.js";
import { accepted, fact, rejected, type Decide, type Decision } from "./decision.js";
import { checkCreditable, checkMoney, findWallet, isRejection } from "./guards.js";
import { AssertionFailure } from "../assertion.js";

/** The protection window is fixed once, when the order ships. */
export const shipOrder: Decide<"ShipOrder"> = (state, command) => {
  const found = findOrder(state, command.orderId);
  if (isRejection(found)) return rejected(found);
  const { order } = found;
  if (order.protectionEndsAt !== undefined)
    return rejected({
      _tag: "OrderAlreadyShipped",
      orderId: order.id,
      protectionEndsAt: order.protectionEndsAt,
    });
  return fact({
    type: "OrderShipped",
    orderId: order.id,
    protectionEndsAt: command.protectionEndsAt,
  });
};

export const confirmReceipt: Decide<"ConfirmReceipt"> = (state, command) =>
  releaseWhenDue(state, command.orderId, "receipt-confirmed", checkReceiptNotConfirmed);

/** Auto-release: due once the protection window has passed, with no dispute open. */
export const releaseEscrow: Decide<"ReleaseEscrow"> = (state, command, at) =>
  releaseWhenDue(state, command.orderId, "protection-ended", (order) =>
    checkProtectionEnded(order, at),
  );

/**
 * The two releases share their rules after the trigger's own (`due`): no dispute open, and
 * money captured into escrow that is still there.
 */
function releaseWhenDue(
  state: LedgerState,
  orderId: string,
  trigger: EscrowReleaseTrigger,
  due: (order: Order) => Rejection | undefined,
): Decision {
  const found = findOrder(state, orderId);
  if (isRejection(found)) return rejected(found);
  const blocked = due(found.order) ?? checkNotDisputed(found.order) ?? checkEscrowNotEmpty(found);
  if (blocked !== undefined) return rejected(blocked);
  return accepted(escrowReleased(state, found, trigger));
}

export const refundOrder: Decide<"RefundOrder"> = (state, command) => {
  const found = findOrder(state, command.orderId);
  if (isRejection(found)) return rejected(found);
  const refund = orderRefunded(state, found, command.refundId, command.amount);
  return isRejection(refund) ? rejected(refund) : accepted(refund);
};

function checkReceiptNotConfirmed(order: Order): Rejection | undefined {
  return order.receiptConfirmed
    ? { _tag: "ReceiptAlreadyConfirmed", orderId: order.id }
    : undefined;
}

function checkProtectionEnded(order: Order, at: Timestamp): Rejection | undefined {
  const { protectionEndsAt } = order;
  if (protectionEndsAt === undefined) return { _tag: "OrderNotShipped", orderId: order.id };
  return at < protectionEndsAt
    ? { _tag: "ProtectionWindowOpen", orderId: order.id, protectionEndsAt, at }
    : undefined;
}

function checkEscrowNotEmpty({ order, hold }: OrderAndHold): Rejection | undefined {
  if (hold.captured === 0n) return { _tag: "OrderNotCaptured", orderId: order.id };
  return escrowBalanceOf(order, hold) > 0n ? undefined : { _tag: "EscrowEmpty", orderId: order.id };
}

/** Pays the whole escrow balance to the merchant, less the checkout fee, in one balanced entry. */
export function escrowReleased(
  state: LedgerState,
  { order, hold }: OrderAndHold,
  trigger: EscrowReleaseTrigger,
): EventOf<"EscrowReleased"> {
  const gross = escrowBalanceOf(order, hold);
  if (gross <= 0n) throw new AssertionFailure(`releasing empty escrow of order ${order.id}`);
  const merchant = merchantOf(state, order);
  const schedule = merchant.feeSchedules.get(order.currency);
  const lines = releaseFeeLines(schedule, gross, order.releaseCount === 0);
  const fee = totalFee(lines);
  const currency = order.currency;
  return {
    type: "EscrowReleased",
    orderId: order.id,
    merchantId: merchant.id,
    trigger,
    gross: { currency, amount: gross },
    fees: lines.map((line) => ({ kind: line.kind, amount: { currency, amount: line.amount } })),
    net: { currency, amount: gross - fee },
    feeRefund: schedule?.refundFee ?? "none",
    postings: [
      ...move(order.escrowAccount, merchant.account, currency, gross),
      ...(fee > 0n ? move(merchant.account, CHECKOUT_FEE_REVENUE, currency, fee) : []),
    ],
  };
}

/**
 * The refund of `amount` of an order to the buyer's wallet: from escrow first, the rest from
 * the merchant's balance with the fee share the schedule returns; or the rule it breaks.
 */
export function orderRefunded(
  state: LedgerState,
  found: OrderAndHold,
  refundId: string,
  amount: Money,
): EventOf<"OrderRefunded"> | Rejection {
  const { order, hold } = found;
  const invalid = checkMoney(state, amount);
  if (invalid !== undefined) return invalid;
  const wallet = findWallet(state, order.walletId);
  if (isRejection(wallet)) return wallet;
  const refundable = orderRefundable(order, hold);
  const blocked =
    checkCreditable(wallet) ??
    (order.refundIds.has(refundId)
      ? ({ _tag: "RefundAlreadyIssued", refundId } as const)
      : undefined) ??
    checkOrderCurrency(order, amount) ??
    (amount.amount > refundable
      ? ({
          _tag: "OrderRefundExceedsCaptured",
          orderId: order.id,
          refundable,
          requested: amount.amount,
        } as const)
      : undefined);
  if (blocked !== undefined) return blocked;
  const escrow = escrowBalanceOf(order, hold);
  const fromEscrow = amount.amount < escrow ? amount.amount : escrow;
  const fromMerchant = amount.amount - fromEscrow;
  const feeReturned = feeToReturn(order, fromMerchant);
  const merchant = merchantOf(state, order);
  const currency = order.currency;
  const balance = -balanceOf(state.balances, merchant.account, currency);
  if (
    fromMerchant > 0n &&
    !merchant.allowNegativeBalance &&
    balance + feeReturned - fromMerchant < 0n
  ) {
    return {
      _tag: "MerchantBalanceInsufficient",
      merchantId: merchant.id,
      currency,
      balance,
      requested: fromMerchant - feeReturned,
    };
  }
  const postings: Posting[] = [
    ...(fromEscrow > 0n
      ? move(order.escrowAccount, wallet.availableAccount, currency, fromEscrow)
      : []),
    // The platform gives back its fee share to the merchant before the merchant pays the buyer.
    ...(feeReturned > 0n
      ? move(CHECKOUT_FEE_REVENUE, merchant.account, currency, feeReturned)
      : []),
    ...(fromMerchant > 0n
      ? move(merchant.account, wallet.availableAccount, currency, fromMerchant)
      : []),
  ];
  return {
    type: "OrderRefunded",
    refundId,
    orderId: order.id,
    amount,
    fromEscrow: { currency, amount: fromEscrow },
    fromMerchant: { currency, amount: fromMerchant },
    feeReturned: { currency, amount: feeReturned },
    postings,
  };
}
