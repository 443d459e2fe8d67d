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

/** The wallet and currency a money rule was judged in. */
interface InWallet {
  walletId: string;
  currency: string;
}

/** The merchant and the currency of the balance a money rule was judged on. */
interface InMerchantBalance {
  merchantId: string;
  currency: string;
}

/**
 * Each rejection's data, by tag: the one table the union below is made from, so a rule and
 * what it reports read on one line.
 */
interface RejectionData {
  IdempotencyKeyReused: { idempotencyKey: string };
  AmountNotPositive: { amount: bigint };
  CurrencyUnknown: { currency: string };
  WalletNotFound: { walletId: string };
  WalletAlreadyExists: { walletId: string };
  WalletClosed: { walletId: string };
  WalletFrozen: { walletId: string; reason: string };
  WalletNotFrozen: { walletId: string };
  WalletNotEmpty: InWallet & { available: bigint; held: bigint };
  SameWallet: { walletId: string };
  InsufficientFunds: InWallet & { available: bigint; overdraftLimit: bigint; requested: bigint };
  HoldNotFound: { holdId: string };
  HoldAlreadyExists: { holdId: string };
  HoldNotOpen: { holdId: string; status: string };
  HoldExpired: { holdId: string; expiresAt: Timestamp; at: Timestamp };
  HoldNotExpired: { holdId: string; expiresAt: Timestamp; at: Timestamp };
  HoldAlreadyCaptured: { holdId: string; captured: bigint };
  CurrencyMismatch: { expected: string; actual: string };
  CaptureExceedsHold: { holdId: string; remaining: bigint; requested: bigint };
  RefundExceedsCaptured: { holdId: string; refundable: bigint; requested: bigint };
  RefundAlreadyIssued: { refundId: string };
  TransferAlreadyExists: { transferId: string };
  WalletHasOpenHolds: { walletId: string; openHolds: number };
  OverdraftLimitBelowDebt: InWallet & { available: bigint; limit: bigint };
  // merchants, authorisations, checkout, escrow, disputes (checkout-decisions.ts and neighbours)
  MerchantNotFound: { merchantId: string };
  MerchantAlreadyExists: { merchantId: string };
  FeeRateOutOfRange: { basisPoints: number };
  AgreementNotFound: { agreementId: string };
  AgreementAlreadyExists: { agreementId: string };
  AgreementRevoked: { agreementId: string };
  MerchantNotAuthorized: { walletId: string; merchantId: string; agreementId: string | undefined };
  PaymentCapExceeded: { agreementId: string; cap: bigint; requested: bigint };
  DailyCapExceeded: { agreementId: string; cap: bigint; usedToday: bigint; requested: bigint };
  OrderNotFound: { orderId: string };
  OrderAlreadyExists: { orderId: string };
  OrderAlreadyShipped: { orderId: string; protectionEndsAt: Timestamp };
  OrderNotShipped: { orderId: string };
  OrderNotCaptured: { orderId: string };
  OrderFullyRefunded: { orderId: string };
  OrderDisputed: { orderId: string; disputeId: string };
  HoldBelongsToOrder: { holdId: string; orderId: string };
  EscrowEmpty: { orderId: string };
  ProtectionWindowOpen: { orderId: string; protectionEndsAt: Timestamp; at: Timestamp };
  DisputeWindowClosed: { orderId: string; protectionEndsAt: Timestamp; at: Timestamp };
  DisputeNotFound: { disputeId: string };
  DisputeAlreadyExists: { disputeId: string };
  DisputeNotOpen: { disputeId: string; status: string };
  ReceiptAlreadyConfirmed: { orderId: string };
  OrderRefundExceedsCaptured: { orderId: string; refundable: bigint; requested: bigint };
  MerchantBalanceInsufficient: InMerchantBalance & { balance: bigint; requested: bigint };
  // funding sources
  FundingSourceNotFound: { sourceId: string };
  FundingSourceAlreadyExists: { sourceId: string };
  FundingSourceNotOwned: { sourceId: string; walletId: string };
  FundingSourceRemoved: { sourceId: string };
  FundingSourceUnverified: { sourceId: string };
  FundingSourceExpired: { sourceId: string; expiresAt: Timestamp; at: Timestamp };
  FundingSourceAlreadyVerified: { sourceId: string };
  VerificationMethodMismatch: { sourceId: string; kind: string };
  MicroDepositsNotSent: { sourceId: string };
  MicroDepositsAlreadySent: { sourceId: string };
  MicroDepositAttemptsExhausted: { sourceId: string; attemptsMax: number };
  // currency conversion
  FxQuoteNotFound: { quoteId: string };
  FxQuoteAlreadyExists: { quoteId: string };
  FxPairInvalid: { currency: string };
  RateInvalid: { rate: string; reason: string };
  QuoteExpired: { quoteId: string; expiresAt: Timestamp; at: Timestamp };
  ConversionAlreadyExists: { conversionId: string };
  ConversionTooSmall: { quoteId: string; amount: bigint };
  // limits and risk
  VerificationTierNotFound: { tierId: string };
  SpendingLimitsInconsistent: { tierId: string; currency: string };
  VelocityRuleInvalid: { windowMs: number; paymentCountMax: number; windowMsMax: number };
  SpendingLimitExceeded: InWallet & {
    period: "transaction" | "day";
    limit: bigint;
    used: bigint;
    requested: bigint;
  };
  // promotions
  PromotionNotFound: { promotionId: string };
  PromotionAlreadyExists: { promotionId: string };
  DiscountNotBelowPrice: { promotionId: string; discount: bigint; price: bigint };
  PromotionBudgetExhausted: { promotionId: string; remaining: bigint; requested: bigint };
  // merchant payouts
  PayoutScheduleNotSet: { merchantId: string };
  PayoutNotFound: { payoutId: string };
  PayoutAlreadyExists: { payoutId: string };
  PayoutBelowMinimum: InMerchantBalance & { balance: bigint; net: bigint; minimum: bigint };
  PayoutReserveHeld: { payoutId: string; reserveReleasesAt: Timestamp; at: Timestamp };
  PayoutReserveNotHeld: { payoutId: string };
  PayoutAlreadyReturned: { payoutId: string };
  // adjustments
  AdjustmentNotFound: { adjustmentId: string };
  AdjustmentAlreadyExists: { adjustmentId: string };
  AdjustmentEmpty: { adjustmentId: string };
  AdjustmentUnbalanced: { currency: string; sum: bigint };
  AdjustmentAccountNotAllowed: { account: string };
  AdjustmentNotProposed: { adjustmentId: string; status: string };
  AdjustmentNotPosted: { adjustmentId: string; status: string };
  ApproverIsProposer: { adjustmentId: string; operator: string };
  // settlements
  SettlementAlreadyExists: { settlementId: string };
  StrongAuthenticationRequired: InWallet & { threshold: bigint; requested: bigint };
}

export type RejectionTag = keyof RejectionData;

/** The rejection named `Tag`: its tag and its data, all read-only. */
export type RejectionOf<Tag extends RejectionTag> = Readonly<{ _tag: Tag } & RejectionData[Tag]>;

export type Rejection = { [Tag in RejectionTag]: RejectionOf<Tag> }[RejectionTag];

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
    case "SettlementAlreadyExists":
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
