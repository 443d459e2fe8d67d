/**
 * Rejections: the closed set of business rules a command can break, each named after the
 * rule and carrying the data needed to explain it. A rejection changes nothing.
 *
 * `isRetryable` sorts them, in one exhaustive switch, into those where the same command
 * could succeed later without changing it (the world may change: funds arrive, a wallet is
 * unfrozen) and those where it never will. Programmer errors are not rejections: they are
 * assertion failures that throw.
 *
 * Checks run in a fixed precedence (docs/reference/rejections.md):
 *   1. idempotency       IdempotencyKeyReused
 *   2. shape             AmountNotPositive, CurrencyUnknown
 *   3. existence         WalletNotFound, WalletAlreadyExists, HoldNotFound, HoldAlreadyExists, ...
 *   4. lifecycle         WalletClosed, WalletFrozen, WalletNotFrozen, HoldNotOpen, HoldExpired, HoldNotExpired
 *   5. consistency       CurrencyMismatch, SameWallet, HoldAlreadyCaptured, RefundAlreadyIssued
 *   6. amounts           CaptureExceedsHold, RefundExceedsCaptured, WalletNotEmpty
 *   7. funds             InsufficientFunds
 * Checkout, escrow and disputes follow the same order: shape (FeeRateOutOfRange), existence
 * (MerchantNotFound, OrderNotFound, DisputeAlreadyExists, ...), authorisation
 * (AgreementRevoked, MerchantNotAuthorized), lifecycle and time (OrderDisputed, DisputeNotOpen,
 * ProtectionWindowOpen, DisputeWindowClosed, OrderNotShipped, ...), amounts (caps,
 * OrderRefundExceedsCaptured, EscrowEmpty), funds (MerchantBalanceInsufficient).
 */
import type { Timestamp } from "../time/timestamp.js";
import { AssertionFailure } from "../assertion.js";

