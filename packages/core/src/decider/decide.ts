/**
 * `decide(state, command, at)`: the pure heart of the ledger. Reads the state, never changes
 * it, and returns either the rejection named after the rule broken or the events to record.
 * Every event it returns balances; `decide` asserts so before returning.
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import { assertBalanced } from "../ledger/entry.js";
import { absurd } from "../rejections/rejection.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";
import type { Decision } from "./decision.js";
import { checkout } from "./checkout-decisions.js";
import {
  openDispute,
  resolveDisputeForBuyer,
  resolveDisputeForMerchant,
} from "./dispute-decisions.js";
import { confirmReceipt, refundOrder, releaseEscrow, shipOrder } from "./escrow-decisions.js";
import {
  authorizeMerchant,
  registerMerchant,
  revokeAuthorization,
  setFeeSchedule,
  setMerchantNegativeBalance,
} from "./merchant-decisions.js";
import {
  captureHold,
  expireHold,
  increaseHold,
  placeHold,
  refundCapture,
  releaseHold,
} from "./hold-decisions.js";
import {
  confirmMicroDeposits,
  linkBankAccount,
  linkCard,
  removeFundingSource,
  sendMicroDeposits,
  topUpWallet,
  verifyCard,
  withdrawToFundingSource,
} from "./funding-decisions.js";
import { convertCurrency, quoteFx } from "./fx-decisions.js";
import {
  assignVerificationTier,
  defineVerificationTier,
  setStrongAuthenticationThreshold,
  setVelocityRule,
} from "./limit-decisions.js";
import { applyPaymentRules } from "./payment-rules.js";
import { returnCheckoutFunding } from "./checkout-funding.js";
import { createPromotion } from "./promotion-decisions.js";
import {
  payOutMerchant,
  releasePayoutReserve,
  returnPayout,
  setPayoutSchedule,
} from "./payout-decisions.js";
import { approveAdjustment, proposeAdjustment, reverseAdjustment } from "./adjustment-decisions.js";
import { recordSettlement } from "./settlement-decisions.js";
import {
  closeWallet,
  depositFunds,
  freezeWallet,
  openWallet,
  setOverdraftLimit,
  transferFunds,
  unfreezeWallet,
  withdrawFunds,
} from "./wallet-decisions.js";

/**
 * What a decision goes through, in the order it runs. Each stage sees the decision so far: a
 * rejection passes through untouched, accepted events may be refused or followed by more.
 */
type DecisionStage = (
  state: LedgerState,
  command: LedgerCommand,
  at: Timestamp,
  decision: Decision,
) => Decision;

export const DECISION_STAGES: readonly DecisionStage[] = [
  // 1. The command's own rules (one decider per command family).
  (state, command, at) => route(state, command, at),
  // 2. Money a promotion or a conversion paid into an order goes back where it came from
  //    when the order is refunded (appends CheckoutFundingReturned).
  returnCheckoutFunding,
  // 3. Strong authentication, tier limits and velocity: may refuse a payment or append the
  //    freeze of a wallet that went over its velocity rule.
  applyPaymentRules,
  // 4. Every event balances per currency: a bug if not, so an assertion, not a rejection.
  assertEveryEventBalances,
];

export function decide(state: LedgerState, command: LedgerCommand, at: Timestamp): Decision {
  let decision: Decision = { _tag: "Right", right: [] };
  for (const stage of DECISION_STAGES) decision = stage(state, command, at, decision);
  return decision;
}

function assertEveryEventBalances(
  _state: LedgerState,
  _command: LedgerCommand,
  _at: Timestamp,
  decision: Decision,
): Decision {
  if (decision._tag === "Right")
    for (const event of decision.right) assertBalanced(event.postings, event.type);
  return decision;
}

function route(state: LedgerState, command: LedgerCommand, at: Timestamp): Decision {
  switch (command.type) {
    case "OpenWallet":
      return openWallet(state, command, at);
    case "FreezeWallet":
      return freezeWallet(state, command, at);
    case "UnfreezeWallet":
      return unfreezeWallet(state, command, at);
    case "CloseWallet":
      return closeWallet(state, command, at);
    case "SetOverdraftLimit":
      return setOverdraftLimit(state, command, at);
    case "DepositFunds":
      return depositFunds(state, command, at);
    case "WithdrawFunds":
      return withdrawFunds(state, command, at);
    case "TransferFunds":
      return transferFunds(state, command, at);
    case "PlaceHold":
      return placeHold(state, command, at);
    case "IncreaseHold":
      return increaseHold(state, command, at);
    case "CaptureHold":
      return captureHold(state, command, at);
    case "ReleaseHold":
      return releaseHold(state, command, at);
    case "ExpireHold":
      return expireHold(state, command, at);
    case "RefundCapture":
      return refundCapture(state, command, at);
    case "RegisterMerchant":
      return registerMerchant(state, command, at);
    case "SetMerchantNegativeBalance":
      return setMerchantNegativeBalance(state, command, at);
    case "SetFeeSchedule":
      return setFeeSchedule(state, command, at);
    case "AuthorizeMerchant":
      return authorizeMerchant(state, command, at);
    case "RevokeAuthorization":
      return revokeAuthorization(state, command, at);
    case "Checkout":
      return checkout(state, command, at);
    case "ShipOrder":
      return shipOrder(state, command, at);
    case "ConfirmReceipt":
      return confirmReceipt(state, command, at);
    case "ReleaseEscrow":
      return releaseEscrow(state, command, at);
    case "OpenDispute":
      return openDispute(state, command, at);
    case "ResolveDisputeForBuyer":
      return resolveDisputeForBuyer(state, command, at);
    case "ResolveDisputeForMerchant":
      return resolveDisputeForMerchant(state, command, at);
    case "RefundOrder":
      return refundOrder(state, command, at);
    case "LinkCard":
      return linkCard(state, command, at);
    case "LinkBankAccount":
      return linkBankAccount(state, command, at);
    case "VerifyCard":
      return verifyCard(state, command, at);
    case "SendMicroDeposits":
      return sendMicroDeposits(state, command, at);
    case "ConfirmMicroDeposits":
      return confirmMicroDeposits(state, command, at);
    case "RemoveFundingSource":
      return removeFundingSource(state, command, at);
    case "TopUpWallet":
      return topUpWallet(state, command, at);
    case "WithdrawToFundingSource":
      return withdrawToFundingSource(state, command, at);
    case "QuoteFx":
      return quoteFx(state, command, at);
    case "ConvertCurrency":
      return convertCurrency(state, command, at);
    case "DefineVerificationTier":
      return defineVerificationTier(state, command, at);
    case "AssignVerificationTier":
      return assignVerificationTier(state, command, at);
    case "SetVelocityRule":
      return setVelocityRule(state, command, at);
    case "SetStrongAuthenticationThreshold":
      return setStrongAuthenticationThreshold(state, command, at);
    case "CreatePromotion":
      return createPromotion(state, command, at);
    case "SetPayoutSchedule":
      return setPayoutSchedule(state, command, at);
    case "PayOutMerchant":
      return payOutMerchant(state, command, at);
    case "ReleasePayoutReserve":
      return releasePayoutReserve(state, command, at);
    case "ReturnPayout":
      return returnPayout(state, command, at);
    case "ProposeAdjustment":
      return proposeAdjustment(state, command, at);
    case "ApproveAdjustment":
      return approveAdjustment(state, command, at);
    case "ReverseAdjustment":
      return reverseAdjustment(state, command, at);
    case "RecordSettlement":
      return recordSettlement(state, command, at);
    default:
      return absurd(command);
  }
}
