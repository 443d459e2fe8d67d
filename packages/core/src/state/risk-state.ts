/**
 * What limit and risk decisions remember: tiers, which wallet is on which tier, the velocity
 * rule, strong-authentication thresholds, what each wallet spent on its latest UTC day, and
 * its recent payments while a velocity rule is in force.
 *
 * Each piece is kept only as long as a rule can ask for it (ADR 0007):
 * - per-day limits need one total per wallet and currency for the current UTC day, never a
 *   list of payments;
 * - the velocity rule needs the payments of its window. They are recorded only while a rule
 *   is in force and kept for `PAYMENT_HISTORY_MS` (the longest window allowed), pruned as
 *   new ones arrive. A rule therefore counts the payments recorded since a velocity rule was
 *   first set, not those before: a ledger without one (most of them) keeps no payment list,
 *   and one with a rule keeps at most a week of it.
 */
import type { EventOf } from "../events/ledger-event.js";
import { MILLISECONDS_PER_DAY, utcDay, type Timestamp } from "../time/timestamp.js";
import type { LedgerState } from "./ledger-state.js";
import type { PaymentFact } from "./payments.js";

/** The longest velocity window a rule may use: a week. */
export const VELOCITY_WINDOW_MS_MAX = 7 * MILLISECONDS_PER_DAY;
export const PAYMENT_HISTORY_MS = VELOCITY_WINDOW_MS_MAX;

export interface SpendingLimit {
  readonly perTransaction: bigint;
  readonly perDay: bigint;
}

export interface VelocityRule {
  readonly windowMs: number;
  readonly paymentCountMax: number;
  /** Per currency; a currency absent here has no value bound. */
  readonly valueMax: Map<string, bigint>;
}

export interface PaymentRecord {
  readonly at: Timestamp;
  readonly currency: string;
  readonly amount: bigint;
  /** False for a hold increase: more value, but not another payment. */
  readonly counted: boolean;
}

/** What a wallet spent on one UTC day, per currency. */
export interface DaySpending {
  day: number;
  readonly byCurrency: Map<string, bigint>;
}

export interface RiskState {
  /** Tier → currency → limits. */
  readonly tiers: Map<string, Map<string, SpendingLimit>>;
  readonly walletTiers: Map<string, string>;
  velocity: VelocityRule | undefined;
  readonly strongAuthenticationThresholds: Map<string, bigint>;
  /** Wallet → its spending on the UTC day of its latest payment. */
  readonly daySpending: Map<string, DaySpending>;
  /** Wallet → payments recorded while a velocity rule was in force, oldest first. */
  readonly payments: Map<string, PaymentRecord[]>;
}

export const initialRiskState = (): RiskState => ({
  tiers: new Map(),
  walletTiers: new Map(),
  velocity: undefined,
  strongAuthenticationThresholds: new Map(),
  daySpending: new Map(),
  payments: new Map(),
});

export type RiskEvent = EventOf<
  | "VerificationTierDefined"
  | "VerificationTierAssigned"
  | "VelocityRuleSet"
  | "StrongAuthenticationThresholdSet"
>;

export function applyRiskEvent(state: LedgerState, event: RiskEvent): void {
  const risk = state.risk;
  switch (event.type) {
    case "VerificationTierDefined":
      risk.tiers.set(
        event.tierId,
        new Map(
          event.limits.map((limit) => [
            limit.perDay.currency,
            { perTransaction: limit.perTransaction.amount, perDay: limit.perDay.amount },
          ]),
        ),
      );
      return;
    case "VerificationTierAssigned":
      risk.walletTiers.set(event.walletId, event.tierId);
      return;
    case "VelocityRuleSet":
      risk.velocity = {
        windowMs: event.windowMs,
        paymentCountMax: event.paymentCountMax,
        valueMax: new Map(event.valueMax.map((money) => [money.currency, money.amount])),
      };
      return;
    case "StrongAuthenticationThresholdSet":
      risk.strongAuthenticationThresholds.set(event.threshold.currency, event.threshold.amount);
      return;
  }
}

/** Remembers what a recorded payment counts toward: the day's total, and the velocity rule if one is in force. */
export function rememberPayment(state: LedgerState, payment: PaymentFact, at: Timestamp): void {
  addToDaySpending(state.risk.daySpending, payment, at);
  if (state.risk.velocity !== undefined) recordForVelocity(state.risk.payments, payment, at);
}

function addToDaySpending(
  spending: Map<string, DaySpending>,
  payment: PaymentFact,
  at: Timestamp,
): void {
  const day = utcDay(at);
  let wallet = spending.get(payment.walletId);
  if (wallet === undefined) {
    wallet = { day, byCurrency: new Map() };
    spending.set(payment.walletId, wallet);
  } else if (day > wallet.day) {
    wallet.day = day;
    wallet.byCurrency.clear();
  } else if (day < wallet.day) {
    // Dated before the wallet's latest day (the engine's monotonic clock never does this):
    // it does not count toward that later day, and its own day is over for the rules.
    return;
  }
  const currency = payment.money.currency;
  wallet.byCurrency.set(currency, (wallet.byCurrency.get(currency) ?? 0n) + payment.money.amount);
}

/** Appends the payment, dropping the wallet's records too old for any window. */
function recordForVelocity(
  payments: Map<string, PaymentRecord[]>,
  payment: PaymentFact,
  at: Timestamp,
): void {
  let records = payments.get(payment.walletId);
  if (records === undefined) {
    records = [];
    payments.set(payment.walletId, records);
  }
  const cutoff = at - PAYMENT_HISTORY_MS;
  let stale = 0;
  while (stale < records.length && (records[stale] as PaymentRecord).at <= cutoff) stale += 1;
  if (stale > 0) records.splice(0, stale);
  records.push({
    at,
    currency: payment.money.currency,
    amount: payment.money.amount,
    counted: payment.isNewPayment,
  });
}

/** What a wallet has spent in a currency on the UTC day of `at`. */
export function spentOnDay(
  state: LedgerState,
  walletId: string,
  currency: string,
  at: Timestamp,
): bigint {
  const wallet = state.risk.daySpending.get(walletId);
  return wallet !== undefined && wallet.day === utcDay(at)
    ? (wallet.byCurrency.get(currency) ?? 0n)
    : 0n;
}