export type Rejection =
  | { readonly _tag: "IdempotencyKeyReused"; readonly idempotencyKey: string }
  | { readonly _tag: "AmountNotPositive"; readonly amount: bigint }
  | { readonly _tag: "CurrencyUnknown"; readonly currency: string }
  | { readonly _tag: "WalletNotFound"; readonly walletId: string }
  | { readonly _tag: "WalletAlreadyExists"; readonly walletId: string }
  | { readonly _tag: "WalletClosed"; readonly walletId: string }
  | { readonly _tag: "WalletFrozen"; readonly walletId: string; readonly reason: string }
  | { readonly _tag: "WalletNotFrozen"; readonly walletId: string }
  | {
      readonly _tag: "WalletNotEmpty";
      readonly walletId: string;
      readonly currency: string;
      readonly available: bigint;
      readonly held: bigint;
    }
  | { readonly _tag: "SameWallet"; readonly walletId: string }
  | {
      readonly _tag: "InsufficientFunds";
      readonly walletId: string;
      readonly currency: string;
      readonly available: bigint;
      readonly overdraftLimit: bigint;
      readonly requested: bigint;
    }
  | { readonly _tag: "HoldNotFound"; readonly holdId: string }
  | { readonly _tag: "HoldAlreadyExists"; readonly holdId: string }
  | { readonly _tag: "HoldNotOpen"; readonly holdId: string; readonly status: string }
  | {
      readonly _tag: "HoldExpired";
      readonly holdId: string;
      readonly expiresAt: Timestamp;
      readonly at: Timestamp;
    }
  | {
      readonly _tag: "HoldNotExpired";
      readonly holdId: string;
      readonly expiresAt: Timestamp;
      readonly at: Timestamp;
    }
  | { readonly _tag: "HoldAlreadyCaptured"; readonly holdId: string; readonly captured: bigint }
  | { readonly _tag: "CurrencyMismatch"; readonly expected: string; readonly actual: string }
  | {
      readonly _tag: "CaptureExceedsHold";
      readonly holdId: string;
      readonly remaining: bigint;
      readonly requested: bigint;
    }
  | {
      readonly _tag: "RefundExceedsCaptured";
      readonly holdId: string;
      readonly refundable: bigint;
      readonly requested: bigint;
    }
  | { readonly _tag: "RefundAlreadyIssued"; readonly refundId: string }
  | { readonly _tag: "TransferAlreadyExists"; readonly transferId: string }
  | { readonly _tag: "WalletHasOpenHolds"; readonly walletId: string; readonly openHolds: number }
  | {
      readonly _tag: "OverdraftLimitBelowDebt";
      readonly walletId: string;
      readonly currency: string;
      readonly available: bigint;
      readonly limit: bigint;
    }
  // merchants, authorisations, checkout, escrow, disputes (checkout-decisions.ts and neighbours)
  | { readonly _tag: "MerchantNotFound"; readonly merchantId: string }
  | { readonly _tag: "MerchantAlreadyExists"; readonly merchantId: string }
  | { readonly _tag: "FeeRateOutOfRange"; readonly basisPoints: number }
  | { readonly _tag: "AgreementNotFound"; readonly agreementId: string }
  | { readonly _tag: "AgreementAlreadyExists"; readonly agreementId: string }
  | { readonly _tag: "AgreementRevoked"; readonly agreementId: string }
  | {
      readonly _tag: "MerchantNotAuthorized";
      readonly walletId: string;
      readonly merchantId: string;
      readonly agreementId: string | undefined;
    }
  | {
      readonly _tag: "PaymentCapExceeded";
      readonly agreementId: string;
      readonly cap: bigint;
      readonly requested: bigint;
    }
  | {
      readonly _tag: "DailyCapExceeded";
      readonly agreementId: string;
      readonly cap: bigint;
      readonly usedToday: bigint;
      readonly requested: bigint;
    }
  | { readonly _tag: "OrderNotFound"; readonly orderId: string }
  | { readonly _tag: "OrderAlreadyExists"; readonly orderId: string }
  | {
      readonly _tag: "OrderAlreadyShipped";
      readonly orderId: string;
      readonly protectionEndsAt: Timestamp;
    }
  | { readonly _tag: "OrderNotShipped"; readonly orderId: string }
  | { readonly _tag: "OrderNotCaptured"; readonly orderId: string }
  | { readonly _tag: "OrderFullyRefunded"; readonly orderId: string }
  | { readonly _tag: "OrderDisputed"; readonly orderId: string; readonly disputeId: string }
  | { readonly _tag: "HoldBelongsToOrder"; readonly holdId: string; readonly orderId: string }
  | { readonly _tag: "EscrowEmpty"; readonly orderId: string }
  | {
      readonly _tag: "ProtectionWindowOpen";
      readonly orderId: string;
      readonly protectionEndsAt: Timestamp;
      readonly at: Timestamp;
    }
  | {
      readonly _tag: "DisputeWindowClosed";
      readonly orderId: string;
      readonly protectionEndsAt: Timestamp;
      readonly at: Timestamp;
    }
  | { readonly _tag: "DisputeNotFound"; readonly disputeId: string }
  | { readonly _tag: "DisputeAlreadyExists"; readonly disputeId: string }
  | { readonly _tag: "DisputeNotOpen"; readonly disputeId: string; readonly status: string }
  | { readonly _tag: "ReceiptAlreadyConfirmed"; readonly orderId: string }
  | {
      readonly _tag: "OrderRefundExceedsCaptured";
      readonly orderId: string;
      readonly refundable: bigint;
      readonly requested: bigint;
    }
  | {
      readonly _tag: "MerchantBalanceInsufficient";
      readonly merchantId: string;
      readonly currency: string;
      readonly balance: bigint;
      readonly requested: bigint;
    }
  // funding sources
  | { readonly _tag: "FundingSourceNotFound"; readonly sourceId: string }
  | { readonly _tag: "FundingSourceAlreadyExists"; readonly sourceId: string }
  | { readonly _tag: "FundingSourceNotOwned"; readonly sourceId: string; readonly walletId: string }
  | { readonly _tag: "FundingSourceRemoved"; readonly sourceId: string }
  | { readonly _tag: "FundingSourceUnverified"; readonly sourceId: string }
  | {
      readonly _tag: "FundingSourceExpired";
      readonly sourceId: string;
      readonly expiresAt: Timestamp;
      readonly at: Timestamp;
    }
  | { readonly _tag: "FundingSourceAlreadyVerified"; readonly sourceId: string }
  | {
      readonly _tag: "VerificationMethodMismatch";
      readonly sourceId: string;
      readonly kind: string;
    }
  | { readonly _tag: "MicroDepositsNotSent"; readonly sourceId: string }
  | { readonly _tag: "MicroDepositsAlreadySent"; readonly sourceId: string }
  | {
      readonly _tag: "MicroDepositAttemptsExhausted";
      readonly sourceId: string;
      readonly attemptsMax: number;
    }
  // currency conversion
  | { readonly _tag: "FxQuoteNotFound"; readonly quoteId: string }
  | { readonly _tag: "FxQuoteAlreadyExists"; readonly quoteId: string }
  | { readonly _tag: "FxPairInvalid"; readonly currency: string }
  | { readonly _tag: "RateInvalid"; readonly rate: string; readonly reason: string }
  | {
      readonly _tag: "QuoteExpired";
      readonly quoteId: string;
      readonly expiresAt: Timestamp;
      readonly at: Timestamp;
    }
  | { readonly _tag: "ConversionAlreadyExists"; readonly conversionId: string }
  | { readonly _tag: "ConversionTooSmall"; readonly quoteId: string; readonly amount: bigint }
  // limits and risk
  | { readonly _tag: "VerificationTierNotFound"; readonly tierId: string }
  | {
      readonly _tag: "SpendingLimitsInconsistent";
      readonly tierId: string;
      readonly currency: string;
    }
  | {
      readonly _tag: "VelocityRuleInvalid";
      readonly windowMs: number;
      readonly paymentCountMax: number;
      readonly windowMsMax: number;
    }
  | {
      readonly _tag: "SpendingLimitExceeded";
      readonly walletId: string;
      readonly currency: string;
      readonly period: "transaction" | "day";
      readonly limit: bigint;
      readonly used: bigint;
      readonly requested: bigint;
    }
  // promotions
  | { readonly _tag: "PromotionNotFound"; readonly promotionId: string }
  | { readonly _tag: "PromotionAlreadyExists"; readonly promotionId: string }
  | {
      readonly _tag: "DiscountNotBelowPrice";
      readonly promotionId: string;
      readonly discount: bigint;
      readonly price: bigint;
    }
  | {
      readonly _tag: "PromotionBudgetExhausted";
      readonly promotionId: string;
      readonly remaining: bigint;
      readonly requested: bigint;
    }
  // merchant payouts
  | { readonly _tag: "PayoutScheduleNotSet"; readonly merchantId: string }
  | { readonly _tag: "PayoutNotFound"; readonly payoutId: string }
  | { readonly _tag: "PayoutAlreadyExists"; readonly payoutId: string }
  | {
      readonly _tag: "PayoutBelowMinimum";
      readonly merchantId: string;
      readonly currency: string;
      readonly balance: bigint;
      readonly net: bigint;
      readonly minimum: bigint;
    }
  | {
      readonly _tag: "PayoutReserveHeld";
      readonly payoutId: string;
      readonly reserveReleasesAt: Timestamp;
      readonly at: Timestamp;
    }
  | { readonly _tag: "PayoutReserveNotHeld"; readonly payoutId: string }
  | { readonly _tag: "PayoutAlreadyReturned"; readonly payoutId: string }
  // adjustments
  | { readonly _tag: "AdjustmentNotFound"; readonly adjustmentId: string }
  | { readonly _tag: "AdjustmentAlreadyExists"; readonly adjustmentId: string }
  | { readonly _tag: "AdjustmentEmpty"; readonly adjustmentId: string }
  | { readonly _tag: "AdjustmentUnbalanced"; readonly currency: string; readonly sum: bigint }
  | { readonly _tag: "AdjustmentAccountNotAllowed"; readonly account: string }
  | {
      readonly _tag: "AdjustmentNotProposed";
      readonly adjustmentId: string;
      readonly status: string;
    }
  | { readonly _tag: "AdjustmentNotPosted"; readonly adjustmentId: string; readonly status: string }
  | {
      readonly _tag: "ApproverIsProposer";
      readonly adjustmentId: string;
      readonly operator: string;
    }
  | {
      readonly _tag: "StrongAuthenticationRequired";
      readonly walletId: string;
      readonly currency: string;
      readonly threshold: bigint;
      readonly requested: bigint;
    };

