/**
 * A deliberately simple reference model of the ledger, written from the rules in
 * docs/reference/rejections.md and docs/recipes/ and not from the decider: no imports from
 * `decider/` or `state/`, no postings. Balances are plain per-wallet (per-merchant, per-order,
 * per-promotion…) numbers that each command updates by hand, so a model-based run that agrees
 * with the real ledger on every balance, hold and rejection tag is evidence from two
 * independent implementations (model-observation.ts names the accounts those numbers are).
 *
 * One function per command in `MODEL_COMMANDS`. To model a new command, add a function
 * that checks its rules in the documented precedence (returning `reject(tag)` at the first
 * rule broken) and only then changes the model, and register it in `MODEL_COMMANDS`.
 */
import type { CommandOf, LedgerCommand, LedgerCommandType } from "../commands/ledger-command.js";
import type { RejectionTag } from "../rejections/rejection.js";
import type { Timestamp } from "../time/timestamp.js";
import * as checkoutModel from "./reference-model-checkout.js";
import * as fundingModel from "./reference-model-funding.js";
import * as payoutModel from "./reference-model-payouts.js";
import * as treasuryModel from "./reference-model-treasury.js";
import {
  captureIntoEscrow,
  orderOf,
  receiptConfirmed,
  emptyCheckoutModel,
  type CheckoutModel,
} from "./reference-model-checkout.js";
import { returnFunding } from "./reference-model-funding.js";
import {
  accepted,
  add,
  debitRule,
  first,
  fundsRule,
  moneyRule,
  openHold,
  reject,
} from "./reference-model-rules.js";
import { emptyPayoutModel, type PayoutModel } from "./reference-model-payouts.js";
import {
  emptyTreasuryModel,
  withPaymentRules,
  type TreasuryModel,
} from "./reference-model-treasury.js";

// ---------------------------------------------------------------------------------------------
// model

export interface ModelWallet {
  status: "active" | "frozen" | "closed";
  /** What the holder can spend and what is set aside, per currency, in minor units. */
  readonly available: Map<string, bigint>;
  readonly held: Map<string, bigint>;
  readonly overdraftLimits: Map<string, bigint>;
}

export interface ModelHold {
  readonly walletId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly expiresAt: Timestamp;
  status: "open" | "captured" | "released" | "expired";
  authorized: bigint;
  captured: bigint;
  released: bigint;
  refunded: bigint;
  readonly refundIds: Set<string>;
  /** A checkout's hold: captures go to the order's escrow (reference-model-checkout.ts). */
  readonly orderId?: string;
}

export interface ModelLedger {
  readonly currencies: ReadonlySet<string>;
  readonly retentionMs: number;
  readonly wallets: Map<string, ModelWallet>;
  readonly holds: Map<string, ModelHold>;
  /** Transfer ids ever accepted. */
  readonly transferIds: Set<string>;
  /** What the platform owes each merchant, keyed `merchant|currency`. */
  readonly merchants: Map<string, bigint>;
  /** Net money that came in through each channel, keyed `channel|currency`. */
  readonly channels: Map<string, bigint>;
  /** Idempotency keys of accepted commands: digest and time first seen. */
  readonly keys: Map<string, { readonly digest: string; readonly at: Timestamp }>;
  /** Merchants, agreements, orders, disputes and fee revenue (reference-model-checkout.ts). */
  readonly checkout: CheckoutModel;
  /** Funding sources, FX quotes, limits and payment rules (reference-model-treasury.ts). */
  readonly treasury: TreasuryModel;
  /** Payout schedules, payouts, reserves and adjustments (reference-model-payouts.ts). */
  readonly payouts: PayoutModel;
}

export type ModelVerdict =
  { readonly kind: "accepted" } | { readonly kind: "rejected"; readonly tag: RejectionTag };
export type ModelOutcome = ModelVerdict | { readonly kind: "repeated" };

export type ModelCommand<K extends LedgerCommandType> = (
  ledger: ModelLedger,
  command: CommandOf<K>,
  at: Timestamp,
) => ModelVerdict;

