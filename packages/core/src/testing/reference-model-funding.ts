/**
 * The reference model of promotions and of checkouts paid other than with plain wallet money
 * in the order's currency, written from docs/recipes/funding-fx-promotions.md §5–6 and the
 * rejection precedence (docs/reference/rejections.md), not from `checkout-funding.ts`.
 *
 * At checkout, for a price P in currency T: a promotion pays a discount D (fixed, or a
 * percentage of P rounded down) within its budget; the buyer pays P − D, from T, or at a quote
 * from another currency S (the least gross of S whose conversion covers P − D); the hold is P.
 *
 * On the way back (a refund, a released or expired hold, a final capture's remainder), the
 * promotion takes its share first (the cumulative share of everything credited back, rounded
 * up, never more than D) and the budget gets it back; the buyer's share is converted back into
 * S at the original terms (the same share of the original net and fee, each rounded down,
 * cumulatively over the returns made at those terms) or, for a refund naming one, at a new
 * quote. Plain numbers each function updates by hand, like the rest of the model.
 */
import type { CommandOf } from "../commands/ledger-command.js";
import type { RejectionTag } from "../rejections/rejection.js";
import type { Timestamp } from "../time/timestamp.js";
import type { ModelCommand, ModelLedger, ModelWallet } from "./reference-model.js";
import type { ModelOrder } from "./reference-model-checkout.js";
import { houseConverts, modelGrossFor, modelPrice, type ModelQuote } from "./reference-model-fx.js";
import { accepted, add, first, fundsRule, moneyRule, reject } from "./reference-model-rules.js";

export interface ModelPromotion {
  readonly currency: string;
  readonly discount:
    | { readonly kind: "fixed"; readonly amount: bigint }
    | { readonly kind: "percentage"; readonly basisPoints: bigint };
  readonly budget: bigint;
  /** Discounts given less shares returned: the balance of `expenses:promotions:{id}`. */
  spent: bigint;
}

export interface ModelOrderFunding {
  readonly price: bigint;
  readonly promotion: { readonly promotionId: string; readonly discount: bigint } | undefined;
  readonly conversion:
    | {
        readonly source: string;
        readonly gross: bigint;
        readonly fee: bigint;
        /** The buyer's share of the price, P − D, which the conversion delivered. */
        readonly payable: bigint;
      }
    | undefined;
  /** Everything credited back to the buyer in the order's currency. */
  returned: bigint;
  promotionReturned: bigint;
  /** The buyer's share returned at the original terms, and the net and fee that gave back. */
  returnedAtOriginal: bigint;
  netReturned: bigint;
  feeReturned: bigint;
}

const promotions = (ledger: ModelLedger): Map<string, ModelPromotion> => ledger.checkout.promotions;

export const createPromotion: ModelCommand<"CreatePromotion"> = (ledger, command) => {
  const { discount, budget } = command;
  const broken = first(
    () => moneyRule(ledger, budget),
    () =>
      discount.kind === "percentage"
        ? discount.basisPoints > 0 && discount.basisPoints < 10_000
          ? undefined
          : "FeeRateOutOfRange"
        : (moneyRule(ledger, discount.amount) ??
          (discount.amount.currency !== budget.currency ? "CurrencyMismatch" : undefined)),
    () => (promotions(ledger).has(command.promotionId) ? "PromotionAlreadyExists" : undefined),
  );
  if (broken !== undefined) return reject(broken);
  promotions(ledger).set(command.promotionId, {
    currency: budget.currency,
    discount:
      discount.kind === "fixed"
        ? { kind: "fixed", amount: discount.amount.amount }
        : { kind: "percentage", basisPoints: BigInt(discount.basisPoints) },
    budget: budget.amount,
    spent: 0n,
  });
  return accepted;
};

// ---------------------------------------------------------------------------------------------
// at checkout

/** How a checkout that passed its other rules is paid. */
export interface CheckoutPlan {
  readonly payable: bigint;
  readonly promotion: { readonly promotionId: string; readonly discount: bigint } | undefined;
  readonly conversion:
    { readonly quote: ModelQuote; readonly gross: bigint; readonly fee: bigint } | undefined;
}

