/**
 * What checkout funding remembers: promotions with their budgets, and for each order paid
 * with a promotion or from another currency, how it was paid and how much of it has gone
 * back. Returns are computed cumulatively (the share of everything returned so far, less
 * what earlier returns gave), so partial returns add up exactly to a full one.
 */
import { knownEntity } from "./known-entity.js";
import type { EventOf, LedgerEvent } from "../events/ledger-event.js";
import type { LedgerState, Wallet } from "./ledger-state.js";
import { AssertionFailure } from "../assertion.js";

export type PromotionDiscount =
  | { readonly kind: "fixed"; readonly amount: bigint }
  | { readonly kind: "percentage"; readonly basisPoints: number };

export interface Promotion {
  readonly id: string;
  readonly currency: string;
  readonly discount: PromotionDiscount;
  readonly budget: bigint;
  /** Discounts given, less promotion shares returned. Never above `budget`. */
  spent: bigint;
}

export interface OrderConversion {
  readonly quoteId: string;
  readonly rate: string;
  readonly sourceCurrency: string;
  readonly gross: bigint;
  readonly fee: bigint;
  /** What the conversion delivered: the buyer's share of the price, in the order's currency. */
  readonly payable: bigint;
}

export interface OrderFunding {
  readonly orderId: string;
  readonly walletId: string;
  readonly currency: string;
  readonly price: bigint;
  readonly promotion: { readonly promotionId: string; readonly discount: bigint } | undefined;
  readonly conversion: OrderConversion | undefined;
  /** Everything credited back to the buyer in the order's currency. */
  returned: bigint;
  promotionReturned: bigint;
  /** The buyer's share converted back at the original terms, and what that gave. */
  returnedAtOriginal: bigint;
  sourceNetReturned: bigint;
  sourceFeeReturned: bigint;
}

export const promotionRemaining = (promotion: Promotion): bigint =>
  promotion.budget - promotion.spent;

export function applyPromotionCreated(
  state: LedgerState,
  event: EventOf<"PromotionCreated">,
): void {
  const discount: PromotionDiscount =
    event.discount.kind === "fixed"
      ? { kind: "fixed", amount: event.discount.amount.amount }
      : event.discount;
  state.promotions.set(event.promotionId, {
    id: event.promotionId,
    currency: event.budget.currency,
    discount,
    budget: event.budget.amount,
    spent: 0n,
  });
}

/** Remembers how a promoted or converted checkout was paid (other checkouts need nothing here). */
export function rememberCheckoutFunding(
  state: LedgerState,
  event: EventOf<"CheckoutStarted">,
): void {
  const { promotion: promoted, conversion } = event;
  if (promoted === undefined && conversion === undefined) return;
  if (promoted !== undefined) {
    const funded = knownEntity(state.promotions, promoted.promotionId, "promotion");
    funded.spent += promoted.discount.amount;
    if (funded.spent > funded.budget)
      throw new AssertionFailure(`promotion ${funded.id} spent beyond its budget`);
  }
  state.orderFunding.set(event.orderId, {
    orderId: event.orderId,
    walletId: event.walletId,
    currency: event.amount.currency,
    price: event.amount.amount,
    promotion:
      promoted === undefined
        ? undefined
        : { promotionId: promoted.promotionId, discount: promoted.discount.amount },
    conversion:
      conversion === undefined
        ? undefined
        : {
            quoteId: conversion.quoteId,
            rate: conversion.rate,
            sourceCurrency: conversion.source.currency,
            gross: conversion.source.amount,
            fee: conversion.fee.amount,
            payable: conversion.target.amount,
          },
    returned: 0n,
    promotionReturned: 0n,
    returnedAtOriginal: 0n,
    sourceNetReturned: 0n,
    sourceFeeReturned: 0n,
  });
}

export function applyFundingReturned(
  state: LedgerState,
  event: EventOf<"CheckoutFundingReturned">,
): void {
  const funding = state.orderFunding.get(event.orderId);
  if (funding === undefined)
    throw new AssertionFailure(`funding returned for unknown order ${event.orderId}`);
  funding.promotionReturned += event.promotionShare.amount;
  if (funding.promotion !== undefined)
    knownEntity(state.promotions, funding.promotion.promotionId, "promotion").spent -=
      event.promotionShare.amount;
  const conversion = event.conversion;
  if (conversion !== undefined && conversion.basis === "original") {
    funding.returnedAtOriginal += event.returned.amount - event.promotionShare.amount;
    funding.sourceNetReturned += conversion.source.amount - conversion.fee.amount;
    funding.sourceFeeReturned += conversion.fee.amount;
  }
  if (
    funding.returned > funding.price ||
    funding.promotionReturned > (funding.promotion?.discount ?? 0n)
  ) {
    throw new AssertionFailure(`order ${funding.orderId} returned more than it was paid`);
  }
}

// ---------------------------------------------------------------------------------------------
// credits back to a funded order's buyer

/** The order an event is about, directly or through its hold. */
export function orderIdOf(state: LedgerState, event: LedgerEvent): string | undefined {
  if ("orderId" in event) return event.orderId;
  if ("holdId" in event) return state.holds.get(event.holdId)?.orderId;
  return undefined;
}

/** What an event credited to the buyer's available account in the order's currency. */
export function creditedToBuyer(wallet: Wallet, currency: string, event: LedgerEvent): bigint {
  let credited = 0n;
  for (const posting of event.postings)
    if (
      posting.account === wallet.availableAccount &&
      posting.currency === currency &&
      posting.amount < 0n
    )
      credited -= posting.amount;
  return credited;
}

/**
 * Counts what an event credits back to a funded order's buyer, from its postings. Counted
 * here rather than from `CheckoutFundingReturned`, which is recorded only when something
 * goes back: a credit whose promotion share rounds to nothing still counts toward later shares.
 */
export function rememberBuyerCredit(state: LedgerState, event: LedgerEvent): void {
  if (state.orderFunding.size === 0 || event.type === "CheckoutFundingReturned") return;
  const orderId = orderIdOf(state, event);
  const funding = orderId === undefined ? undefined : state.orderFunding.get(orderId);
  if (funding === undefined) return;
  const wallet = state.wallets.get(funding.walletId);
  if (wallet === undefined)
    throw new AssertionFailure(`order ${funding.orderId} of unknown wallet`);
  funding.returned += creditedToBuyer(wallet, funding.currency, event);
  if (funding.returned > funding.price)
    throw new AssertionFailure(`order ${funding.orderId} returned more than it was paid`);
}
