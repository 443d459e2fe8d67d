/**
 * Rules every payment obeys, whichever command made it: strong customer authentication
 * above a threshold, the spending limits of the wallet's verification tier, and the
 * velocity rule. They run on what a decision would do (its payment events, see
 * `state/payments.ts`), after the command's own rules, so they sit last in the precedence:
 * a payment that could not happen anyway reports that first.
 *
 * Velocity trips when a payment brings a wallet above the rule's count or value within the
 * window. That payment is accepted, and `WalletFrozen` is recorded with it, atomically.
 * Refusing it instead is not possible here: a rejection records nothing (ADR 0002), so the
 * freeze, which is the point of the rule, would be lost, and the next attempt would find the
 * wallet as open as before. Accepting one payment at the boundary is bounded: it still
 * passed the tier's per-transaction limit and strong authentication, and a hold it placed
 * can be released by the reviewer who unfreezes the wallet. From then on, no new payment or
 * withdrawal leaves the wallet until `UnfreezeWallet`.
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import type { Rejection } from "../rejections/rejection.js";
import type { LedgerState } from "../state/ledger-state.js";
import { paymentOf, type PaymentFact } from "../state/payments.js";
import { spentOnDay, type PaymentRecord } from "../state/risk-state.js";
import type { Timestamp } from "../time/timestamp.js";
import { accepted, rejected, type Decision } from "./decision.js";

const NO_PAYMENTS: readonly PaymentRecord[] = [];

const statesStrongAuthentication = (command: LedgerCommand): boolean =>
  "strongAuthentication" in command && command.strongAuthentication === true;

function checkStrongAuthentication(
  state: LedgerState,
  payment: PaymentFact,
  authenticated: boolean,
): Rejection | undefined {
  const threshold = state.risk.strongAuthenticationThresholds.get(payment.money.currency);
  if (authenticated || threshold === undefined || payment.transactionTotal <= threshold)
    return undefined;
  return {
    _tag: "StrongAuthenticationRequired",
    walletId: payment.walletId,
    currency: payment.money.currency,
    threshold,
    requested: payment.transactionTotal,
  };
}

function checkSpendingLimits(
  state: LedgerState,
  payment: PaymentFact,
  at: Timestamp,
): Rejection | undefined {
  const tierId = state.risk.walletTiers.get(payment.walletId);
  const limit =
    tierId === undefined ? undefined : state.risk.tiers.get(tierId)?.get(payment.money.currency);
  if (limit === undefined) return undefined;
  const { walletId, money } = payment;
  if (payment.transactionTotal > limit.perTransaction) {
    const used = payment.transactionTotal - money.amount;
    return {
      _tag: "SpendingLimitExceeded",
      walletId,
      currency: money.currency,
      period: "transaction",
      limit: limit.perTransaction,
      used,
      requested: money.amount,
    };
  }
  const used = spentOnDay(state, walletId, money.currency, at);
  if (used + money.amount <= limit.perDay) return undefined;
  return {
    _tag: "SpendingLimitExceeded",
    walletId,
    currency: money.currency,
    period: "day",
    limit: limit.perDay,
    used,
    requested: money.amount,
  };
}

/** Why the payment trips the velocity rule, or undefined when it does not. */
function velocityBreach(
  state: LedgerState,
  payment: PaymentFact,
  at: Timestamp,
): string | undefined {
  const rule = state.risk.velocity;
  if (rule === undefined) return undefined;
  // One pass over the wallet's recent payments (those after `at - window`), no copies.
  const since = at - rule.windowMs;
  const currency = payment.money.currency;
  let count = payment.isNewPayment ? 1 : 0;
  let value = payment.money.amount;
  for (const record of state.risk.payments.get(payment.walletId) ?? NO_PAYMENTS) {
    if (record.at <= since) continue;
    if (record.counted) count += 1;
    if (record.currency === currency) value += record.amount;
  }
  if (count > rule.paymentCountMax)
    return `velocity rule: ${count} payments within ${rule.windowMs} ms (at most ${rule.paymentCountMax})`;
  const valueMax = rule.valueMax.get(currency);
  if (valueMax === undefined) return undefined;
  return value > valueMax
    ? `velocity rule: ${value} minor units of ${currency} within ${rule.windowMs} ms (at most ${valueMax})`
    : undefined;
}

/** The decision with the payment rules applied: a rejection, or the events plus any freeze. */
export function applyPaymentRules(
  state: LedgerState,
  command: LedgerCommand,
  at: Timestamp,
  decision: Decision,
): Decision {
  if (decision._tag === "Left") return decision;
  // No threshold, no tier assigned and no velocity rule: no payment can be refused or freeze.
  const risk = state.risk;
  if (
    risk.velocity === undefined &&
    risk.walletTiers.size === 0 &&
    risk.strongAuthenticationThresholds.size === 0
  )
    return decision;
  const payments: PaymentFact[] = [];
  for (const event of decision.right) {
    const payment = paymentOf(state, event);
    if (payment !== undefined) payments.push(payment);
  }
  if (payments.length === 0) return decision;
  const authenticated = statesStrongAuthentication(command);
  for (const payment of payments) {
    const broken =
      checkStrongAuthentication(state, payment, authenticated) ??
      checkSpendingLimits(state, payment, at);
    if (broken !== undefined) return rejected(broken);
  }
  const freezes: LedgerEvent[] = [];
  for (const payment of payments) {
    const reason = velocityBreach(state, payment, at);
    if (
      reason !== undefined &&
      !freezes.some((event) => event.type === "WalletFrozen" && event.walletId === payment.walletId)
    ) {
      freezes.push({ type: "WalletFrozen", walletId: payment.walletId, reason, postings: [] });
    }
  }
  return freezes.length === 0 ? decision : accepted(...decision.right, ...freezes);
}
