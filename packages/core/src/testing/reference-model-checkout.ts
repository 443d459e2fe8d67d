/**
 * The reference model of merchants, checkout, escrow, disputes and fees: one function per
 * command, written from the rules (docs/recipes/checkout.md and the rejection precedence),
 * not from the decider. No postings and no account addresses: escrow, merchant balances and
 * fee revenue are plain numbers each function updates by hand. Fees are computed here with
 * plain integer arithmetic, independently of `money/rounding.ts`, in all seven documented
 * rounding modes (fees and reserves are never negative).
 */
import type { CommandOf } from "../commands/ledger-command.js";
import type { RejectionTag } from "../rejections/rejection.js";
import type { Timestamp } from "../time/timestamp.js";
import type {
  ModelCommand,
  ModelHold,
  ModelLedger,
  ModelVerdict,
  ModelWallet,
} from "./reference-model.js";
import {
  applyReturn,
  checkoutPlan,
  payCheckout,
  planReturn,
  type ModelOrderFunding,
  type ModelPromotion,
} from "./reference-model-funding.js";
import {
  accepted,
  add,
  first,
  moneyRule,
  openHold,
  read,
  reject,
} from "./reference-model-rules.js";

export interface ModelMerchant {
  readonly currency: string;
  allowNegative: boolean;
  readonly schedules: Map<
    string,
    { basisPoints: bigint; fixed: bigint; rounding: string; refundFee: string }
  >;
}

export interface ModelOrder {
  readonly walletId: string;
  readonly merchantId: string;
  readonly holdId: string;
  readonly currency: string;
  protectionEndsAt: Timestamp | undefined;
  escrow: bigint;
  released: bigint;
  releases: number;
  refunded: bigint;
  refundedFromMerchant: bigint;
  feeCharged: bigint;
  feeReturned: bigint;
  feeRefund: string;
  dispute: string | undefined;
  /** Confirmed by the buyer: no dispute, no capture, no second confirmation after it. */
  receiptConfirmed: boolean;
  readonly refundIds: Set<string>;
  /** How a promoted or converted checkout was paid, and what went back (reference-model-funding.ts). */
  readonly funding: ModelOrderFunding | undefined;
}

export interface CheckoutModel {
  readonly merchants: Map<string, ModelMerchant>;
  readonly agreements: Map<
    string,
    {
      walletId: string;
      merchantId: string;
      perPayment?: { currency: string; amount: bigint };
      perDay?: { currency: string; amount: bigint };
      revoked: boolean;
      day: number;
      used: bigint;
    }
  >;
  readonly orders: Map<string, ModelOrder>;
  readonly disputes: Map<string, { orderId: string; open: boolean }>;
  /** Platform fee revenue per currency. */
  readonly fees: Map<string, bigint>;
  readonly promotions: Map<string, ModelPromotion>;
}

export const emptyCheckoutModel = (): CheckoutModel => ({
  merchants: new Map(),
  agreements: new Map(),
  orders: new Map(),
  disputes: new Map(),
  fees: new Map(),
  promotions: new Map(),
});

const DAY_MS = 86_400_000;
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * x × bp / 10 000 for x ≥ 0, in each of the seven modes of docs/concepts/money.md. For a
 * non-negative result "ceiling" is "up" and "floor" is "down"; the half modes differ only on
 * an exact half (remainder 5 000): away from zero, toward it, or to the even neighbour.
 */
export function percentOf(x: bigint, bp: bigint, rounding: string): bigint {
  const numerator = x * bp;
  const whole = numerator / 10_000n;
  const remainder = numerator % 10_000n;
  const roundUp = (() => {
    switch (rounding) {
      case "down":
      case "floor":
        return false;
      case "up":
      case "ceiling":
        return remainder > 0n;
      case "half-up":
        return remainder >= 5_000n;
      case "half-down":
        return remainder > 5_000n;
      case "half-even":
        return remainder > 5_000n || (remainder === 5_000n && whole % 2n === 1n);
      default:
        throw new Error(`the model does not round ${rounding}`);
    }
  })();
  return roundUp ? whole + 1n : whole;
}

