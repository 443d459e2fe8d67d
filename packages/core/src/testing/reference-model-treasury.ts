/**
 * The reference model of funding sources, FX conversion, limits and the payment rules
 * (strong authentication, tier limits, velocity freeze): one function per command, written
 * from the rules (docs/recipes/*.md and the rejection precedence), not from the decider.
 * FX prices are computed here with plain bigint arithmetic on the rate's digits,
 * independently of `money/rounding.ts` and decimal.js: fee rounded up, target rounded down.
 */
import type { CommandOf, LedgerCommand } from "../commands/ledger-command.js";
import type { RejectionTag } from "../rejections/rejection.js";
import type { Timestamp } from "../time/timestamp.js";
import type { ModelCommand, ModelLedger, ModelVerdict, ModelWallet } from "./reference-model.js";
import {
  accepted,
  add,
  debitRule,
  first,
  fundsRule,
  moneyRule,
  reject,
} from "./reference-model-rules.js";
import { checkoutPaid } from "./reference-model-funding.js";
import { houseConverts, modelPrice, type ModelQuote } from "./reference-model-fx.js";

interface ModelSource {
  readonly walletId: string;
  readonly kind: "card" | "bank";
  readonly currency: string;
  readonly expiresAt: Timestamp | undefined;
  status: "unverified" | "verified" | "removed";
  deposits: [bigint, bigint] | undefined;
  failed: number;
}

export interface TreasuryModel {
  readonly sources: Map<string, ModelSource>;
  readonly quotes: Map<string, ModelQuote>;
  readonly conversions: Set<string>;
  /** Signed balance of `assets:fx-liquidity:{currency}`: debit (+) when net paid out to wallets. */
  readonly fxLiquidity: Map<string, bigint>;
  /** FX fee revenue per currency (`income:fees:fx`, as the house reads it). */
  readonly fxFees: Map<string, bigint>;
  /** tier → currency → limits */
  readonly tiers: Map<string, Map<string, { perTransaction: bigint; perDay: bigint }>>;
  readonly walletTiers: Map<string, string>;
  velocity: { windowMs: number; countMax: number; valueMax: Map<string, bigint> } | undefined;
  readonly scaThresholds: Map<string, bigint>;
  readonly payments: {
    walletId: string;
    at: Timestamp;
    currency: string;
    amount: bigint;
    counted: boolean;
    underVelocityRule: boolean;
  }[];
}

export const emptyTreasuryModel = (): TreasuryModel => ({
  sources: new Map(),
  quotes: new Map(),
  conversions: new Set(),
  fxLiquidity: new Map(),
  fxFees: new Map(),
  tiers: new Map(),
  walletTiers: new Map(),
  velocity: undefined,
  scaThresholds: new Map(),
  payments: [],
});

const ATTEMPTS_MAX = 3;
const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

const t = (ledger: ModelLedger): TreasuryModel => ledger.treasury;

// ---------------------------------------------------------------------------------------------
// funding sources

function linkRule(
  ledger: ModelLedger,
  sourceId: string,
  walletId: string,
  currency: string,
): RejectionTag | undefined {
  if (!ledger.currencies.has(currency)) return "CurrencyUnknown";
  if (t(ledger).sources.has(sourceId)) return "FundingSourceAlreadyExists";
  const wallet = ledger.wallets.get(walletId);
  return wallet === undefined
    ? "WalletNotFound"
    : wallet.status === "closed"
      ? "WalletClosed"
      : undefined;
}

export const linkCard: ModelCommand<"LinkCard"> = (ledger, command, at) => {
  const broken =
    linkRule(ledger, command.sourceId, command.walletId, command.currency) ??
    (at >= command.expiresAt ? "FundingSourceExpired" : undefined);
  if (broken !== undefined) return reject(broken);
  t(ledger).sources.set(command.sourceId, {
    walletId: command.walletId,
    kind: "card",
    currency: command.currency,
    expiresAt: command.expiresAt,
    status: "unverified",
    deposits: undefined,
    failed: 0,
  });
  return accepted;
};

