/**
 * How a checkout is paid when it is not plain wallet money in the order's currency, and how
 * that money goes back.
 *
 * At checkout (one entry, `CheckoutStarted`), for a price P in currency T:
 * - a promotion pays a discount D (fixed, or a percentage of P rounded down: the platform
 *   funds no fraction of a unit) from `expenses:promotions:{promotion}` within its budget;
 * - the buyer pays P − D, from T, or at an FX quote from another currency S: the least
 *   gross amount of S whose conversion covers P − D (fee rounded up, target rounded down;
 *   any fraction above P − D stays with the house);
 * - the wallet's held account receives the whole P, so captures, escrow and the merchant
 *   see the full price, exactly as for any checkout.
 *
 * On the way back (`CheckoutFundingReturned`, appended to the event that credited the buyer
 * in T), the promotion's share of what was returned (rounded up, so the buyer never gets
 * back more than they paid) goes back to the promotion and its budget, and the buyer's
 * share is converted back into S: by default at the original terms (the same proportion of
 * the gross and of the fee, rounded down), or, for a refund that names one, at a new quote.
 */
import type { CommandOf, LedgerCommand } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import type { EventOf, LedgerEvent } from "../events/ledger-event.js";
import { FX_ROUNDING } from "../events/fx-events.js";
import {
  feeRevenueAccount,
  fxLiquidityAccount,
  promotionExpenseAccount,
} from "../ledger/account.js";
import { move, type Posting } from "../ledger/posting.js";
import { basisPointsOf, proportionOf } from "../money/index.js";
import type { Rejection } from "../rejections/rejection.js";
import {
  creditedToBuyer,
  orderIdOf,
  promotionRemaining,
  type OrderFunding,
} from "../state/checkout-funding-state.js";
import type { FxQuote } from "../state/fx-state.js";
import type { LedgerState, Wallet } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";
import { accepted, rejected, type Decision } from "./decision.js";
import { conversionPostings, findLiveQuote } from "./fx-decisions.js";
import { grossForTarget, priceConversion, type FxPrice } from "./fx-pricing.js";
import { checkFunds, isRejection } from "./guards.js";
import { AssertionFailure } from "../assertion.js";

export interface CheckoutFunding {
  /** What the buyer pays, in the order's currency. */
  readonly payable: bigint;
  readonly promotion: { readonly promotionId: string; readonly discount: bigint } | undefined;
  readonly conversion: { readonly quote: FxQuote; readonly price: FxPrice } | undefined;
}

function discountOf(
  state: LedgerState,
  promotionId: string,
  price: Money,
): { promotionId: string; discount: bigint } | Rejection | undefined {
  const promotion = state.promotions.get(promotionId);
  if (promotion === undefined) return { _tag: "PromotionNotFound", promotionId };
  if (promotion.currency !== price.currency)
    return { _tag: "CurrencyMismatch", expected: promotion.currency, actual: price.currency };
  const discount =
    promotion.discount.kind === "fixed"
      ? promotion.discount.amount
      : basisPointsOf(price.amount, BigInt(promotion.discount.basisPoints), "floor");
  if (discount >= price.amount)
    return { _tag: "DiscountNotBelowPrice", promotionId, discount, price: price.amount };
  const remaining = promotionRemaining(promotion);
  if (discount > remaining)
    return { _tag: "PromotionBudgetExhausted", promotionId, remaining, requested: discount };
  return discount === 0n ? undefined : { promotionId, discount };
}

function convertedFunding(
  state: LedgerState,
  wallet: Wallet,
  quoteId: string,
  target: Money,
  at: Timestamp,
): CheckoutFunding["conversion"] | Rejection {
  const quote = findLiveQuote(state, quoteId, at);
  if (isRejection(quote)) return quote;
  if (quote.targetCurrency !== target.currency)
    return { _tag: "CurrencyMismatch", expected: quote.targetCurrency, actual: target.currency };
  const price = grossForTarget(state.registry, quote, target.amount);
  if (price === undefined) return { _tag: "ConversionTooSmall", quoteId, amount: target.amount };
  const insufficient = checkFunds(state, wallet, {
    currency: quote.sourceCurrency,
    amount: price.gross,
  });
  return insufficient ?? { quote, price: { ...price, target: target.amount } };
}

/** The promotion and conversion of a checkout, checked, or the rule it breaks (funds last). */
export function fundCheckout(
  state: LedgerState,
  wallet: Wallet,
  command: CommandOf<"Checkout">,
  at: Timestamp,
): CheckoutFunding | Rejection {
  const price = command.amount;
  const promotion =
    command.promotionId === undefined ? undefined : discountOf(state, command.promotionId, price);
  if (promotion !== undefined && "_tag" in promotion) return promotion;
  const payable = price.amount - (promotion?.discount ?? 0n);
  if (command.quoteId === undefined) {
    const insufficient = checkFunds(state, wallet, { currency: price.currency, amount: payable });
    return insufficient ?? { payable, promotion, conversion: undefined };
  }
  const conversion = convertedFunding(
    state,
    wallet,
    command.quoteId,
    { currency: price.currency, amount: payable },
    at,
  );
  return conversion !== undefined && "_tag" in conversion
    ? conversion
    : { payable, promotion, conversion };
}