const model = (ledger: ModelLedger): CheckoutModel => ledger.checkout;

export const registerMerchant: ModelCommand<"RegisterMerchant"> = (ledger, command) => {
  if (!ledger.currencies.has(command.settlementCurrency)) return reject("CurrencyUnknown");
  if (model(ledger).merchants.has(command.merchantId)) return reject("MerchantAlreadyExists");
  model(ledger).merchants.set(command.merchantId, {
    currency: command.settlementCurrency,
    allowNegative: command.allowNegativeBalance,
    schedules: new Map(),
  });
  return accepted;
};

export const setMerchantNegativeBalance: ModelCommand<"SetMerchantNegativeBalance"> = (
  ledger,
  command,
) => {
  const merchant = model(ledger).merchants.get(command.merchantId);
  if (merchant === undefined) return reject("MerchantNotFound");
  merchant.allowNegative = command.allowed;
  return accepted;
};

export const setFeeSchedule: ModelCommand<"SetFeeSchedule"> = (ledger, command) => {
  const merchant = model(ledger).merchants.get(command.merchantId);
  const broken = first(
    () =>
      Number.isInteger(command.basisPoints) &&
      command.basisPoints >= 0 &&
      command.basisPoints <= 10_000
        ? undefined
        : "FeeRateOutOfRange",
    () => (ledger.currencies.has(command.fixed.currency) ? undefined : "CurrencyUnknown"),
    () => (command.fixed.amount < 0n ? "AmountNotPositive" : undefined),
    () => (merchant === undefined ? "MerchantNotFound" : undefined),
  );
  if (broken !== undefined || merchant === undefined) return reject(broken ?? "MerchantNotFound");
  merchant.schedules.set(command.fixed.currency, {
    basisPoints: BigInt(command.basisPoints),
    fixed: command.fixed.amount,
    rounding: command.rounding,
    refundFee: command.refundFee,
  });
  return accepted;
};

export const authorizeMerchant: ModelCommand<"AuthorizeMerchant"> = (ledger, command) => {
  const wallet = ledger.wallets.get(command.walletId);
  const broken = first(
    () =>
      command.perPaymentCap === undefined ? undefined : moneyRule(ledger, command.perPaymentCap),
    () => (command.perDayCap === undefined ? undefined : moneyRule(ledger, command.perDayCap)),
    () =>
      model(ledger).agreements.has(command.agreementId) ? "AgreementAlreadyExists" : undefined,
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () => (model(ledger).merchants.has(command.merchantId) ? undefined : "MerchantNotFound"),
    () => (wallet?.status === "closed" ? "WalletClosed" : undefined),
  );
  if (broken !== undefined) return reject(broken);
  model(ledger).agreements.set(command.agreementId, {
    walletId: command.walletId,
    merchantId: command.merchantId,
    ...(command.perPaymentCap === undefined ? {} : { perPayment: command.perPaymentCap }),
    ...(command.perDayCap === undefined ? {} : { perDay: command.perDayCap }),
    revoked: false,
    day: 0,
    used: 0n,
  });
  return accepted;
};

export const revokeAuthorization: ModelCommand<"RevokeAuthorization"> = (ledger, command) => {
  const agreement = model(ledger).agreements.get(command.agreementId);
  if (agreement === undefined) return reject("AgreementNotFound");
  if (agreement.revoked) return reject("AgreementRevoked");
  agreement.revoked = true;
  return accepted;
};