export const linkBankAccount: ModelCommand<"LinkBankAccount"> = (ledger, command) => {
  const broken = linkRule(ledger, command.sourceId, command.walletId, command.currency);
  if (broken !== undefined) return reject(broken);
  t(ledger).sources.set(command.sourceId, {
    walletId: command.walletId,
    kind: "bank",
    currency: command.currency,
    expiresAt: undefined,
    status: "unverified",
    deposits: undefined,
    failed: 0,
  });
  return accepted;
};

/** Found, not removed, of this kind, not yet verified. */
function verifiableRule(
  source: ModelSource | undefined,
  kind: "card" | "bank",
): RejectionTag | undefined {
  if (source === undefined) return "FundingSourceNotFound";
  if (source.status === "removed") return "FundingSourceRemoved";
  if (source.kind !== kind) return "VerificationMethodMismatch";
  return source.status === "verified" ? "FundingSourceAlreadyVerified" : undefined;
}

const expired = (source: ModelSource, at: Timestamp): boolean =>
  source.expiresAt !== undefined && at >= source.expiresAt;

export const verifyCard: ModelCommand<"VerifyCard"> = (ledger, command, at) => {
  const source = t(ledger).sources.get(command.sourceId);
  const broken =
    verifiableRule(source, "card") ??
    (expired(source as ModelSource, at) ? "FundingSourceExpired" : undefined);
  if (broken !== undefined || source === undefined)
    return reject(broken ?? "FundingSourceNotFound");
  source.status = "verified";
  return accepted;
};

function depositAmountsRule(
  ledger: ModelLedger,
  source: ModelSource,
  amounts: readonly { currency: string; amount: bigint }[],
): RejectionTag | undefined {
  for (const money of amounts) {
    const broken =
      moneyRule(ledger, money) ??
      (money.currency !== source.currency ? "CurrencyMismatch" : undefined);
    if (broken !== undefined) return broken;
  }
  return undefined;
}

export const sendMicroDeposits: ModelCommand<"SendMicroDeposits"> = (ledger, command) => {
  const source = t(ledger).sources.get(command.sourceId);
  const broken = first(
    () => verifiableRule(source, "bank"),
    () => ((source as ModelSource).deposits !== undefined ? "MicroDepositsAlreadySent" : undefined),
    () => depositAmountsRule(ledger, source as ModelSource, command.amounts),
  );
  if (broken !== undefined || source === undefined)
    return reject(broken ?? "FundingSourceNotFound");
  source.deposits = [command.amounts[0].amount, command.amounts[1].amount];
  return accepted;
};

export const confirmMicroDeposits: ModelCommand<"ConfirmMicroDeposits"> = (ledger, command) => {
  const source = t(ledger).sources.get(command.sourceId);
  const broken = first(
    () => verifiableRule(source, "bank"),
    () => ((source as ModelSource).deposits === undefined ? "MicroDepositsNotSent" : undefined),
    () =>
      (source as ModelSource).failed >= ATTEMPTS_MAX ? "MicroDepositAttemptsExhausted" : undefined,
    () => depositAmountsRule(ledger, source as ModelSource, command.amounts),
  );
  if (broken !== undefined || source === undefined || source.deposits === undefined)
    return reject(broken ?? "FundingSourceNotFound");
  const sent = [...source.deposits].sort().join(",");
  const confirmed = [command.amounts[0].amount, command.amounts[1].amount].sort().join(",");
  if (sent === confirmed) source.status = "verified";
  else source.failed += 1;
  return accepted;
};

export const removeFundingSource: ModelCommand<"RemoveFundingSource"> = (ledger, command) => {
  const source = t(ledger).sources.get(command.sourceId);
  if (source === undefined) return reject("FundingSourceNotFound");
  if (source.status === "removed") return reject("FundingSourceRemoved");
  source.status = "removed";
  return accepted;
};

