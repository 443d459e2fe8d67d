/**
 * Command requests as an embedding service writes them (JSON, decimal-string amounts), for
 * tests of the engine and of every store (`@pacioli/core/testing/requests`). A key left out is
 * a fresh one; give it to retry a command on purpose.
 */
import type { CommandRequestJson } from "../commands/command-request-json.js";

let counter = 0;
const freshKey = (): string => `key-${(counter += 1)}`;

export const openWallet = (walletId: string, idempotencyKey = freshKey()): CommandRequestJson => ({
  idempotencyKey,
  command: { type: "OpenWallet", walletId, ownerId: `owner-${walletId}` },
});

export const deposit = (
  walletId: string,
  amount: string,
  currency = "USD",
  idempotencyKey = freshKey(),
): CommandRequestJson => ({
  idempotencyKey,
  command: { type: "DepositFunds", walletId, amount: { currency, amount }, channel: "card" },
});

export const transfer = (
  fromWalletId: string,
  toWalletId: string,
  amount: string,
  currency = "USD",
  idempotencyKey = freshKey(),
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

/** A hold for merchant `m1`; `expiresAt` is ISO-8601. */
export const placeHold = (
  holdId: string,
  walletId: string,
  amount: string,
  expiresAt: string,
  idempotencyKey = freshKey(),
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

/** A wallet's available balance in its first currency (0 when it has none). */
export const availableOf = (
  ledger: { walletBalances(id: string): readonly { available: bigint }[] },
  walletId: string,
): bigint => ledger.walletBalances(walletId)[0]?.available ?? 0n;