function discountRule(
  ledger: ModelLedger,
  promotionId: string,
  price: { currency: string; amount: bigint },
): RejectionTag | { promotionId: string; discount: bigint } | undefined {
  const promotion = promotions(ledger).get(promotionId);
  if (promotion === undefined) return "PromotionNotFound";
  if (promotion.currency !== price.currency) return "CurrencyMismatch";
  const discount =
    promotion.discount.kind === "fixed"
      ? promotion.discount.amount
      : (price.amount * promotion.discount.basisPoints) / 10_000n;
  if (discount >= price.amount) return "DiscountNotBelowPrice";
  if (discount > promotion.budget - promotion.spent) return "PromotionBudgetExhausted";
  // A percentage that rounds to nothing discounts nothing: the checkout is an ordinary one.
  return discount === 0n ? undefined : { promotionId, discount };
}

function liveQuote(ledger: ModelLedger, quoteId: string, at: Timestamp): ModelQuote | RejectionTag {
  const quote = ledger.treasury.quotes.get(quoteId);
  if (quote === undefined) return "FxQuoteNotFound";
  return at >= quote.expiresAt ? "QuoteExpired" : quote;
}

/** The checkout's promotion and conversion, or the first of their rules it breaks (funds last). */
export function checkoutPlan(
  ledger: ModelLedger,
  wallet: ModelWallet,
  command: CommandOf<"Checkout">,
  at: Timestamp,
): CheckoutPlan | RejectionTag {
  const price = command.amount;
  const promotion =
    command.promotionId === undefined
      ? undefined
      : discountRule(ledger, command.promotionId, price);
  if (typeof promotion === "string") return promotion;
  const payable = price.amount - (promotion?.discount ?? 0n);
  if (command.quoteId === undefined)
    return (
      fundsRule(wallet, price.currency, payable) ?? { payable, promotion, conversion: undefined }
    );
  const quote = liveQuote(ledger, command.quoteId, at);
  if (typeof quote === "string") return quote;
  if (quote.target !== price.currency) return "CurrencyMismatch";
  const paid = modelGrossFor(quote, payable);
  if (paid === undefined) return "ConversionTooSmall";
  return (
    fundsRule(wallet, quote.source, paid.gross) ?? {
      payable,
      promotion,
      conversion: { quote, ...paid },
    }
  );
}

/** What the wallet spends on a checkout, for the payment rules (§7: the currency it pays in). */
export function checkoutPaid(
  ledger: ModelLedger,
  command: CommandOf<"Checkout">,
  at: Timestamp,
): { currency: string; amount: bigint } {
  const wallet = ledger.wallets.get(command.walletId);
  const plan = wallet === undefined ? undefined : checkoutPlan(ledger, wallet, command, at);
  if (plan === undefined || typeof plan === "string") return command.amount;
  return plan.conversion === undefined
    ? { currency: command.amount.currency, amount: plan.payable }
    : { currency: plan.conversion.quote.source, amount: plan.conversion.gross };
}

/** Moves the checkout's money (the buyer's share out of available, the whole price into held). */
export function payCheckout(
  ledger: ModelLedger,
  wallet: ModelWallet,
  price: { currency: string; amount: bigint },
  plan: CheckoutPlan,
): ModelOrderFunding | undefined {
  const { payable, promotion, conversion } = plan;
  add(wallet.held, price.currency, price.amount);
  if (promotion !== undefined)
    (promotions(ledger).get(promotion.promotionId) as ModelPromotion).spent += promotion.discount;
  if (conversion === undefined) {
    add(wallet.available, price.currency, -payable);
  } else {
    const source = conversion.quote.source;
    add(wallet.available, source, -conversion.gross);
    houseConverts(
      ledger,
      { currency: source, net: conversion.gross - conversion.fee, fee: conversion.fee },
      { currency: price.currency, delivered: payable },
    );
  }
  if (promotion === undefined && conversion === undefined) return undefined;
  return {
    price: price.amount,
    promotion,
    conversion:
      conversion === undefined
        ? undefined
        : {
            source: conversion.quote.source,
            gross: conversion.gross,
            fee: conversion.fee,
            payable,
          },
    returned: 0n,
    promotionReturned: 0n,
    returnedAtOriginal: 0n,
    netReturned: 0n,
    feeReturned: 0n,
  };
}