function usableRule(
  source: ModelSource,
  walletId: string,
  currency: string,
  at: Timestamp,
): RejectionTag | undefined {
  if (source.walletId !== walletId) return "FundingSourceNotOwned";
  if (source.status === "removed") return "FundingSourceRemoved";
  if (source.status === "unverified") return "FundingSourceUnverified";
  if (expired(source, at)) return "FundingSourceExpired";
  return source.currency === currency ? undefined : "CurrencyMismatch";
}

/**
 * Money through a source: in (a top-up: the wallet may be frozen, not closed) or out (a
 * withdrawal: the wallet must be debitable and funded). `sign` is +1 in, -1 out.
 */
function throughSource(
  ledger: ModelLedger,
  command: CommandOf<"TopUpWallet" | "WithdrawToFundingSource">,
  at: Timestamp,
  sign: 1n | -1n,
): ModelVerdict {
  const source = t(ledger).sources.get(command.sourceId);
  const wallet = ledger.wallets.get(command.walletId);
  const { currency, amount } = command.amount;
  const walletRules =
    sign > 0n
      ? [() => (wallet?.status === "closed" ? "WalletClosed" : undefined)]
      : [
          () => debitRule(wallet as ModelWallet),
          () => fundsRule(wallet as ModelWallet, currency, amount),
        ];
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (source === undefined ? "FundingSourceNotFound" : undefined),
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () => usableRule(source as ModelSource, command.walletId, currency, at),
    ...walletRules,
  );
  if (broken !== undefined || source === undefined || wallet === undefined)
    return reject(broken ?? "WalletNotFound");
  add(wallet.available, currency, sign * amount);
  add(ledger.channels, `${source.kind}|${currency}`, sign * amount);
  return accepted;
}

export const topUpWallet: ModelCommand<"TopUpWallet"> = (ledger, command, at) =>
  throughSource(ledger, command, at, 1n);

export const withdrawToFundingSource: ModelCommand<"WithdrawToFundingSource"> = (
  ledger,
  command,
  at,
) => throughSource(ledger, command, at, -1n);

// ---------------------------------------------------------------------------------------------
// FX

const RATE_SHAPE = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

function rateValid(rate: string): boolean {
  const match = RATE_SHAPE.exec(rate);
  if (match === null) return false;
  const digits = `${match[1] ?? ""}${match[2] ?? ""}`.replace(/^0+/, "").replace(/0+$/, "");
  return digits.length > 0 && digits.length <= 20;
}

export const quoteFx: ModelCommand<"QuoteFx"> = (ledger, command, at) => {
  const broken = first(
    () =>
      !ledger.currencies.has(command.sourceCurrency) ||
      !ledger.currencies.has(command.targetCurrency)
        ? "CurrencyUnknown"
        : undefined,
    () => (command.sourceCurrency === command.targetCurrency ? "FxPairInvalid" : undefined),
    () => (rateValid(command.rate) ? undefined : "RateInvalid"),
    () =>
      command.feeBasisPoints < 0 ||
      command.feeBasisPoints >= 10_000 ||
      !Number.isInteger(command.feeBasisPoints)
        ? "FeeRateOutOfRange"
        : undefined,
    () => (t(ledger).quotes.has(command.quoteId) ? "FxQuoteAlreadyExists" : undefined),
    () => (at >= command.expiresAt ? "QuoteExpired" : undefined),
  );
  if (broken !== undefined) return reject(broken);
  t(ledger).quotes.set(command.quoteId, {
    source: command.sourceCurrency,
    target: command.targetCurrency,
    rate: command.rate,
    feeBasisPoints: BigInt(command.feeBasisPoints),
    expiresAt: command.expiresAt,
  });
  return accepted;
};