export const MODEL_RETENTION_DEFAULT_MS = 24 * 60 * 60 * 1000;

export function emptyModel(
  currencies: Iterable<string>,
  retentionMs = MODEL_RETENTION_DEFAULT_MS,
): ModelLedger {
  return {
    currencies: new Set(currencies),
    retentionMs,
    wallets: new Map(),
    holds: new Map(),
    transferIds: new Set(),
    merchants: new Map(),
    channels: new Map(),
    keys: new Map(),
    checkout: emptyCheckoutModel(),
    treasury: emptyTreasuryModel(),
    payouts: emptyPayoutModel(),
  };
}

// ---------------------------------------------------------------------------------------------
// helpers

export const holdRemaining = (hold: ModelHold): bigint =>
  hold.authorized - hold.captured - hold.released;

// ---------------------------------------------------------------------------------------------
// one function per command

export const openWallet: ModelCommand<"OpenWallet"> = (ledger, command) => {
  if (ledger.wallets.has(command.walletId)) return reject("WalletAlreadyExists");
  ledger.wallets.set(command.walletId, {
    status: "active",
    available: new Map(),
    held: new Map(),
    overdraftLimits: new Map(),
  });
  return accepted;
};

/**
 * Freezing and unfreezing: a wallet moves from one status to the other. A closed wallet is
 * refused as closed; one in neither status with the rejection that names where it already is.
 */
const walletStatusChange =
  (
    from: ModelWallet["status"],
    to: ModelWallet["status"],
    otherwise: RejectionTag,
  ): ModelCommand<"FreezeWallet" | "UnfreezeWallet"> =>
  (ledger, command) => {
    const wallet = ledger.wallets.get(command.walletId);
    if (wallet === undefined) return reject("WalletNotFound");
    if (wallet.status !== from)
      return reject(wallet.status === "closed" ? "WalletClosed" : otherwise);
    wallet.status = to;
    return accepted;
  };

export const freezeWallet = walletStatusChange("active", "frozen", "WalletFrozen");
export const unfreezeWallet = walletStatusChange("frozen", "active", "WalletNotFrozen");

export const closeWallet: ModelCommand<"CloseWallet"> = (ledger, command) => {
  const wallet = ledger.wallets.get(command.walletId);
  if (wallet === undefined) return reject("WalletNotFound");
  if (wallet.status === "closed") return reject("WalletClosed");
  const amounts = [...wallet.available.values(), ...wallet.held.values()];
  if (amounts.some((amount) => amount !== 0n)) return reject("WalletNotEmpty");
  const holds = [...ledger.holds.values()];
  if (holds.some((hold) => hold.walletId === command.walletId && hold.status === "open"))
    return reject("WalletHasOpenHolds");
  wallet.status = "closed";
  return accepted;
};

export const setOverdraftLimit: ModelCommand<"SetOverdraftLimit"> = (ledger, command) => {
  if (!ledger.currencies.has(command.limit.currency)) return reject("CurrencyUnknown");
  if (command.limit.amount < 0n) return reject("AmountNotPositive");
  const wallet = ledger.wallets.get(command.walletId);
  if (wallet === undefined) return reject("WalletNotFound");
  if (wallet.status === "closed") return reject("WalletClosed");
  if ((wallet.available.get(command.limit.currency) ?? 0n) < -command.limit.amount)
    return reject("OverdraftLimitBelowDebt");
  wallet.overdraftLimits.set(command.limit.currency, command.limit.amount);
  return accepted;
};

export const depositFunds: ModelCommand<"DepositFunds"> = (ledger, command) => {
  const wallet = ledger.wallets.get(command.walletId);
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () => (wallet?.status === "closed" ? "WalletClosed" : undefined),
  );
  if (broken !== undefined || wallet === undefined) return reject(broken ?? "WalletNotFound");
  add(wallet.available, command.amount.currency, command.amount.amount);
  add(ledger.channels, `${command.channel}|${command.amount.currency}`, command.amount.amount);
  return accepted;
};