// ---------------------------------------------------------------------------------------------
// the way back

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

type ReturnPlan =
  | { readonly kind: "none" }
  | {
      readonly kind: "return";
      readonly share: bigint;
      readonly buyerShare: bigint;
      readonly back:
        | { readonly basis: "original"; readonly net: bigint; readonly fee: bigint }
        | { readonly basis: "quote"; readonly quote: ModelQuote }
        | undefined;
    };

/** What goes back when `credited` of the order's currency reaches the buyer, or the rule broken. */
export function planReturn(
  ledger: ModelLedger,
  order: ModelOrder,
  credited: bigint,
  quoteId: string | undefined,
  at: Timestamp,
): ReturnPlan | RejectionTag {
  const funding = order.funding;
  if (funding === undefined || credited === 0n) return { kind: "none" };
  let share = 0n;
  if (funding.promotion !== undefined) {
    const { discount } = funding.promotion;
    const due = min(ceilDiv((funding.returned + credited) * discount, funding.price), discount);
    share = due - funding.promotionReturned;
    share = share < 0n ? 0n : share > credited ? credited : share;
  }
  const buyerShare = credited - share;
  const conversion = funding.conversion;
  if (conversion === undefined || buyerShare === 0n)
    return { kind: "return", share, buyerShare, back: undefined };
  if (quoteId !== undefined) {
    const quote = liveQuote(ledger, quoteId, at);
    if (typeof quote === "string") return quote;
    if (quote.source !== order.currency || quote.target !== conversion.source)
      return "CurrencyMismatch";
    if (modelPrice(quote, buyerShare).target === 0n) return "ConversionTooSmall";
    return { kind: "return", share, buyerShare, back: { basis: "quote", quote } };
  }
  const total = funding.returnedAtOriginal + buyerShare;
  const net = (total * (conversion.gross - conversion.fee)) / conversion.payable;
  const fee = (total * conversion.fee) / conversion.payable;
  return {
    kind: "return",
    share,
    buyerShare,
    back: { basis: "original", net: net - funding.netReturned, fee: fee - funding.feeReturned },
  };
}

/** Applies a plan from `planReturn` (after the credit itself reached the wallet). */
export function applyReturn(
  ledger: ModelLedger,
  order: ModelOrder,
  credited: bigint,
  plan: ReturnPlan,
): void {
  const funding = order.funding;
  if (funding === undefined || plan.kind === "none") return;
  const wallet = ledger.wallets.get(order.walletId) as ModelWallet;
  const { share, buyerShare, back } = plan;
  funding.returned += credited;
  if (funding.promotion !== undefined && share > 0n) {
    add(wallet.available, order.currency, -share);
    (promotions(ledger).get(funding.promotion.promotionId) as ModelPromotion).spent -= share;
    funding.promotionReturned += share;
  }
  const conversion = funding.conversion;
  if (back === undefined || conversion === undefined) return;
  add(wallet.available, order.currency, -buyerShare);
  if (back.basis === "quote") {
    const price = modelPrice(back.quote, buyerShare);
    add(wallet.available, conversion.source, price.target);
    houseConverts(
      ledger,
      { currency: order.currency, net: buyerShare - price.fee, fee: price.fee },
      { currency: conversion.source, delivered: price.target },
    );
    return;
  }
  add(wallet.available, conversion.source, back.net + back.fee);
  houseConverts(
    ledger,
    { currency: order.currency, net: buyerShare, fee: 0n },
    { currency: conversion.source, delivered: back.net },
  );
  add(ledger.treasury.fxFees, conversion.source, -back.fee);
  funding.returnedAtOriginal += buyerShare;
  funding.netReturned += back.net;
  funding.feeReturned += back.fee;
}

/** A credit to the buyer that can break no rule (a release, expiry or final capture's remainder). */
export function returnFunding(ledger: ModelLedger, order: ModelOrder, credited: bigint): void {
  const plan = planReturn(ledger, order, credited, undefined, 0);
  if (typeof plan === "string") throw new Error(`model: a return without a quote broke ${plan}`);
  applyReturn(ledger, order, credited, plan);
}
