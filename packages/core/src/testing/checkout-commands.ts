/**
 * Command builders for checkout stories in tests and docs: one wallet `w1` with money, one
 * merchant `m1` settling in USD with a 2.9% + 0.30 fee schedule (half-up, proportional fee
 * refunds), and orders whose hold id is `h-{order}`.
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import { MILLISECONDS_PER_DAY, type Timestamp } from "../time/timestamp.js";
import { T0, type TimedCommand } from "./given-when-then.js";
import { usd } from "./money.js";

export const DAY = MILLISECONDS_PER_DAY;

export const openWallet = (walletId = "w1"): LedgerCommand => ({
  type: "OpenWallet",
  walletId,
  ownerId: `owner-${walletId}`,
});
export const deposit = (amount: Money, walletId = "w1"): LedgerCommand => ({
  type: "DepositFunds",
  walletId,
  amount,
  channel: "card",
});
export const registerMerchant = (
  merchantId = "m1",
  allowNegativeBalance = false,
): LedgerCommand => ({
  type: "RegisterMerchant",
  merchantId,
  settlementCurrency: "USD",
  allowNegativeBalance,
});
export const feeSchedule = (
  refundFee: "proportional" | "none" = "proportional",
  merchantId = "m1",
): LedgerCommand => ({
  type: "SetFeeSchedule",
  merchantId,
  basisPoints: 290,
  fixed: usd("0.30"),
  rounding: "half-up",
  refundFee,
});

export function checkout(
  orderId: string,
  amount: Money,
  extra: Partial<{
    walletId: string;
    merchantId: string;
    expiresAt: Timestamp;
    agreementId: string;
    initiatedBy: "buyer" | "merchant";
  }> = {},
): LedgerCommand {
  return {
    type: "Checkout",
    orderId,
    holdId: `h-${orderId}`,
    walletId: extra.walletId ?? "w1",
    merchantId: extra.merchantId ?? "m1",
    amount,
    expiresAt: extra.expiresAt ?? T0 + 7 * DAY,
    initiatedBy: extra.initiatedBy ?? (extra.agreementId === undefined ? "buyer" : "merchant"),
    ...(extra.agreementId === undefined ? {} : { agreementId: extra.agreementId }),
  };
}

export const capture = (orderId: string, amount: Money, final = false): LedgerCommand => ({
  type: "CaptureHold",
  holdId: `h-${orderId}`,
  amount,
  final,
});
export const ship = (orderId: string, protectionEndsAt: Timestamp): LedgerCommand => ({
  type: "ShipOrder",
  orderId,
  protectionEndsAt,
});
export const confirm = (orderId: string): LedgerCommand => ({ type: "ConfirmReceipt", orderId });
export const releaseEscrow = (orderId: string): LedgerCommand => ({
  type: "ReleaseEscrow",
  orderId,
});
export const dispute = (orderId: string, disputeId = `d-${orderId}`): LedgerCommand => ({
  type: "OpenDispute",
  disputeId,
  orderId,
  reason: "item not as described",
});
export const refund = (
  orderId: string,
  amount: Money,
  refundId = `r-${orderId}-${amount.amount}`,
): LedgerCommand => ({ type: "RefundOrder", refundId, orderId, amount });
export const at = (command: LedgerCommand, time: Timestamp): TimedCommand => ({
  command,
  at: time,
});

/** w1 with 100.00 USD, merchant m1 (USD) with its fee schedule. */
export const shop = (
  refundFee: "proportional" | "none" = "proportional",
  allowNegativeBalance = false,
): LedgerCommand[] => [
  openWallet(),
  deposit(usd("100.00")),
  registerMerchant("m1", allowNegativeBalance),
  feeSchedule(refundFee),
];

/** The shop with order o1: 50.00 checked out and fully captured into escrow. */
export const escrowed = (
  refundFee: "proportional" | "none" = "proportional",
  allowNegativeBalance = false,
): LedgerCommand[] => [
  ...shop(refundFee, allowNegativeBalance),
  checkout("o1", usd("50.00")),
  capture("o1", usd("50.00"), true),
];
