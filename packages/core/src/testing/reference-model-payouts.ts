/**
 * The reference model of merchant payouts and operator adjustments: one function per command,
 * written from docs/recipes/payouts-adjustments.md and the rejection precedence, not from the
 * decider. Merchant balances, reserves, payout fees and the bank channel are plain numbers each
 * function updates by hand; an adjustment's lines are read by their address only to know whose
 * money they move (a wallet's available funds, a merchant's balance, or another account).
 */
import type { RejectionTag } from "../rejections/rejection.js";
import type { Timestamp } from "../time/timestamp.js";
import type { ModelCommand, ModelLedger } from "./reference-model.js";
import { percentOf } from "./reference-model-checkout.js";
import { accepted, add, fundsRule, read, reject } from "./reference-model-rules.js";

const DAY_MS = 86_400_000;

interface ModelLine {
  readonly account: string;
  readonly currency: string;
  readonly amount: bigint;
}

export interface PayoutModel {
  readonly schedules: Map<
    string,
    {
      currency: string;
      fee: bigint;
      minimum: bigint;
      reserveBasisPoints: bigint;
      reserveDays: number;
      rounding: string;
    }
  >;
  readonly payouts: Map<
    string,
    {
      merchantId: string;
      currency: string;
      reserve: bigint;
      net: bigint;
      releasesAt: Timestamp;
      reserveHeld: boolean;
      returned: boolean;
    }
  >;
  /** What the platform holds back per merchant, keyed `merchant|currency`. */
  readonly reserves: Map<string, bigint>;
  /** Payout fee revenue per currency. */
  readonly fees: Map<string, bigint>;
  readonly adjustments: Map<
    string,
    { proposedBy: string; lines: ModelLine[]; status: "proposed" | "posted" | "reversed" }
  >;
  /** Accounts adjustments moved that are neither wallets nor merchants, keyed `account|currency`, signed. */
  readonly others: Map<string, bigint>;
  readonly settlements: Set<string>;
}

export const emptyPayoutModel = (): PayoutModel => ({
  schedules: new Map(),
  payouts: new Map(),
  reserves: new Map(),
  fees: new Map(),
  adjustments: new Map(),
  others: new Map(),
  settlements: new Set(),
});

const model = (ledger: ModelLedger): PayoutModel => ledger.payouts;

export const setPayoutSchedule: ModelCommand<"SetPayoutSchedule"> = (ledger, command) => {
  if (!ledger.currencies.has(command.fee.currency)) return reject("CurrencyUnknown");
  if (command.minimum.currency !== command.fee.currency) return reject("CurrencyMismatch");
  if (!ledger.checkout.merchants.has(command.merchantId)) return reject("MerchantNotFound");
  model(ledger).schedules.set(command.merchantId, {
    currency: command.fee.currency,
    fee: command.fee.amount,
    minimum: command.minimum.amount,
    reserveBasisPoints: BigInt(command.reserveBasisPoints),
    reserveDays: command.reserveDays,
    rounding: command.rounding,
  });
  return accepted;
};

export const payOutMerchant: ModelCommand<"PayOutMerchant"> = (ledger, command, at) => {
  if (model(ledger).payouts.has(command.payoutId)) return reject("PayoutAlreadyExists");
  if (!ledger.checkout.merchants.has(command.merchantId)) return reject("MerchantNotFound");
  const schedule = model(ledger).schedules.get(command.merchantId);
  if (schedule === undefined) return reject("PayoutScheduleNotSet");
  const key = `${command.merchantId}|${schedule.currency}`;
  const gross = read(ledger.merchants, key);
  const reserve =
    gross > 0n ? percentOf(gross, schedule.reserveBasisPoints, schedule.rounding) : 0n;
  const net = gross - reserve - schedule.fee;
  if (net <= 0n || net < schedule.minimum) return reject("PayoutBelowMinimum");
  add(ledger.merchants, key, -gross);
  add(model(ledger).reserves, key, reserve);
  add(model(ledger).fees, schedule.currency, schedule.fee);
  add(ledger.channels, `bank|${schedule.currency}`, -net);
  model(ledger).payouts.set(command.payoutId, {
    merchantId: command.merchantId,
    currency: schedule.currency,
    reserve,
    net,
    releasesAt: at + schedule.reserveDays * DAY_MS,
    reserveHeld: reserve > 0n,
    returned: false,
  });
  return accepted;
};

export const releasePayoutReserve: ModelCommand<"ReleasePayoutReserve"> = (ledger, command, at) => {
  const payout = model(ledger).payouts.get(command.payoutId);
  if (payout === undefined) return reject("PayoutNotFound");
  if (!payout.reserveHeld) return reject("PayoutReserveNotHeld");
  if (at < payout.releasesAt) return reject("PayoutReserveHeld");
  const key = `${payout.merchantId}|${payout.currency}`;
  add(model(ledger).reserves, key, -payout.reserve);
  add(ledger.merchants, key, payout.reserve);
  payout.reserveHeld = false;
  return accepted;
};

export const returnPayout: ModelCommand<"ReturnPayout"> = (ledger, command) => {
  const payout = model(ledger).payouts.get(command.payoutId);
  if (payout === undefined) return reject("PayoutNotFound");
  if (payout.returned) return reject("PayoutAlreadyReturned");
  add(ledger.channels, `bank|${payout.currency}`, payout.net);
  add(ledger.merchants, `${payout.merchantId}|${payout.currency}`, payout.net);
  payout.returned = true;
  return accepted;
};

// ---------------------------------------------------------------------------------------------
// adjustments

