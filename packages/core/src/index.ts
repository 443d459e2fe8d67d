/**
 * @pacioli/core — the pure domain of the Pacioli ledger: money, the chart of accounts,
 * postings, events and commands with their codecs, the decider, evolve and projections.
 * No clock, randomness or I/O: time and ids arrive on commands.
 */
export * from "./assertion.js";
export * from "./money/index.js";
export {
  formatTimestamp,
  parseTimestamp,
  MILLISECONDS_PER_DAY,
  MILLISECONDS_PER_HOUR,
} from "./time/timestamp.js";
export * from "./ledger/account.js";
export * from "./ledger/posting.js";
export * from "./ledger/entry.js";
export * from "./ledger/balances.js";
export { impliedPostingDisagreements } from "./ledger/implied-postings.js";
export * from "./codec/primitives.js";
export * from "./codec/request-text.js";
export * from "./codec/decode-error.js";
export * from "./codec/money-codec.js";
export * from "./codec/codec-context.js";
export * from "./events/ledger-event.js";
export * from "./commands/ledger-command.js";
export * from "./commands/command-request-json.js";
export * from "./journal/recorded-event.js";
export * from "./rejections/rejection.js";
export * from "./rejections/rejection-json.js";
export * from "./state/ledger-state.js";
export * from "./state/idempotency-table.js";
export * from "./state/wallet-balances.js";
export * from "./state/checkout-state.js";
export * from "./state/evolve.js";
export * from "./decider/decision.js";
export * from "./decider/decide.js";
export * from "./decider/handle.js";
export * from "./projections/wallet-history.js";
export * from "./projections/trial-balance.js";
export * from "./projections/due-work.js";
export * from "./projections/merchant-balance-transactions.js";
export { checkoutPostings } from "./decider/checkout-decisions.js";
export {
  CHECKOUT_FEE_REVENUE,
  releaseFeeLines,
  feeToReturn,
  type FeeLine,
} from "./decider/checkout-fees.js";
export type {
  FeeRefundPolicy,
  PaymentInitiator,
  EscrowReleaseTrigger,
  DisputeOutcome,
} from "./codec/checkout-codecs.js";
export {
  MICRO_DEPOSIT_ATTEMPTS_MAX,
  type FundingSource,
  type FundingSourceStatus,
} from "./state/funding-state.js";
export type { FxQuote, FxState } from "./state/fx-state.js";
export {
  VELOCITY_WINDOW_MS_MAX,
  type RiskState,
  type SpendingLimit,
  type VelocityRule,
} from "./state/risk-state.js";
export {
  promotionRemaining,
  type OrderFunding,
  type Promotion,
} from "./state/checkout-funding-state.js";
export { priceConversion, grossForTarget, type FxPrice } from "./decider/fx-pricing.js";
export { FX_ROUNDING, type FxRounding } from "./events/fx-events.js";
export { RESERVE_DAYS_MAX } from "./commands/payout-commands.js";
export { PAYOUT_CLEARING, PAYOUT_FEE_REVENUE } from "./decider/payout-decisions.js";
export type { Adjustment, AdjustmentStatus, Payout, PayoutSchedule } from "./state/payout-state.js";
export type { FundingSourceKind } from "./events/funding-events.js";