export const withdrawFunds: ModelCommand<"WithdrawFunds"> = (ledger, command) => {
  const wallet = ledger.wallets.get(command.walletId);
  const { currency, amount } = command.amount;
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () => debitRule(wallet as ModelWallet),
    () => fundsRule(wallet as ModelWallet, currency, amount),
  );
  if (broken !== undefined || wallet === undefined) return reject(broken ?? "WalletNotFound");
  add(wallet.available, currency, -amount);
  add(ledger.channels, `${command.channel}|${currency}`, -amount);
  return accepted;
};

export const transferFunds: ModelCommand<"TransferFunds"> = (ledger, command) => {
  const source = ledger.wallets.get(command.fromWalletId);
  const target = ledger.wallets.get(command.toWalletId);
  const { currency, amount } = command.amount;
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (ledger.transferIds.has(command.transferId) ? "TransferAlreadyExists" : undefined),
    () => (source === undefined || target === undefined ? "WalletNotFound" : undefined),
    () => debitRule(source as ModelWallet),
    () => (target?.status === "closed" ? "WalletClosed" : undefined),
    () => (command.fromWalletId === command.toWalletId ? "SameWallet" : undefined),
    () => fundsRule(source as ModelWallet, currency, amount),
  );
  if (broken !== undefined || source === undefined || target === undefined)
    return reject(broken ?? "WalletNotFound");
  add(source.available, currency, -amount);
  add(target.available, currency, amount);
  ledger.transferIds.add(command.transferId);
  return accepted;
};

export const placeHold: ModelCommand<"PlaceHold"> = (ledger, command, at) => {
  const wallet = ledger.wallets.get(command.walletId);
  const { currency, amount } = command.amount;
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (ledger.holds.has(command.holdId) ? "HoldAlreadyExists" : undefined),
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () => debitRule(wallet as ModelWallet),
    () => (at >= command.expiresAt ? "HoldExpired" : undefined),
    () => fundsRule(wallet as ModelWallet, currency, amount),
  );
  if (broken !== undefined || wallet === undefined) return reject(broken ?? "WalletNotFound");
  add(wallet.available, currency, -amount);
  add(wallet.held, currency, amount);
  openHold(ledger, command);
  return accepted;
};

/** The hold must exist and be open: the first rules of every command on a hold but refunds. */
function openHoldRule(hold: ModelHold | undefined): RejectionTag | undefined {
  if (hold === undefined) return "HoldNotFound";
  if (hold.status !== "open") return "HoldNotOpen";
  return undefined;
}

export const increaseHold: ModelCommand<"IncreaseHold"> = (ledger, command, at) => {
  const hold = ledger.holds.get(command.holdId);
  const wallet = hold === undefined ? undefined : ledger.wallets.get(hold.walletId);
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => openHoldRule(hold),
    () => debitRule(wallet as ModelWallet),
    () => (at >= (hold as ModelHold).expiresAt ? "HoldExpired" : undefined),
    () =>
      command.amount.currency !== (hold as ModelHold).currency ? "CurrencyMismatch" : undefined,
    () => ((hold as ModelHold).captured > 0n ? "HoldAlreadyCaptured" : undefined),
    () => fundsRule(wallet as ModelWallet, command.amount.currency, command.amount.amount),
    // A promoted or converted checkout's price is fixed (recipe §5–6, rejections.md).
    () =>
      orderOf(ledger, hold?.orderId)?.funding !== undefined ? "HoldBelongsToOrder" : undefined,
  );
  if (broken !== undefined || hold === undefined || wallet === undefined)
    return reject(broken ?? "HoldNotFound");
  add(wallet.available, hold.currency, -command.amount.amount);
  add(wallet.held, hold.currency, command.amount.amount);
  hold.authorized += command.amount.amount;
  return accepted;
};

