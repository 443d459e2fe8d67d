/** Command requests as an embedding service writes them (JSON, decimal-string amounts). */
import type { CommandRequestJson } from "../runtime/command-intake.js";

let counter = 0;
const key = (): string => `key-${(counter += 1)}`;

export const openWallet = (walletId: string, idempotencyKey = key()): CommandRequestJson => ({
  idempotencyKey,
  command: { type: "OpenWallet", walletId, ownerId: `owner-${walletId}` },
});

export const deposit = (
  walletId: string,
  amount: string,
  currency = "USD",
  idempotencyKey = key(),
): CommandRequestJson => ({
  idempotencyKey,
  command: { type: "DepositFunds", walletId, amount: { currency, amount }, channel: "card" },
});

export const transfer = (
  fromWalletId: string,
  toWalletId: string,
  amount: string,
  currency = "USD",
  idempotencyKey = key(),
): CommandRequestJson => ({
  idempotencyKey,
  command: {
    type: "TransferFunds",
    transferId: `t-${idempotencyKey}`,
    fromWalletId,
    toWalletId,
    amount: { currency, amount },
  },
});

export const placeHold = (
  holdId: string,
  walletId: string,
  amount: string,
  expiresAt: string,
  idempotencyKey = key(),
): CommandRequestJson => ({
  idempotencyKey,
  command: {
    type: "PlaceHold",
    holdId,
    walletId,
    merchantId: "m1",
    amount: { currency: "USD", amount },
    expiresAt,
  },
});