export const convertCurrency: ModelCommand<"ConvertCurrency"> = (ledger, command, at) => {
  const wallet = ledger.wallets.get(command.walletId);
  const quote = t(ledger).quotes.get(command.quoteId);
  const { currency, amount } = command.amount;
  const broken = first(
    () => moneyRule(ledger, command.amount),
    () => (t(ledger).conversions.has(command.conversionId) ? "ConversionAlreadyExists" : undefined),
    () => (wallet === undefined ? "WalletNotFound" : undefined),
    () =>
      quote === undefined ? "FxQuoteNotFound" : at >= quote.expiresAt ? "QuoteExpired" : undefined,
    () => (currency !== (quote as ModelQuote).source ? "CurrencyMismatch" : undefined),
    () => debitRule(wallet as ModelWallet),
    () => fundsRule(wallet as ModelWallet, currency, amount),
    () =>
      modelPrice(quote as ModelQuote, amount).target === 0n ? "ConversionTooSmall" : undefined,
  );
  if (broken !== undefined || wallet === undefined || quote === undefined)
    return reject(broken ?? "WalletNotFound");
  const price = modelPrice(quote, amount);
  add(wallet.available, currency, -amount);
  add(wallet.available, quote.target, price.target);
  houseConverts(
    ledger,
    { currency, net: amount - price.fee, fee: price.fee },
    { currency: quote.target, delivered: price.target },
  );
  t(ledger).conversions.add(command.conversionId);
  return accepted;
};

// ---------------------------------------------------------------------------------------------
// limits

export const defineVerificationTier: ModelCommand<"DefineVerificationTier"> = (ledger, command) => {
  const seen = new Set<string>();
  for (const { perTransaction, perDay } of command.limits) {
    const broken = moneyRule(ledger, perTransaction) ?? moneyRule(ledger, perDay);
    if (broken !== undefined) return reject(broken);
    if (
      perTransaction.currency !== perDay.currency ||
      seen.has(perDay.currency) ||
      perTransaction.amount > perDay.amount
    )
      return reject("SpendingLimitsInconsistent");
    seen.add(perDay.currency);
  }
  t(ledger).tiers.set(
    command.tierId,
    new Map(
      command.limits.map((limit) => [
        limit.perDay.currency,
        { perTransaction: limit.perTransaction.amount, perDay: limit.perDay.amount },
      ]),
    ),
  );
  return accepted;
};

export const assignVerificationTier: ModelCommand<"AssignVerificationTier"> = (ledger, command) => {
  const wallet = ledger.wallets.get(command.walletId);
  if (wallet === undefined) return reject("WalletNotFound");
  if (wallet.status === "closed") return reject("WalletClosed");
  if (!t(ledger).tiers.has(command.tierId)) return reject("VerificationTierNotFound");
  t(ledger).walletTiers.set(command.walletId, command.tierId);
  return accepted;
};

export const setVelocityRule: ModelCommand<"SetVelocityRule"> = (ledger, command) => {
  if (command.windowMs <= 0 || command.windowMs > WEEK_MS || command.paymentCountMax <= 0)
    return reject("VelocityRuleInvalid");
  for (const money of command.valueMax) {
    const broken = moneyRule(ledger, money);
    if (broken !== undefined) return reject(broken);
  }
  t(ledger).velocity = {
    windowMs: command.windowMs,
    countMax: command.paymentCountMax,
    valueMax: new Map(command.valueMax.map((money) => [money.currency, money.amount])),
  };
  return accepted;
};

export const setStrongAuthenticationThreshold: ModelCommand<"SetStrongAuthenticationThreshold"> = (
  ledger,
  command,
) => {
  if (!ledger.currencies.has(command.threshold.currency)) return reject("CurrencyUnknown");
  if (command.threshold.amount < 0n) return reject("AmountNotPositive");
  t(ledger).scaThresholds.set(command.threshold.currency, command.threshold.amount);
  return accepted;
};

// ---------------------------------------------------------------------------------------------
// payment rules, applied around every payment command

interface ModelPayment {
  readonly walletId: string;
  readonly currency: string;
  readonly amount: bigint;
  readonly total: bigint;
  readonly isNew: boolean;
}

