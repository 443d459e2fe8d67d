/**
 * `evolve(state, recorded)`: folds one recorded event into the state, in place, and returns
 * it. Money moves only through the postings the event carries, which are asserted to
 * balance; entity fields (statuses, hold totals) follow the event's own fields.
 *
 * Everything here is an assertion, never a rejection: an event is a fact, and a fact that
 * breaks an invariant means a bug or a tampered stream, which must stop the fold loudly.
 */
import { knownEntity } from "./known-entity.js";
import type { EventOf, LedgerEvent } from "../events/ledger-event.js";
import { applyPostings } from "../ledger/balances.js";
import { assertBalanced } from "../ledger/entry.js";
import type { RecordedEvent } from "../journal/recorded-event.js";
import { absurd } from "../rejections/rejection.js";
import { applyCheckoutFact } from "./checkout-evolve.js";
import type { Timestamp } from "../time/timestamp.js";
import { holdClosed, holdOpened, newHold, newWallet, type LedgerState } from "./ledger-state.js";
import { applyFundingEvent } from "./funding-state.js";
import { applyFxEvent } from "./fx-state.js";
import { paymentOf } from "./payments.js";
import { applyRiskEvent, rememberPayment } from "./risk-state.js";
import {
  applyFundingReturned,
  applyPromotionCreated,
  rememberBuyerCredit,
  rememberCheckoutFunding,
} from "./checkout-funding-state.js";
import { applyAdjustmentEvent, applyPayoutEvent } from "./payout-state.js";
import { AssertionFailure } from "../assertion.js";

export function evolve(state: LedgerState, recorded: RecordedEvent): LedgerState {
  if (recorded.sequence !== state.sequence + 1) {
    throw new AssertionFailure(`event ${recorded.sequence} folded after ${state.sequence}`);
  }
  const event = recorded.event;
  assertBalanced(event.postings, `event ${recorded.sequence} (${event.type})`);
  applyPostings(state.balances, event.postings);
  // Read before the event's facts fold in, as `decide` read it (limits and velocity).
  const payment = paymentOf(state, event);
  if (payment !== undefined) rememberPayment(state, payment, recorded.recordedAt);
  rememberBuyerCredit(state, event);
  if (event.type === "CheckoutStarted") rememberCheckoutFunding(state, event);
  applyFacts(state, event, recorded.recordedAt);
  rememberCommand(state, recorded);
  state.sequence = recorded.sequence;
  if (recorded.recordedAt > state.lastRecordedAt) state.lastRecordedAt = recorded.recordedAt;
  return state;
}

function rememberCommand(state: LedgerState, recorded: RecordedEvent): void {
  if (recorded.indexInCommand !== 0) return;
  state.idempotency.expire(recorded.recordedAt);
  state.idempotency.addCommandOf(recorded);
}

function applyFacts(state: LedgerState, event: LedgerEvent, at: Timestamp): void {
  switch (event.type) {
    case "WalletOpened":
      state.wallets.set(event.walletId, newWallet(event.walletId, event.ownerId));
      return;
    case "WalletFrozen": {
      const frozen = knownEntity(state.wallets, event.walletId, "wallet");
      frozen.status = "frozen";
      frozen.frozenReason = event.reason;
      return;
    }
    case "WalletUnfrozen": {
      const unfrozen = knownEntity(state.wallets, event.walletId, "wallet");
      unfrozen.status = "active";
      unfrozen.frozenReason = undefined;
      return;
    }
    case "WalletClosed":
      knownEntity(state.wallets, event.walletId, "wallet").status = "closed";
      return;
    case "OverdraftLimitSet": {
      const limited = knownEntity(state.wallets, event.walletId, "wallet");
      (limited.overdraftLimits ??= new Map()).set(event.limit.currency, event.limit.amount);
      return;
    }
    case "FundsTransferred":
      state.transferIds.add(event.transferId);
      return;
    case "FundsDeposited":
    case "FundsWithdrawn":
      return; // money only: the postings said it all
    case "HoldPlaced":
      placeHold(state, event);
      return;
    case "HoldIncreased":
      knownEntity(state.holds, event.holdId, "hold").authorized += event.amount.amount;
      return;
    case "HoldCaptured": {
      const captured = knownEntity(state.holds, event.holdId, "hold");
      captured.captured += event.amount.amount;
      captured.released += event.released.amount;
      if (event.final) {
        captured.status = "captured";
        holdClosed(state, captured);
      }
      return;
    }
    case "HoldReleased":
    case "HoldExpired": {
      const closed = knownEntity(state.holds, event.holdId, "hold");
      closed.released += event.released.amount;
      closed.status = event.type === "HoldReleased" ? "released" : "expired";
      holdClosed(state, closed);
      return;
    }
    case "RefundIssued": {
      const refunded = knownEntity(state.holds, event.holdId, "hold");
      refunded.refunded += event.amount.amount;
      (refunded.refundIds ??= new Set()).add(event.refundId);
      return;
    }
    case "MerchantRegistered":
    case "MerchantNegativeBalanceSet":
    case "FeeScheduleSet":
    case "MerchantAuthorized":
    case "AuthorizationRevoked":
    case "CheckoutStarted":
    case "OrderShipped":
    case "EscrowReleased":
    case "DisputeOpened":
    case "DisputeResolved":
    case "OrderRefunded":
      applyCheckoutFact(state, event, at);
      return;
    case "FundingSourceLinked":
    case "MicroDepositsSent":
    case "MicroDepositsMismatched":
    case "FundingSourceVerified":
    case "FundingSourceRemoved":
      applyFundingEvent(state, event);
      return;
    case "WalletToppedUp":
    case "WithdrawnToFundingSource":
      return; // money only: the postings said it all
    case "FxQuoted":
    case "CurrencyConverted":
      applyFxEvent(state, event);
      return;
    case "VerificationTierDefined":
    case "VerificationTierAssigned":
    case "VelocityRuleSet":
    case "StrongAuthenticationThresholdSet":
      applyRiskEvent(state, event);
      return;
    case "PromotionCreated":
      applyPromotionCreated(state, event);
      return;
    case "CheckoutFundingReturned":
      applyFundingReturned(state, event);
      return;
    case "PayoutScheduleSet":
    case "MerchantPaidOut":
    case "PayoutReserveReleased":
    case "PayoutReturned":
      applyPayoutEvent(state, event);
      return;
    case "AdjustmentProposed":
    case "AdjustmentPosted":
    case "AdjustmentReversed":
      applyAdjustmentEvent(state, event);
      return;
    case "SettlementRecorded":
      state.settlements.set(event.settlementId, `${event.channel}|${event.reference}`);
      return;
    default:
      absurd(event);
  }
}

function placeHold(state: LedgerState, event: EventOf<"HoldPlaced">): void {
  state.holds.set(event.holdId, newHold(event));
  holdOpened(state, event.walletId);
}