function authorisationRule(
  ledger: ModelLedger,
  command: CommandOf<"Checkout">,
  at: Timestamp,
): RejectionTag | undefined {
  if (command.initiatedBy === "buyer") return undefined;
  const agreement =
    command.agreementId === undefined
      ? undefined
      : model(ledger).agreements.get(command.agreementId);
  if (
    agreement === undefined ||
    agreement.walletId !== command.walletId ||
    agreement.merchantId !== command.merchantId
  )
    return "MerchantNotAuthorized";
  if (agreement.revoked) return "AgreementRevoked";
  const { currency, amount } = command.amount;
  if (agreement.perPayment !== undefined && agreement.perPayment.currency !== currency)
    return "CurrencyMismatch";
  if (agreement.perPayment !== undefined && amount > agreement.perPayment.amount)
    return "PaymentCapExceeded";
  if (agreement.perDay !== undefined && agreement.perDay.currency !== currency)
    return "CurrencyMismatch";
  const used = agreement.day === Math.floor(at / DAY_MS) ? agreement.used : 0n;
  if (agreement.perDay !== undefined && used + amount > agreement.perDay.amount)
    return "DailyCapExceeded";
  return undefined;
}

export const checkout: ModelCommand<"Checkout"> = (ledger, command, at) => {
  const wallet = ledger.wallets.get(command.walletId);
  const merchant = model(ledger).merchants.get(command.merchantId);
  const { currency, amount } = command.amount;
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (model(ledger).orders.has(command.orderId) ? "OrderAlreadyExists" : undefined),
    () => (ledger.holds.has(command.holdId) ? "HoldAlreadyExists" : undefined),
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () => (merchant === undefined ? "MerchantNotFound" : undefined),
    () =>
      wallet?.status === "closed"
        ? "WalletClosed"
        : wallet?.status === "frozen"
          ? "WalletFrozen"
          : undefined,
    () => authorisationRule(ledger, command, at),
    () => (at >= command.expiresAt ? "HoldExpired" : undefined),
    () => (merchant?.currency !== currency ? "CurrencyMismatch" : undefined),
  );
  if (broken !== undefined || wallet === undefined) return reject(broken ?? "WalletNotFound");
  const plan = checkoutPlan(ledger, wallet, command, at);
  if (typeof plan === "string") return reject(plan);
  const funding = payCheckout(ledger, wallet, command.amount, plan);
  openHold(ledger, command);
  model(ledger).orders.set(command.orderId, {
    walletId: command.walletId,
    merchantId: command.merchantId,
    holdId: command.holdId,
    currency,
    protectionEndsAt: undefined,
    escrow: 0n,
    released: 0n,
    releases: 0,
    refunded: 0n,
    refundedFromMerchant: 0n,
    feeCharged: 0n,
    feeReturned: 0n,
    feeRefund: "none",
    dispute: undefined,
    receiptConfirmed: false,
    refundIds: new Set(),
    funding,
  });
  const agreement =
    command.initiatedBy === "merchant" && command.agreementId !== undefined
      ? model(ledger).agreements.get(command.agreementId)
      : undefined;
  if (agreement !== undefined) {
    const day = Math.floor(at / DAY_MS);
    agreement.used = (agreement.day === day ? agreement.used : 0n) + amount;
    agreement.day = day;
  }
  return accepted;
};

/** Whether the buyer confirmed receipt of an order (the hold model asks before a capture). */
export function receiptConfirmed(ledger: ModelLedger, orderId: string): boolean {
  return model(ledger).orders.get(orderId)?.receiptConfirmed === true;
}

/** The order of a hold, if it is a checkout's (the hold model asks when money goes back). */
export function orderOf(ledger: ModelLedger, orderId: string | undefined): ModelOrder | undefined {
  return orderId === undefined ? undefined : model(ledger).orders.get(orderId);
}

/** Called by the hold model when a capture lands on an order's hold. */
export function captureIntoEscrow(ledger: ModelLedger, orderId: string, amount: bigint): void {
  const order = model(ledger).orders.get(orderId);
  if (order === undefined) throw new Error(`model: capture for unknown order ${orderId}`);
  order.escrow += amount;
}

