/**
 * What limit and risk decisions remember: tiers, which wallet is on which tier, the velocity
 * rule, strong-authentication thresholds, and each wallet's recent payments.
 *
 * Recent payments are kept for `PAYMENT_HISTORY_MS` (the longest velocity window allowed,
 * which also covers a UTC day), pruned as new ones arrive, so memory follows payment rate,
 * not ledger age. Per-day limits count from midnight UTC.
 */
import type { EventOf } from "../events/ledger-event.js";
import { MILLISECONDS_PER_DAY, type Timestamp } from "../time/timestamp.js";
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

export interface RiskState {
  /** Tier → currency → limits. */
  readonly tiers: Map<string, Map<string, SpendingLimit>>;
  readonly walletTiers: Map<string, string>;
  velocity: VelocityRule | undefined;
  readonly strongAuthenticationThresholds: Map<string, bigint>;
  readonly payments: Map<string, PaymentRecord[]>;
}

export const initialRiskState = (): RiskState => ({
  tiers: new Map(),
  walletTiers: new Map(),
  velocity: undefined,
  strongAuthenticationThresholds: new Map(),
  payments: new Map(),
});

export type RiskEvent = EventOf<"VerificationTierDefined" | "VerificationTierAssigned" | "VelocityRuleSet" | "StrongAuthenticationThresholdSet">;

export function applyRiskEvent(state: LedgerState, event: RiskEvent): void {
  const risk = state.risk;
  switch (event.type) {
    case "VerificationTierDefined":
      risk.tiers.set(event.tierId, new Map(event.limits.map((limit) => [limit.perDay.currency, { perTransaction: limit.perTransaction.amount, perDay: limit.perDay.amount }])));
      return;
    case "VerificationTierAssigned":
      risk.walletTiers.set(event.walletId, event.tierId);
      return;
    case "VelocityRuleSet":
      risk.velocity = { windowMs: event.windowMs, paymentCountMax: event.paymentCountMax, valueMax: new Map(event.valueMax.map((money) => [money.currency, money.amount])) };
      return;
    case "StrongAuthenticationThresholdSet":
      risk.strongAuthenticationThresholds.set(event.threshold.currency, event.threshold.amount);
      return;
  }
}

/** Remembers a payment a recorded event made, dropping those too old to matter. */
export function rememberPayment(state: LedgerState, payment: PaymentFact, at: Timestamp): void {
  let records = state.risk.payments.get(payment.walletId);
  if (records === undefined) {
    records = [];
    state.risk.payments.set(payment.walletId, records);
  }
  const cutoff = at - PAYMENT_HISTORY_MS;
  let stale = 0;
  while (stale < records.length && (records[stale] as PaymentRecord).at <= cutoff) stale += 1;
  if (stale > 0) records.splice(0, stale);
  records.push({ at, currency: payment.money.currency, amount: payment.money.amount, counted: payment.isNewPayment });
}

/** Payments of a wallet recorded after `since` (exclusive). */
export function paymentsSince(state: LedgerState, walletId: string, since: Timestamp): readonly PaymentRecord[] {
  return (state.risk.payments.get(walletId) ?? []).filter((record) => record.at > since);
}