export const captureHold: ModelCommand<"CaptureHold"> = (ledger, command, at) => {
  const hold = ledger.holds.get(command.holdId);
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => openHoldRule(hold),
    () =>
      hold?.orderId !== undefined && receiptConfirmed(ledger, hold.orderId)
        ? "ReceiptAlreadyConfirmed"
        : undefined,
    () => (at >= (hold as ModelHold).expiresAt ? "HoldExpired" : undefined),
    () =>
      command.amount.currency !== (hold as ModelHold).currency ? "CurrencyMismatch" : undefined,
    () =>
      command.amount.amount > holdRemaining(hold as ModelHold) ? "CaptureExceedsHold" : undefined,
  );
  if (broken !== undefined || hold === undefined) return reject(broken ?? "HoldNotFound");
  const wallet = ledger.wallets.get(hold.walletId) as ModelWallet;
  const amount = command.amount.amount;
  add(wallet.held, hold.currency, -amount);
  if (hold.orderId === undefined)
    add(ledger.merchants, `${hold.merchantId}|${hold.currency}`, amount);
  else captureIntoEscrow(ledger, hold.orderId, amount);
  hold.captured += amount;
  if (command.final) {
    returnRemainder(ledger, wallet, hold);
    hold.status = "captured";
  }
  return accepted;
};

/** The rest of a hold back to the wallet; a funded checkout's share then goes back where it came from. */
function returnRemainder(ledger: ModelLedger, wallet: ModelWallet, hold: ModelHold): void {
  const remainder = holdRemaining(hold);
  add(wallet.held, hold.currency, -remainder);
  add(wallet.available, hold.currency, remainder);
  hold.released += remainder;
  const order = orderOf(ledger, hold.orderId);
  if (order !== undefined) returnFunding(ledger, order, remainder);
}

export const releaseHold: ModelCommand<"ReleaseHold"> = (ledger, command) => {
  const hold = ledger.holds.get(command.holdId);
  const broken =
    openHoldRule(hold) ??
    (ledger.wallets.get((hold as ModelHold).walletId)?.status === "closed"
      ? "WalletClosed"
      : undefined);
  if (broken !== undefined || hold === undefined) return reject(broken ?? "HoldNotFound");
  returnRemainder(ledger, ledger.wallets.get(hold.walletId) as ModelWallet, hold);
  hold.status = "released";
  return accepted;
};

export const expireHold: ModelCommand<"ExpireHold"> = (ledger, command, at) => {
  const hold = ledger.holds.get(command.holdId);
  const broken =
    openHoldRule(hold) ?? (at < (hold as ModelHold).expiresAt ? "HoldNotExpired" : undefined);
  if (broken !== undefined || hold === undefined) return reject(broken ?? "HoldNotFound");
  returnRemainder(ledger, ledger.wallets.get(hold.walletId) as ModelWallet, hold);
  hold.status = "expired";
  return accepted;
};

export const refundCapture: ModelCommand<"RefundCapture"> = (ledger, command) => {
  const hold = ledger.holds.get(command.holdId);
  const wallet = hold === undefined ? undefined : ledger.wallets.get(hold.walletId);
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (hold === undefined ? "HoldNotFound" : undefined),
    () => (hold?.orderId !== undefined ? "HoldBelongsToOrder" : undefined),
    () => (wallet?.status === "closed" ? "WalletClosed" : undefined),
    () => ((hold as ModelHold).refundIds.has(command.refundId) ? "RefundAlreadyIssued" : undefined),
    () =>
      command.amount.currency !== (hold as ModelHold).currency ? "CurrencyMismatch" : undefined,
    () =>
      command.amount.amount > (hold as ModelHold).captured - (hold as ModelHold).refunded
        ? "RefundExceedsCaptured"
        : undefined,
  );
  if (broken !== undefined || hold === undefined || wallet === undefined)
    return reject(broken ?? "HoldNotFound");
  add(ledger.merchants, `${hold.merchantId}|${hold.currency}`, -command.amount.amount);
  add(wallet.available, hold.currency, command.amount.amount);
  hold.refunded += command.amount.amount;
  hold.refundIds.add(command.refundId);
  return accepted;
};

/**
 * The modelled commands. Partial on purpose: a command family being added elsewhere compiles
 * before it is modelled, and `modelDecide` says loudly which command has no model yet.
 */