type Owner =
  | { readonly kind: "wallet"; readonly id: string }
  | { readonly kind: "merchant"; readonly id: string }
  | { readonly kind: "other" }
  | { readonly kind: "refused" };

/** Whose money a line moves, read from its address. */
function ownerOf(account: string): Owner {
  const parts = account.split(":");
  if (parts[0] !== "liabilities") return { kind: "other" };
  if (parts.length === 4 && parts[1] === "wallets" && parts[3] === "available")
    return { kind: "wallet", id: parts[2] as string };
  if (parts.length === 3 && parts[1] === "merchants")
    return { kind: "merchant", id: parts[2] as string };
  return { kind: "refused" };
}

function linesRule(ledger: ModelLedger, lines: readonly ModelLine[]): RejectionTag | undefined {
  if (lines.length === 0) return "AdjustmentEmpty";
  if (lines.some((line) => !ledger.currencies.has(line.currency))) return "CurrencyUnknown";
  const sums = new Map<string, bigint>();
  for (const line of lines) add(sums, line.currency, line.amount);
  if ([...sums.values()].some((sum) => sum !== 0n)) return "AdjustmentUnbalanced";
  for (const line of lines) {
    const owner = ownerOf(line.account);
    if (owner.kind === "refused") return "AdjustmentAccountNotAllowed";
    if (owner.kind === "wallet") {
      const wallet = ledger.wallets.get(owner.id);
      if (wallet === undefined) return "WalletNotFound";
      if (wallet.status === "closed") return "WalletClosed";
    }
    if (owner.kind === "merchant" && !ledger.checkout.merchants.has(owner.id))
      return "MerchantNotFound";
  }
  const debits = new Map<string, bigint>();
  for (const line of lines) add(debits, `${line.account}|${line.currency}`, line.amount);
  for (const [key, amount] of debits) {
    if (amount <= 0n) continue;
    const [account, currency] = key.split("|") as [string, string];
    const owner = ownerOf(account);
    if (owner.kind === "wallet") {
      const broken = fundsRule(ledger.wallets.get(owner.id)!, currency, amount);
      if (broken !== undefined) return broken;
    }
    if (owner.kind === "merchant") {
      const merchant = ledger.checkout.merchants.get(owner.id)!;
      if (!merchant.allowNegative && read(ledger.merchants, `${owner.id}|${currency}`) < amount)
        return "MerchantBalanceInsufficient";
    }
  }
  return undefined;
}

function post(ledger: ModelLedger, lines: readonly ModelLine[]): void {
  for (const line of lines) {
    const owner = ownerOf(line.account);
    // A debit (positive) takes money from a holder; the model keeps what each holder is owed.
    if (owner.kind === "wallet")
      add(ledger.wallets.get(owner.id)!.available, line.currency, -line.amount);
    else if (owner.kind === "merchant")
      add(ledger.merchants, `${owner.id}|${line.currency}`, -line.amount);
    else add(model(ledger).others, `${line.account}|${line.currency}`, line.amount);
  }
}

export const proposeAdjustment: ModelCommand<"ProposeAdjustment"> = (ledger, command) => {
  if (model(ledger).adjustments.has(command.adjustmentId)) return reject("AdjustmentAlreadyExists");
  const broken = linesRule(ledger, command.postings);
  if (broken !== undefined) return reject(broken);
  model(ledger).adjustments.set(command.adjustmentId, {
    proposedBy: command.proposedBy,
    lines: [...command.postings],
    status: "proposed",
  });
  return accepted;
};

export const approveAdjustment: ModelCommand<"ApproveAdjustment"> = (ledger, command) => {
  const adjustment = model(ledger).adjustments.get(command.adjustmentId);
  if (adjustment === undefined) return reject("AdjustmentNotFound");
  if (adjustment.status !== "proposed") return reject("AdjustmentNotProposed");
  if (adjustment.proposedBy === command.approvedBy) return reject("ApproverIsProposer");
  const broken = linesRule(ledger, adjustment.lines);
  if (broken !== undefined) return reject(broken);
  post(ledger, adjustment.lines);
  adjustment.status = "posted";
  return accepted;
};

export const reverseAdjustment: ModelCommand<"ReverseAdjustment"> = (ledger, command) => {
  const adjustment = model(ledger).adjustments.get(command.adjustmentId);
  if (adjustment === undefined) return reject("AdjustmentNotFound");
  if (adjustment.status !== "posted") return reject("AdjustmentNotPosted");
  const negation = adjustment.lines.map((line) => ({ ...line, amount: -line.amount }));
  const broken = linesRule(ledger, negation);
  if (broken !== undefined) return reject(broken);
  post(ledger, negation);
  adjustment.status = "reversed";
  return accepted;
};

/** Clearing into the bank: in flight (`channels`) down, the bank account up, or the reverse. */
export const recordSettlement: ModelCommand<"RecordSettlement"> = (ledger, command) => {
  if (command.amount.amount <= 0n) return reject("AmountNotPositive");
  if (!ledger.currencies.has(command.amount.currency)) return reject("CurrencyUnknown");
  if (model(ledger).settlements.has(command.settlementId)) return reject("SettlementAlreadyExists");
  const signed = command.direction === "in" ? command.amount.amount : -command.amount.amount;
  add(ledger.channels, `${command.channel}|${command.amount.currency}`, -signed);
  add(model(ledger).others, `assets:bank:${command.channel}|${command.amount.currency}`, signed);
  model(ledger).settlements.add(command.settlementId);
  return accepted;
};