function paymentOf(
  ledger: ModelLedger,
  command: LedgerCommand,
  at: Timestamp,
): ModelPayment | undefined {
  switch (command.type) {
    case "Checkout": {
      // The wallet spends what it pays: the price less any discount, or the converted source.
      const paid = checkoutPaid(ledger, command, at);
      return {
        walletId: command.walletId,
        currency: paid.currency,
        amount: paid.amount,
        total: paid.amount,
        isNew: true,
      };
    }
    case "PlaceHold":
      return {
        walletId: command.walletId,
        currency: command.amount.currency,
        amount: command.amount.amount,
        total: command.amount.amount,
        isNew: true,
      };
    case "TransferFunds":
      return {
        walletId: command.fromWalletId,
        currency: command.amount.currency,
        amount: command.amount.amount,
        total: command.amount.amount,
        isNew: true,
      };
    case "IncreaseHold": {
      const hold = ledger.holds.get(command.holdId);
      return hold === undefined
        ? undefined
        : {
            walletId: hold.walletId,
            currency: hold.currency,
            amount: command.amount.amount,
            total: hold.authorized + command.amount.amount,
            isNew: false,
          };
    }
    default:
      return undefined;
  }
}

function paymentRule(
  ledger: ModelLedger,
  command: LedgerCommand,
  payment: ModelPayment,
  at: Timestamp,
): RejectionTag | undefined {
  const threshold = t(ledger).scaThresholds.get(payment.currency);
  const authenticated = "strongAuthentication" in command && command.strongAuthentication === true;
  if (threshold !== undefined && !authenticated && payment.total > threshold)
    return "StrongAuthenticationRequired";
  const tier = t(ledger).walletTiers.get(payment.walletId);
  const limit = tier === undefined ? undefined : t(ledger).tiers.get(tier)?.get(payment.currency);
  if (limit === undefined) return undefined;
  if (payment.total > limit.perTransaction) return "SpendingLimitExceeded";
  const day = Math.floor(at / DAY_MS);
  const spent = t(ledger)
    .payments.filter(
      (p) =>
        p.walletId === payment.walletId &&
        p.currency === payment.currency &&
        Math.floor(p.at / DAY_MS) === day,
    )
    .reduce((sum, p) => sum + p.amount, 0n);
  return spent + payment.amount > limit.perDay ? "SpendingLimitExceeded" : undefined;
}

function tripsVelocity(ledger: ModelLedger, payment: ModelPayment, at: Timestamp): boolean {
  const rule = t(ledger).velocity;
  if (rule === undefined) return false;
  // Only payments recorded while a velocity rule was in force count (ADR 0007).
  const recent = t(ledger).payments.filter(
    (p) => p.underVelocityRule && p.walletId === payment.walletId && p.at > at - rule.windowMs,
  );
  if (recent.filter((p) => p.counted).length + (payment.isNew ? 1 : 0) > rule.countMax) return true;
  const valueMax = rule.valueMax.get(payment.currency);
  return (
    valueMax !== undefined &&
    recent
      .filter((p) => p.currency === payment.currency)
      .reduce((sum, p) => sum + p.amount, payment.amount) > valueMax
  );
}

/** A deep copy (Maps, Sets and bigints included), from the host's structured clone. */
const copy = <T>(value: T): T =>
  (globalThis as unknown as { structuredClone: <V>(item: V) => V }).structuredClone(value);

/**
 * A payment command's own rules first (tried on a copy, so a payment the rules below refuse
 * changes nothing), then strong authentication and tier limits, then the velocity freeze.
 */
export function withPaymentRules(
  ledger: ModelLedger,
  command: LedgerCommand,
  at: Timestamp,
  decide: (target: ModelLedger) => ModelVerdict,
): ModelVerdict {
  const payment = paymentOf(ledger, command, at);
  if (payment === undefined) return decide(ledger);
  const trial = decide(copy(ledger));
  if (trial.kind === "rejected") return trial;
  const broken = paymentRule(ledger, command, payment, at);
  if (broken !== undefined) return reject(broken);
  const freeze = tripsVelocity(ledger, payment, at);
  const verdict = decide(ledger);
  t(ledger).payments.push({
    walletId: payment.walletId,
    at,
    currency: payment.currency,
    amount: payment.amount,
    counted: payment.isNew,
    underVelocityRule: t(ledger).velocity !== undefined,
  });
  const wallet = ledger.wallets.get(payment.walletId);
  if (freeze && wallet !== undefined) wallet.status = "frozen";
  return verdict;
}