/** The legs of a funded checkout: the buyer's share (converted or not) and the promotion's, into held. */
export function fundedCheckoutPostings(
  wallet: Wallet,
  price: Money,
  funding: CheckoutFunding,
): Posting[] {
  const { promotion, conversion } = funding;
  const buyer =
    conversion === undefined
      ? move(wallet.availableAccount, wallet.heldAccount, price.currency, funding.payable)
      : conversionPostings(
          conversion.quote,
          conversion.price,
          wallet.availableAccount,
          wallet.heldAccount,
        );
  const promoted =
    promotion === undefined
      ? []
      : move(
          promotionExpenseAccount(promotion.promotionId),
          wallet.heldAccount,
          price.currency,
          promotion.discount,
        );
  return [...buyer, ...promoted];
}

/** The fields `CheckoutStarted` records about its funding (none for a plain checkout). */
export function checkoutFundingFields(
  price: Money,
  funding: CheckoutFunding,
): Pick<EventOf<"CheckoutStarted">, "promotion" | "conversion"> {
  const { promotion, conversion } = funding;
  return {
    ...(promotion === undefined
      ? {}
      : {
          promotion: {
            promotionId: promotion.promotionId,
            discount: { currency: price.currency, amount: promotion.discount },
          },
        }),
    ...(conversion === undefined
      ? {}
      : {
          conversion: {
            quoteId: conversion.quote.id,
            rate: conversion.quote.rate,
            feeBasisPoints: conversion.quote.feeBasisPoints,
            source: { currency: conversion.quote.sourceCurrency, amount: conversion.price.gross },
            fee: { currency: conversion.quote.sourceCurrency, amount: conversion.price.fee },
            target: { currency: price.currency, amount: conversion.price.target },
            rounding: FX_ROUNDING,
          },
        }),
  };
}

// ---------------------------------------------------------------------------------------------
// the way back

type ReturnedEvent = EventOf<"CheckoutFundingReturned">;

function promotionShareOf(funding: OrderFunding, credited: bigint): bigint {
  if (funding.promotion === undefined) return 0n;
  const { discount } = funding.promotion;
  const dueTotal = proportionOf(funding.returned + credited, discount, funding.price, "ceiling");
  const share = (dueTotal < discount ? dueTotal : discount) - funding.promotionReturned;
  return share < 0n ? 0n : share > credited ? credited : share;
}

/** The buyer's share back into the source currency at the original terms, rounded down. */
function originalReturn(
  funding: OrderFunding,
  conversion: NonNullable<OrderFunding["conversion"]>,
  buyerShare: bigint,
) {
  const { gross, fee, payable } = conversion;
  const total = funding.returnedAtOriginal + buyerShare;
  const net = proportionOf(total, gross - fee, payable, "floor") - funding.sourceNetReturned;
  const feeBack = proportionOf(total, fee, payable, "floor") - funding.sourceFeeReturned;
  return { net, fee: feeBack };
}

function returnLegs(
  wallet: Wallet,
  currency: string,
  sourceCurrency: string,
  buyerShare: bigint,
  back: { net: bigint; fee: bigint },
): Posting[] {
  return [
    ...move(wallet.availableAccount, fxLiquidityAccount(currency), currency, buyerShare),
    ...(back.net > 0n
      ? move(fxLiquidityAccount(sourceCurrency), wallet.availableAccount, sourceCurrency, back.net)
      : []),
    ...(back.fee > 0n
      ? move(feeRevenueAccount("fx"), wallet.availableAccount, sourceCurrency, back.fee)
      : []),
  ];
}

function quotedReturn(
  state: LedgerState,
  wallet: Wallet,
  funding: OrderFunding,
  quoteId: string,
  buyerShare: bigint,
  at: Timestamp,
): { event: ReturnedEvent["conversion"]; postings: Posting[] } | Rejection {
  const conversion = funding.conversion;
  const quote = findLiveQuote(state, quoteId, at);
  if (isRejection(quote)) return quote;
  if (
    conversion === undefined ||
    quote.sourceCurrency !== funding.currency ||
    quote.targetCurrency !== conversion.sourceCurrency
  ) {
    return {
      _tag: "CurrencyMismatch",
      expected: `${funding.currency}/${conversion?.sourceCurrency ?? funding.currency}`,
      actual: `${quote.sourceCurrency}/${quote.targetCurrency}`,
    };
  }
  const price = priceConversion(state.registry, quote, buyerShare);
  if (price.target === 0n) return { _tag: "ConversionTooSmall", quoteId, amount: buyerShare };
  const event = {
    basis: "quote" as const,
    quoteId,
    rate: quote.rate,
    source: { currency: quote.targetCurrency, amount: price.target },
    fee: { currency: quote.sourceCurrency, amount: price.fee },
    rounding: "floor" as const,
  };
  return {
    event,
    postings: conversionPostings(quote, price, wallet.availableAccount, wallet.availableAccount),
  };
}