export const shipOrder: ModelCommand<"ShipOrder"> = (ledger, command) => {
  const order = model(ledger).orders.get(command.orderId);
  if (order === undefined) return reject("OrderNotFound");
  if (order.protectionEndsAt !== undefined) return reject("OrderAlreadyShipped");
  order.protectionEndsAt = command.protectionEndsAt;
  return accepted;
};

const captured = (ledger: ModelLedger, order: ModelOrder): bigint =>
  (ledger.holds.get(order.holdId) as ModelHold).captured;

function releaseRule(ledger: ModelLedger, order: ModelOrder): RejectionTag | undefined {
  if (order.dispute !== undefined) return "OrderDisputed";
  if (captured(ledger, order) === 0n) return "OrderNotCaptured";
  return order.escrow > 0n ? undefined : "EscrowEmpty";
}

function release(ledger: ModelLedger, order: ModelOrder): void {
  const schedule = model(ledger).merchants.get(order.merchantId)?.schedules.get(order.currency);
  const gross = order.escrow;
  let fee = 0n;
  if (schedule !== undefined) {
    const percentage = min(percentOf(gross, schedule.basisPoints, schedule.rounding), gross);
    fee = percentage + (order.releases === 0 ? min(schedule.fixed, gross - percentage) : 0n);
  }
  order.escrow = 0n;
  order.released += gross;
  order.releases += 1;
  order.feeCharged += fee;
  order.feeRefund = schedule?.refundFee ?? "none";
  add(ledger.merchants, `${order.merchantId}|${order.currency}`, gross - fee);
  add(model(ledger).fees, order.currency, fee);
}

export const confirmReceipt: ModelCommand<"ConfirmReceipt"> = (ledger, command) => {
  const order = model(ledger).orders.get(command.orderId);
  const broken =
    order === undefined
      ? "OrderNotFound"
      : order.receiptConfirmed
        ? "ReceiptAlreadyConfirmed"
        : releaseRule(ledger, order);
  if (broken !== undefined || order === undefined) return reject(broken ?? "OrderNotFound");
  release(ledger, order);
  order.receiptConfirmed = true;
  return accepted;
};

export const releaseEscrow: ModelCommand<"ReleaseEscrow"> = (ledger, command, at) => {
  const order = model(ledger).orders.get(command.orderId);
  const broken = first(
    () => (order === undefined ? "OrderNotFound" : undefined),
    () => (order?.protectionEndsAt === undefined ? "OrderNotShipped" : undefined),
    () => (at < (order?.protectionEndsAt ?? 0) ? "ProtectionWindowOpen" : undefined),
    () => releaseRule(ledger, order as ModelOrder),
  );
  if (broken !== undefined || order === undefined) return reject(broken ?? "OrderNotFound");
  release(ledger, order);
  return accepted;
};

/** A refund's rules and, when they hold, its effect: escrow first, then the merchant. */
function refund(
  ledger: ModelLedger,
  order: ModelOrder,
  refundId: string,
  money: { currency: string; amount: bigint },
  convert: { quoteId: string | undefined; at: Timestamp },
): ModelVerdict {
  const wallet = ledger.wallets.get(order.walletId) as ModelWallet;
  const fromEscrow = min(money.amount, order.escrow);
  const fromMerchant = money.amount - fromEscrow;
  let feeBack = 0n;
  if (order.feeRefund === "proportional" && fromMerchant > 0n && order.feeCharged > 0n) {
    const due =
      min(
        (order.feeCharged * (order.refundedFromMerchant + fromMerchant)) / order.released,
        order.feeCharged,
      ) - order.feeReturned;
    feeBack = due > 0n ? due : 0n;
  }
  const merchant = model(ledger).merchants.get(order.merchantId) as ModelMerchant;
  const key = `${order.merchantId}|${order.currency}`;
  const broken = first(
    () => moneyRule(ledger, money),
    () => (wallet.status === "closed" ? "WalletClosed" : undefined),
    () => (order.refundIds.has(refundId) ? "RefundAlreadyIssued" : undefined),
    () => (money.currency !== order.currency ? "CurrencyMismatch" : undefined),
    () =>
      money.amount > captured(ledger, order) - order.refunded
        ? "OrderRefundExceedsCaptured"
        : undefined,
    () =>
      fromMerchant > 0n &&
      !merchant.allowNegative &&
      read(ledger.merchants, key) + feeBack - fromMerchant < 0n
        ? "MerchantBalanceInsufficient"
        : undefined,
  );
  if (broken !== undefined) return reject(broken);
  // Money a promotion or a conversion paid goes back where it came from (its rules come last).
  const back = planReturn(ledger, order, money.amount, convert.quoteId, convert.at);
  if (typeof back === "string") return reject(back);
  order.escrow -= fromEscrow;
  order.refunded += money.amount;
  order.refundedFromMerchant += fromMerchant;
  order.feeReturned += feeBack;
  order.refundIds.add(refundId);
  add(ledger.merchants, key, feeBack - fromMerchant);
  add(model(ledger).fees, order.currency, -feeBack);
  add(wallet.available, order.currency, money.amount);
  applyReturn(ledger, order, money.amount, back);
  return accepted;
}