export const MODEL_COMMANDS: { readonly [K in LedgerCommandType]?: ModelCommand<K> } = {
  OpenWallet: openWallet,
  FreezeWallet: freezeWallet,
  UnfreezeWallet: unfreezeWallet,
  CloseWallet: closeWallet,
  SetOverdraftLimit: setOverdraftLimit,
  DepositFunds: depositFunds,
  WithdrawFunds: withdrawFunds,
  TransferFunds: transferFunds,
  PlaceHold: placeHold,
  IncreaseHold: increaseHold,
  CaptureHold: captureHold,
  ReleaseHold: releaseHold,
  ExpireHold: expireHold,
  RefundCapture: refundCapture,
  RegisterMerchant: checkoutModel.registerMerchant,
  SetMerchantNegativeBalance: checkoutModel.setMerchantNegativeBalance,
  SetFeeSchedule: checkoutModel.setFeeSchedule,
  AuthorizeMerchant: checkoutModel.authorizeMerchant,
  RevokeAuthorization: checkoutModel.revokeAuthorization,
  Checkout: checkoutModel.checkout,
  ShipOrder: checkoutModel.shipOrder,
  ConfirmReceipt: checkoutModel.confirmReceipt,
  ReleaseEscrow: checkoutModel.releaseEscrow,
  OpenDispute: checkoutModel.openDispute,
  ResolveDisputeForBuyer: checkoutModel.resolveDisputeForBuyer,
  ResolveDisputeForMerchant: checkoutModel.resolveDisputeForMerchant,
  RefundOrder: checkoutModel.refundOrder,
  CreatePromotion: fundingModel.createPromotion,
  LinkCard: treasuryModel.linkCard,
  LinkBankAccount: treasuryModel.linkBankAccount,
  VerifyCard: treasuryModel.verifyCard,
  SendMicroDeposits: treasuryModel.sendMicroDeposits,
  ConfirmMicroDeposits: treasuryModel.confirmMicroDeposits,
  RemoveFundingSource: treasuryModel.removeFundingSource,
  TopUpWallet: treasuryModel.topUpWallet,
  WithdrawToFundingSource: treasuryModel.withdrawToFundingSource,
  QuoteFx: treasuryModel.quoteFx,
  ConvertCurrency: treasuryModel.convertCurrency,
  DefineVerificationTier: treasuryModel.defineVerificationTier,
  AssignVerificationTier: treasuryModel.assignVerificationTier,
  SetVelocityRule: treasuryModel.setVelocityRule,
  SetStrongAuthenticationThreshold: treasuryModel.setStrongAuthenticationThreshold,
  SetPayoutSchedule: payoutModel.setPayoutSchedule,
  PayOutMerchant: payoutModel.payOutMerchant,
  ReleasePayoutReserve: payoutModel.releasePayoutReserve,
  ReturnPayout: payoutModel.returnPayout,
  ProposeAdjustment: payoutModel.proposeAdjustment,
  ApproveAdjustment: payoutModel.approveAdjustment,
  ReverseAdjustment: payoutModel.reverseAdjustment,
  RecordSettlement: payoutModel.recordSettlement,
};

// ---------------------------------------------------------------------------------------------
// running

export function modelDecide(
  ledger: ModelLedger,
  command: LedgerCommand,
  at: Timestamp,
): ModelVerdict {
  const model = MODEL_COMMANDS[command.type] as ModelCommand<LedgerCommandType> | undefined;
  if (model === undefined)
    throw new Error(`the reference model has no function for ${command.type}`);
  return withPaymentRules(ledger, command, at, (target) => model(target, command as never, at));
}

/** Idempotency first (a live key with the same digest repeats, another digest is refused), then the rules. */
export function modelSubmit(
  ledger: ModelLedger,
  request: { key: string; digest: string; at: Timestamp; command: LedgerCommand },
): ModelOutcome {
  const seen = ledger.keys.get(request.key);
  if (seen !== undefined && request.at - seen.at < ledger.retentionMs) {
    return seen.digest === request.digest ? { kind: "repeated" } : reject("IdempotencyKeyReused");
  }
  const verdict = modelDecide(ledger, request.command, request.at);
  if (verdict.kind === "accepted")
    ledger.keys.set(request.key, { digest: request.digest, at: request.at });
  return verdict;
}