/** What goes back for `credited`; undefined when nothing moves (a promotion's share already all returned). */
function fundingReturned(
  state: LedgerState,
  funding: OrderFunding,
  credited: bigint,
  quoteId: string | undefined,
  at: Timestamp,
): ReturnedEvent | Rejection | undefined {
  const wallet = state.wallets.get(funding.walletId);
  if (wallet === undefined)
    throw new AssertionFailure(`order ${funding.orderId} of unknown wallet`);
  const { currency, conversion } = funding;
  const share = promotionShareOf(funding, credited);
  const buyerShare = credited - share;
  const postings: Posting[] =
    share === 0n || funding.promotion === undefined
      ? []
      : move(
          wallet.availableAccount,
          promotionExpenseAccount(funding.promotion.promotionId),
          currency,
          share,
        );
  let converted: ReturnedEvent["conversion"];
  if (conversion !== undefined && buyerShare > 0n) {
    if (quoteId !== undefined) {
      const quoted = quotedReturn(state, wallet, funding, quoteId, buyerShare, at);
      if ("_tag" in quoted) return quoted;
      converted = quoted.event;
      postings.push(...quoted.postings);
    } else {
      const back = originalReturn(funding, conversion, buyerShare);
      const source = conversion.sourceCurrency;
      converted = {
        basis: "original",
        quoteId: conversion.quoteId,
        rate: conversion.rate,
        source: { currency: source, amount: back.net + back.fee },
        fee: { currency: source, amount: back.fee },
        rounding: "floor",
      };
      postings.push(...returnLegs(wallet, currency, source, buyerShare, back));
    }
  }
  if (postings.length === 0) return undefined;
  return {
    type: "CheckoutFundingReturned",
    orderId: funding.orderId,
    returned: { currency, amount: credited },
    promotionShare: { currency, amount: share },
    ...(converted === undefined ? {} : { conversion: converted }),
    postings,
  };
}

/**
 * A funded checkout's price is fixed: growing its hold would add money paid neither by the
 * promotion nor through the quote, which no return could then split correctly.
 */
function checkNotGrown(state: LedgerState, event: LedgerEvent): Rejection | undefined {
  if (event.type !== "HoldIncreased") return undefined;
  const orderId = state.holds.get(event.holdId)?.orderId;
  return orderId !== undefined && state.orderFunding.has(orderId)
    ? { _tag: "HoldBelongsToOrder", holdId: event.holdId, orderId }
    : undefined;
}

/** Applies `CheckoutFundingReturned` to every event of the decision that credits a funded order's buyer. */
export function returnCheckoutFunding(
  state: LedgerState,
  command: LedgerCommand,
  at: Timestamp,
  decision: Decision,
): Decision {
  if (decision._tag === "Left" || state.orderFunding.size === 0) return decision;
  for (const event of decision.right) {
    const grown = checkNotGrown(state, event);
    if (grown !== undefined) return rejected(grown);
  }
  const quoteId = command.type === "RefundOrder" ? command.quoteId : undefined;
  const events: LedgerEvent[] = [];
  const running = new Map<string, OrderFunding>();
  for (const event of decision.right) {
    events.push(event);
    const orderId = orderIdOf(state, event);
    const known =
      orderId === undefined ? undefined : (running.get(orderId) ?? state.orderFunding.get(orderId));
    const wallet = known === undefined ? undefined : state.wallets.get(known.walletId);
    if (known === undefined || wallet === undefined || event.type === "CheckoutFundingReturned")
      continue;
    const credited = creditedToBuyer(wallet, known.currency, event);
    if (credited === 0n) continue;
    const returned = fundingReturned(state, known, credited, quoteId, at);
    if (returned !== undefined && "_tag" in returned) return rejected(returned);
    if (returned !== undefined) events.push(returned);
    // `returned` counts every credit, whether or not anything went back (as evolve does).
    running.set(known.orderId, {
      ...(returned === undefined ? known : afterReturn(known, returned)),
      returned: known.returned + credited,
    });
  }
  return events.length === decision.right.length ? decision : accepted(...events);
}

/** The funding totals after a return, for a second return in the same command. */
function afterReturn(funding: OrderFunding, event: ReturnedEvent): OrderFunding {
  const original = event.conversion?.basis === "original" ? event.conversion : undefined;
  return {
    ...funding,
    promotionReturned: funding.promotionReturned + event.promotionShare.amount,
    returnedAtOriginal:
      funding.returnedAtOriginal +
      (original === undefined ? 0n : event.returned.amount - event.promotionShare.amount),
    sourceNetReturned:
      funding.sourceNetReturned +
      (original === undefined ? 0n : original.source.amount - original.fee.amount),
    sourceFeeReturned: funding.sourceFeeReturned + (original?.fee.amount ?? 0n),
  };
}
