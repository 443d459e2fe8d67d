/** The rejections of the core ledger's own families (wallets, funds, holds), in precedence order. */
import type { RejectionTag } from "../rejections/rejection.js";

export const CORE_REJECTIONS: readonly RejectionTag[] = [
  "IdempotencyKeyReused",
  "AmountNotPositive",
  "CurrencyUnknown",
  "WalletNotFound",
  "WalletAlreadyExists",
  "WalletClosed",
  "WalletFrozen",
  "WalletNotFrozen",
  "WalletNotEmpty",
  "SameWallet",
  "InsufficientFunds",
  "HoldNotFound",
  "HoldAlreadyExists",
  "HoldNotOpen",
  "HoldExpired",
  "HoldNotExpired",
  "HoldAlreadyCaptured",
  "CurrencyMismatch",
  "CaptureExceedsHold",
  "RefundExceedsCaptured",
  "RefundAlreadyIssued",
];
