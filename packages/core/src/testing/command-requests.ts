/**
 * Command requests as an embedding service writes them (JSON, decimal-string amounts), for
 * tests of the engine and of every store (`@pacioli/core/testing/requests`). A key left out is
 * a fresh one; give it to retry a command on purpose.
 */
import type { CommandRequestJson } from "../commands/command-request-json.js";

let counter = 0;
const freshKey = (): string => `key-${(counter += 1)}`;

/** The request envelope: the command under its idempotency key. */
const requestOf = (
  command: CommandRequestJson["command"],
  idempotencyKey = freshKey(),
): CommandRequestJson => ({ idempotencyKey, command });

export const openWallet = (walletId: string, idempotencyKey?: string): CommandRequestJson =>
  requestOf({ type: "OpenWallet", walletId, ownerId: `owner-${walletId}` }, idempotencyKey);

export const deposit = (
  walletId: string,
  amount: string,
  currency = "USD",
  idempotencyKey?: string,
): CommandRequestJson =>
  requestOf(
    { type: "DepositFunds", walletId, amount: { currency, amount }, channel: "card" },
    idempotencyKey,
  );

export const transfer = (
  fromWalletId: string,
  toWalletId: string,
  amount: string,
  currency = "USD",
  idempotencyKey = freshKey(),
): CommandRequestJson =>
  requestOf(
    {
      type: "TransferFunds",
      transferId: `t-${idempotencyKey}`,
      fromWalletId,
      toWalletId,
      amount: { currency, amount },
    },
    idempotencyKey,
  );

/** A hold for merchant `m1`; `expiresAt` is ISO-8601. */
export const placeHold = (
  holdId: string,
  walletId: string,
  amount: string,
  expiresAt: string,
  idempotencyKey?: string,
): CommandRequestJson =>
  requestOf(
    {
      type: "PlaceHold",
      holdId,
      walletId,
      merchantId: "m1",
      amount: { currency: "USD", amount },
      expiresAt,
    },
    idempotencyKey,
  );

const usd = (amount: string) => ({ currency: "USD", amount });

/** Merchant `merchantId`, settling in USD. */
export const registerMerchant = (
  merchantId: string,
  allowNegativeBalance: boolean,
  idempotencyKey?: string,
): CommandRequestJson =>
  requestOf(
    {
      type: "RegisterMerchant",
      merchantId,
      settlementCurrency: "USD",
      allowNegativeBalance,
    },
    idempotencyKey,
  );

/** The card-like schedule the recipes use: 2.90% + 0.30 USD, half-up, refunds proportional. */
export const cardFeeSchedule = (merchantId: string, idempotencyKey?: string): CommandRequestJson =>
  requestOf(
    {
      type: "SetFeeSchedule",
      merchantId,
      basisPoints: 290,
      fixed: usd("0.30"),
      rounding: "half-up",
      refundFee: "proportional",
    },
    idempotencyKey,
  );

/** A buyer's checkout of `amount` USD from wallet `walletId`; `expiresAt` is ISO-8601. */
export const checkout = (
  order: { readonly orderId: string; readonly holdId: string; readonly merchantId: string },
  walletId: string,
  amount: string,
  expiresAt: string,
  idempotencyKey?: string,
): CommandRequestJson =>
  requestOf(
    {
      type: "Checkout",
      ...order,
      walletId,
      amount: usd(amount),
      expiresAt,
      initiatedBy: "buyer",
    },
    idempotencyKey,
  );

/** Captures `amount` USD of hold `holdId`, the final capture. */
export const captureInFull = (
  holdId: string,
  amount: string,
  idempotencyKey?: string,
): CommandRequestJson =>
  requestOf({ type: "CaptureHold", holdId, amount: usd(amount), final: true }, idempotencyKey);

/**
 * Merchant m1's sale of order o1 to wallet w1 for 50.00 USD under the card fee schedule,
 * captured in full (so m1 earns 48.25 once the order is received): four requests, keys
 * "m1", "fees", "o1" and "capture".
 */
export const merchantSale = (
  allowNegativeBalance: boolean,
  hold: { readonly holdId: string; readonly expiresAt: string },
): CommandRequestJson[] => [
  registerMerchant("m1", allowNegativeBalance, "m1"),
  cardFeeSchedule("m1", "fees"),
  checkout(
    { orderId: "o1", holdId: hold.holdId, merchantId: "m1" },
    "w1",
    "50.00",
    hold.expiresAt,
    "o1",
  ),
  captureInFull(hold.holdId, "50.00", "capture"),
];

/** Payouts to bank-6789: 0.25 USD fee, a 10% rolling reserve, half-up. */
export const payoutSchedule = (
  merchantId: string,
  terms: { readonly minimum: string; readonly reserveDays: number },
  idempotencyKey?: string,
): CommandRequestJson =>
  requestOf(
    {
      type: "SetPayoutSchedule",
      merchantId,
      bankAccountId: "bank-6789",
      fee: usd("0.25"),
      minimum: usd(terms.minimum),
      reserveBasisPoints: 1000,
      reserveDays: terms.reserveDays,
      rounding: "half-up",
    },
    idempotencyKey,
  );

/** A wallet's available balance in its first currency (0 when it has none). */
export const availableOf = (
  ledger: { walletBalances(id: string): readonly { available: bigint }[] },
  walletId: string,
): bigint => ledger.walletBalances(walletId)[0]?.available ?? 0n;
