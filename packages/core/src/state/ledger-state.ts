/**
 * The state of one ledger partition: everything `decide` needs, and nothing it does not.
 * Owned by a single writer and updated in place by `evolve` (see ADR 0002): copying maps
 * per event would cost more than the decision itself.
 */
import type { Account } from "../ledger/account.js";
import { walletAvailableAccount, walletHeldAccount } from "../ledger/account.js";
import type { Balances } from "../ledger/balances.js";
import { iso4217, type CurrencyRegistry } from "../money/index.js";
import type { Timestamp } from "../time/timestamp.js";
import type { Agreement, Dispute, Merchant, Order } from "./checkout-state.js";
import { initialFxState, type FxState } from "./fx-state.js";
import type { FundingSource } from "./funding-state.js";
import { IdempotencyTable } from "./idempotency-table.js";
import type { OrderFunding, Promotion } from "./checkout-funding-state.js";
import { initialRiskState, type RiskState } from "./risk-state.js";
import type { Adjustment, Payout, PayoutSchedule } from "./payout-state.js";
import { AssertionFailure } from "../assertion.js";

export type WalletStatus = "active" | "frozen" | "closed";

export interface Wallet {
  readonly id: string;
  readonly ownerId: string;
  status: WalletStatus;
  frozenReason: string | undefined;
  /** Account addresses, built once: the hot path never concatenates them again. */
  readonly availableAccount: Account;
  readonly heldAccount: Account;
  /** How far below zero the available balance may go, per currency (absent = 0). */
  overdraftLimits: Map<string, bigint> | undefined;
  /** Holds on this wallet still open (a wallet closes only with none, even empty ones). */
  openHolds: number;
}

export type HoldStatus = "open" | "captured" | "released" | "expired";

export interface Hold {
  readonly id: string;
  readonly walletId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly expiresAt: Timestamp;
  status: HoldStatus;
  /** Placed amount plus increments. */
  authorized: bigint;
  captured: bigint;
  /** Returned to the wallet by a final capture, a release or expiry. */
  released: bigint;
  refunded: bigint;
  refundIds: Set<string> | undefined;
  /** Set for a checkout's hold: its captures go to the order's escrow, not to the merchant. */
  readonly orderId?: string;
}

/** What is still held: authorised less captured and released. */
export const holdRemaining = (hold: Hold): bigint =>
  hold.authorized - hold.captured - hold.released;

export interface LedgerState {
  readonly registry: CurrencyRegistry;
  /** Sequence of the last event folded in (0 for an empty ledger). */
  sequence: number;
  lastRecordedAt: Timestamp;
  readonly wallets: Map<string, Wallet>;
  readonly holds: Map<string, Hold>;
  /** Transfer ids ever used: like every other entity id, never reused. */
  readonly transferIds: Set<string>;
  readonly merchants: Map<string, Merchant>;
  readonly agreements: Map<string, Agreement>;
  readonly orders: Map<string, Order>;
  readonly disputes: Map<string, Dispute>;
  readonly fundingSources: Map<string, FundingSource>;
  readonly fx: FxState;
  readonly risk: RiskState;
  readonly promotions: Map<string, Promotion>;
  readonly orderFunding: Map<string, OrderFunding>;
  /** Per merchant: one schedule, replaced by setting it again. */
  readonly payoutSchedules: Map<string, PayoutSchedule>;
  readonly payouts: Map<string, Payout>;
  readonly adjustments: Map<string, Adjustment>;
  readonly balances: Balances;
  readonly idempotency: IdempotencyTable;
}

export interface LedgerOptions {
  readonly registry?: CurrencyRegistry;
  readonly idempotencyRetentionMs?: number;
  /**
   * Idempotency keys held in memory at most (default: all of the window). An engine whose
   * store keeps the window bounds it (ADR 0011) and looks the others up before deciding.
   */
  readonly idempotencyHotSetMax?: number;
}

export function initialState(options: LedgerOptions = {}): LedgerState {
  return {
    registry: options.registry ?? iso4217,
    sequence: 0,
    lastRecordedAt: 0,
    wallets: new Map(),
    holds: new Map(),
    transferIds: new Set(),
    merchants: new Map(),
    agreements: new Map(),
    orders: new Map(),
    disputes: new Map(),
    fundingSources: new Map(),
    fx: initialFxState(),
    risk: initialRiskState(),
    promotions: new Map(),
    orderFunding: new Map(),
    payoutSchedules: new Map(),
    payouts: new Map(),
    adjustments: new Map(),
    balances: new Map(),
    idempotency: new IdempotencyTable(options.idempotencyRetentionMs, options.idempotencyHotSetMax),
  };
}

export function newWallet(id: string, ownerId: string): Wallet {
  return {
    id,
    ownerId,
    status: "active",
    frozenReason: undefined,
    availableAccount: walletAvailableAccount(id),
    heldAccount: walletHeldAccount(id),
    overdraftLimits: undefined,
    openHolds: 0,
  };
}

/** Counts a hold opened on a wallet (placed, or a checkout's). */
export function holdOpened(state: LedgerState, walletId: string): void {
  const wallet = state.wallets.get(walletId);
  if (wallet === undefined) throw new AssertionFailure(`hold on unknown wallet ${walletId}`);
  wallet.openHolds += 1;
}

/** Counts a hold closed (final capture, release, expiry). */
export function holdClosed(state: LedgerState, hold: Hold): void {
  const wallet = state.wallets.get(hold.walletId);
  if (wallet === undefined || wallet.openHolds <= 0)
    throw new AssertionFailure(`closing hold ${hold.id} with no open hold counted on its wallet`);
  wallet.openHolds -= 1;
}

/** A hold as it is placed: everything authorised, nothing captured, released or refunded. */
export function newHold(
  placed: {
    readonly holdId: string;
    readonly walletId: string;
    readonly merchantId: string;
    readonly amount: { readonly currency: string; readonly amount: bigint };
    readonly expiresAt: Timestamp;
  },
  orderId?: string,
): Hold {
  const hold: Hold = {
    id: placed.holdId,
    walletId: placed.walletId,
    merchantId: placed.merchantId,
    currency: placed.amount.currency,
    expiresAt: placed.expiresAt,
    status: "open",
    authorized: placed.amount.amount,
    captured: 0n,
    released: 0n,
    refunded: 0n,
    refundIds: undefined,
  };
  return orderId === undefined ? hold : { ...hold, orderId };
}
