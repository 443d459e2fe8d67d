/**
 * Command requests for the engine suites that run on each store, as an embedding service
 * writes them (JSON, decimal-string amounts), with the idempotency keys given explicitly so a
 * test can retry one on purpose.
 */
import { formatTimestamp } from "@pacioli/core";
import type { CommandRequestJson } from "@pacioli/engine";

export const openWallet = (walletId: string, key = `open-${walletId}`): CommandRequestJson => ({
  idempotencyKey: key,
  command: { type: "OpenWallet", walletId, ownerId: `owner-${walletId}` },
});

export const deposit = (walletId: string, amount: string, key: string): CommandRequestJson => ({
  idempotencyKey: key,
  command: { type: "DepositFunds", walletId, amount: { currency: "USD", amount }, channel: "card" },
});

export const transfer = (
  from: string,
  to: string,
  amount: string,
  key: string,
): CommandRequestJson => ({
  idempotencyKey: key,
  command: {
    type: "TransferFunds",
    transferId: `t-${key}`,
    fromWalletId: from,
    toWalletId: to,
    amount: { currency: "USD", amount },
  },
});

export const placeHold = (
  holdId: string,
  walletId: string,
  amount: string,
  expiresAt: number,
): CommandRequestJson => ({
  idempotencyKey: `hold-${holdId}`,
  command: {
    type: "PlaceHold",
    holdId,
    walletId,
    merchantId: "m1",
    amount: { currency: "USD", amount },
    expiresAt: formatTimestamp(expiresAt),
  },
});

/** A wallet's available balance in its first currency (0 when it has none). */
export const availableOf = (
  ledger: { walletBalances(id: string): readonly { available: bigint }[] },
  walletId: string,
): bigint => ledger.walletBalances(walletId)[0]?.available ?? 0n;