export type RejectionTag = Rejection["_tag"];

/** Whether resending the very same command later could succeed. */
export function isRetryable(rejection: Rejection): boolean {
  switch (rejection._tag) {
    case "InsufficientFunds": // funds may arrive
    case "WalletFrozen": // the wallet may be unfrozen
    case "WalletNotFound": // the wallet may be opened (commands can race their prerequisites)
    case "HoldNotFound":
    case "HoldNotExpired": // the deadline will pass
    case "WalletNotEmpty": // the wallet may be emptied
    case "WalletHasOpenHolds": // the holds may be captured, released or expire
    case "OverdraftLimitBelowDebt": // money may arrive and pay the debt down
    case "MerchantNotFound": // the merchant may be registered (a race with its prerequisite)
    case "AgreementNotFound":
    case "OrderNotFound":
    case "DisputeNotFound":
    case "DailyCapExceeded": // a new UTC day begins
    case "OrderNotShipped": // the order may ship
    case "OrderDisputed": // the dispute may be resolved
    case "EscrowEmpty": // a capture may fill it
    case "OrderNotCaptured":
    case "ProtectionWindowOpen": // the window will pass
    case "MerchantBalanceInsufficient": // the merchant's balance may grow
    case "FundingSourceNotFound": // the source may be linked (a race with its prerequisite)
    case "FundingSourceUnverified": // the source may be verified
    case "MicroDepositsNotSent": // the deposits may be sent
    case "FxQuoteNotFound":
    case "VerificationTierNotFound":
    case "SpendingLimitExceeded": // a new UTC day begins, or the wallet moves to a higher tier
    case "PromotionNotFound":
    case "PromotionBudgetExhausted": // refunds give budget back
    case "PayoutScheduleNotSet": // the schedule may be set
    case "PayoutNotFound":
    case "PayoutBelowMinimum": // the merchant's balance may grow
    case "PayoutReserveHeld": // the hold period will pass
    case "AdjustmentNotFound":
      return true;
    case "IdempotencyKeyReused":
    case "AmountNotPositive":
    case "CurrencyUnknown":
    case "WalletAlreadyExists":
    case "WalletClosed":
    case "WalletNotFrozen":
    case "SameWallet":
    case "HoldAlreadyExists":
    case "HoldNotOpen":
    case "HoldExpired":
    case "HoldAlreadyCaptured":
    case "CurrencyMismatch":
    case "CaptureExceedsHold":
    case "RefundExceedsCaptured":
    case "RefundAlreadyIssued":
    case "TransferAlreadyExists":
    case "ReceiptAlreadyConfirmed":
    case "MerchantAlreadyExists":
    case "FeeRateOutOfRange":
    case "AgreementAlreadyExists":
    case "AgreementRevoked":
    case "MerchantNotAuthorized":
    case "PaymentCapExceeded":
    case "OrderAlreadyExists":
    case "OrderAlreadyShipped":
    case "OrderFullyRefunded":
    case "HoldBelongsToOrder":
    case "DisputeWindowClosed":
    case "DisputeAlreadyExists":
    case "DisputeNotOpen":
    case "OrderRefundExceedsCaptured":
    case "FundingSourceAlreadyExists":
    case "FundingSourceNotOwned":
    case "FundingSourceRemoved":
    case "FundingSourceExpired":
    case "FundingSourceAlreadyVerified":
    case "VerificationMethodMismatch":
    case "MicroDepositsAlreadySent":
    case "MicroDepositAttemptsExhausted":
    case "FxQuoteAlreadyExists":
    case "FxPairInvalid":
    case "RateInvalid":
    case "QuoteExpired": // a new quote is a new command
    case "ConversionAlreadyExists":
    case "ConversionTooSmall":
    case "SpendingLimitsInconsistent":
    case "VelocityRuleInvalid":
    case "PromotionAlreadyExists":
    case "DiscountNotBelowPrice":
    case "PayoutAlreadyExists":
    case "PayoutReserveNotHeld":
    case "PayoutAlreadyReturned":
    case "AdjustmentAlreadyExists":
    case "AdjustmentEmpty":
    case "AdjustmentUnbalanced":
    case "AdjustmentAccountNotAllowed":
    case "AdjustmentNotProposed":
    case "AdjustmentNotPosted":
    case "ApproverIsProposer": // another operator must approve
    case "StrongAuthenticationRequired": // the same command never states it: authenticate and resend
      return false;
    default:
      return absurd(rejection);
  }
}

/** Exhaustiveness check: compiling fails when a case is missing, running it is a bug. */
export function absurd(value: never): never {
  throw new AssertionFailure(
    `unexpected value ${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`,
  );
}