export const refundOrder: ModelCommand<"RefundOrder"> = (ledger, command, at) => {
  const order = model(ledger).orders.get(command.orderId);
  return order === undefined
    ? reject("OrderNotFound")
    : refund(ledger, order, command.refundId, command.amount, { quoteId: command.quoteId, at });
};

export const openDispute: ModelCommand<"OpenDispute"> = (ledger, command, at) => {
  const order = model(ledger).orders.get(command.orderId);
  const broken = first(
    () => (model(ledger).disputes.has(command.disputeId) ? "DisputeAlreadyExists" : undefined),
    () => (order === undefined ? "OrderNotFound" : undefined),
    () => (order?.dispute !== undefined ? "OrderDisputed" : undefined),
    () => (order?.receiptConfirmed === true ? "ReceiptAlreadyConfirmed" : undefined),
    () =>
      order?.protectionEndsAt !== undefined && at >= order.protectionEndsAt
        ? "DisputeWindowClosed"
        : undefined,
    () => (captured(ledger, order as ModelOrder) === 0n ? "OrderNotCaptured" : undefined),
    () =>
      captured(ledger, order as ModelOrder) === (order as ModelOrder).refunded
        ? "OrderFullyRefunded"
        : undefined,
  );
  if (broken !== undefined || order === undefined) return reject(broken ?? "OrderNotFound");
  model(ledger).disputes.set(command.disputeId, { orderId: command.orderId, open: true });
  order.dispute = command.disputeId;
  return accepted;
};

function openDisputeOf(
  ledger: ModelLedger,
  disputeId: string,
): { dispute: { orderId: string; open: boolean }; order: ModelOrder } | RejectionTag {
  const dispute = model(ledger).disputes.get(disputeId);
  if (dispute === undefined) return "DisputeNotFound";
  if (!dispute.open) return "DisputeNotOpen";
  return { dispute, order: model(ledger).orders.get(dispute.orderId) as ModelOrder };
}

export const resolveDisputeForBuyer: ModelCommand<"ResolveDisputeForBuyer"> = (
  ledger,
  command,
  at,
) => {
  const found = openDisputeOf(ledger, command.disputeId);
  if (typeof found === "string") return reject(found);
  const verdict = refund(ledger, found.order, command.refundId, command.amount, {
    quoteId: undefined,
    at,
  });
  if (verdict.kind === "accepted") {
    found.dispute.open = false;
    found.order.dispute = undefined;
  }
  return verdict;
};

export const resolveDisputeForMerchant: ModelCommand<"ResolveDisputeForMerchant"> = (
  ledger,
  command,
) => {
  const found = openDisputeOf(ledger, command.disputeId);
  if (typeof found === "string") return reject(found);
  found.dispute.open = false;
  found.order.dispute = undefined;
  if (found.order.escrow > 0n) release(ledger, found.order);
  return accepted;
};
