/**
 * Arbitraries of promoted and converted checkouts and of the commands that send their money
 * back (captures with their remainder, releases, expiry, refunds at the original terms or at a
 * new quote, disputes), for the wallet-world model run (model-based.test.ts), where they mix
 * with the core, checkout, treasury and payout commands.
 *
 * Funded orders use their own order and hold ids (o3–o5, h4–h6) so that most sequences can
 * still open a few of them after the prelude took the shared ones. Merchant, currency,
 * promotion and quote are drawn together, mostly coherent (m1 settles USD and is paid from JPY
 * at q2/q4; m2 settles JPY and is paid from USD at q1/q3), sometimes not, so both acceptance
 * and every funding rule (unknown promotion, wrong currency, exhausted budget, discount not
 * below the price, unknown or expired quote, wrong pair) come up. Like the other arbitrary
 * modules, it imports only types from `arbitraries.ts`.
 */
import fc from "fast-check";
import type { CommandOf, LedgerCommand } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import type { Timestamp } from "../time/timestamp.js";
import type { CommandArbitrary } from "./arbitraries.js";

const HOUR_MS = 3_600_000;
export const FUNDED_ORDER_IDS = ["o3", "o4", "o5"] as const;
export const FUNDED_HOLD_IDS = ["h4", "h5", "h6"] as const;
const orderId = fc.constantFrom(...FUNDED_ORDER_IDS);
const holdId = fc.constantFrom(...FUNDED_HOLD_IDS);
const walletId = fc.constantFrom("w1", "w2", "w3");
const refundId = fc.constantFrom("r1", "r2", "r3");
const disputeId = fc.constantFrom("d2", "d3");
const offset = fc.constantFrom(-1_000, 0, HOUR_MS, 30 * HOUR_MS, 30 * HOUR_MS, 30 * HOUR_MS);

/** Prices and refunds: mostly ordinary, a few round (so whole-price and whole-refund cases meet), rarely not positive. */
const amount = fc.oneof(
  { weight: 20, arbitrary: fc.bigInt(1n, 3_000n) },
  { weight: 5, arbitrary: fc.constantFrom(500n, 1_000n, 2_000n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n) },
);
const smallAmount = fc.oneof(
  { weight: 20, arbitrary: fc.bigInt(1n, 1_200n) },
  { weight: 5, arbitrary: fc.constantFrom(500n, 1_000n) },
  { weight: 1, arbitrary: fc.constant(0n) },
);

/** Merchant, currency, promotion and quote that fit together (the quote's target is the price's currency). */
const COHERENT = [
  { merchantId: "m1", currency: "USD", promotions: ["promo1", "promo3"], quotes: ["q2", "q4"] },
  { merchantId: "m2", currency: "JPY", promotions: ["promo2"], quotes: ["q1", "q3"] },
] as const;

const terms = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...COHERENT).chain((fit) =>
      fc.record({
        merchantId: fc.constant(fit.merchantId),
        currency: fc.constant(fit.currency),
        promotionId: fc.constantFrom(...fit.promotions),
        quoteId: fc.constantFrom(...fit.quotes),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      merchantId: fc.constantFrom("m1", "m2"),
      currency: fc.constantFrom("USD", "JPY", "QQQ"),
      promotionId: fc.constantFrom("promo1", "promo2", "promo3", "promo9"),
      quoteId: fc.constantFrom("q1", "q2", "q3", "q9"),
    }),
  },
);

const fundedCheckout: fc.Arbitrary<LedgerCommand> = fc
  .record({
    orderId,
    holdId,
    walletId,
    terms,
    funding: fc.constantFrom("promoted", "converted", "both"),
    price: amount,
    expiresAt: offset,
    strongAuthentication: fc.boolean(),
  })
  .map(({ terms: fit, funding, price, ...rest }): CommandOf<"Checkout"> => ({
    type: "Checkout",
    ...rest,
    merchantId: fit.merchantId,
    amount: { currency: fit.currency, amount: price },
    initiatedBy: "buyer",
    ...(funding === "converted" ? {} : { promotionId: fit.promotionId }),
    ...(funding === "promoted" ? {} : { quoteId: fit.quoteId }),
  }));

const money = (currency: fc.Arbitrary<string>, of: fc.Arbitrary<bigint>): fc.Arbitrary<Money> =>
  fc.record({ currency, amount: of });
const priceCurrency = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom("USD", "JPY") },
  { weight: 1, arbitrary: fc.constant("QQQ") },
);

const promotion: fc.Arbitrary<LedgerCommand> = fc
  .record({
    promotionId: fc.constantFrom("promo1", "promo2", "promo3", "promo4"),
    discount: fc.oneof(
      fc.constantFrom<CommandOf<"CreatePromotion">["discount"]>(
        { kind: "fixed", amount: { currency: "USD", amount: 500n } },
        { kind: "fixed", amount: { currency: "JPY", amount: 300n } },
        { kind: "fixed", amount: { currency: "USD", amount: 0n } },
        { kind: "percentage", basisPoints: 1_500 },
        { kind: "percentage", basisPoints: 0 },
        { kind: "percentage", basisPoints: 10_000 },
      ),
    ),
    budget: money(priceCurrency, fc.constantFrom(0n, 700n, 3_000n)),
  })
  .map((fields) => ({ type: "CreatePromotion" as const, ...fields }));

const quote: fc.Arbitrary<LedgerCommand> = fc
  .record({
    quoteId: fc.constantFrom("q3", "q4"),
    pair: fc.constantFrom(
      { sourceCurrency: "USD", targetCurrency: "JPY", rate: "149.237" },
      { sourceCurrency: "JPY", targetCurrency: "USD", rate: "0.0067" },
    ),
    feeBasisPoints: fc.constantFrom(0, 50, 250),
    expiresAt: offset,
  })
  .map(({ pair, ...rest }) => ({ type: "QuoteFx" as const, ...pair, ...rest }));

/**
 * Refunds of funded orders: mostly in the order's currency and, when converting back at a new
 * quote, at one from that currency to the one the buyer paid in (o3 and o4 are USD orders, o4
 * paid from JPY: back at a USD → JPY quote; o5 a JPY order paid from USD: back at JPY → USD);
 * sometimes anything.
 */
const refundTerms = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.oneof(
      fc.record({
        orderId: fc.constantFrom("o3", "o4"),
        currency: fc.constant("USD"),
        quoteId: fc.constantFrom("q1", "q3"),
      }),
      fc.record({
        orderId: fc.constant("o5"),
        currency: fc.constant("JPY"),
        quoteId: fc.constantFrom("q2", "q4"),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      orderId,
      currency: priceCurrency,
      quoteId: fc.constantFrom("q1", "q2", "q3", "q4", "q9"),
    }),
  },
);
const refund: fc.Arbitrary<LedgerCommand> = fc
  .record({
    refundId,
    terms: refundTerms,
    amount: fc.oneof(fc.bigInt(1n, 500n), smallAmount),
    atQuote: fc.boolean(),
  })
  .map(({ refundId: id, terms: fit, amount: refunded, atQuote }) => ({
    type: "RefundOrder" as const,
    refundId: id,
    orderId: fit.orderId,
    amount: { currency: fit.currency, amount: refunded },
    ...(atQuote ? { quoteId: fit.quoteId } : {}),
  }));

/** Holds of funded orders and the rest of their order's life, drawn as one group. */
const orderLife: fc.Arbitrary<LedgerCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ holdId, amount: money(priceCurrency, smallAmount), final: fc.boolean() })
      .map((fields) => ({ type: "CaptureHold" as const, ...fields })),
  },
  { weight: 1, arbitrary: holdId.map((id) => ({ type: "ReleaseHold" as const, holdId: id })) },
  { weight: 1, arbitrary: holdId.map((id) => ({ type: "ExpireHold" as const, holdId: id })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ holdId, amount: money(priceCurrency, smallAmount) })
      .map((fields) => ({ type: "IncreaseHold" as const, ...fields })),
  },
  { weight: 2, arbitrary: orderId.map((id) => ({ type: "ReleaseEscrow" as const, orderId: id })) },
  { weight: 1, arbitrary: orderId.map((id) => ({ type: "ConfirmReceipt" as const, orderId: id })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ disputeId, orderId })
      .map((fields) => ({ type: "OpenDispute" as const, reason: "not as described", ...fields })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ disputeId, refundId, amount: money(priceCurrency, smallAmount) })
      .map((fields) => ({ type: "ResolveDisputeForBuyer" as const, ...fields })),
  },
);

const relative = <C extends { expiresAt: Timestamp }>(command: C, at: Timestamp): C => ({
  ...command,
  expiresAt: at + command.expiresAt,
});

export function fundingArbitraries(): CommandArbitrary[] {
  const entry = (
    type: CommandArbitrary["type"],
    weight: number,
    arbitrary: fc.Arbitrary<LedgerCommand>,
    resolve?: CommandArbitrary["resolve"],
  ): CommandArbitrary => ({
    type,
    weight,
    arbitrary,
    ...(resolve === undefined ? {} : { resolve }),
  });
  const shipped = orderId.chain((id) =>
    fc
      .constantFrom(-1_000, 0, HOUR_MS, 30 * HOUR_MS)
      .map((ends) => ({ type: "ShipOrder" as const, orderId: id, protectionEndsAt: ends })),
  );
  return [
    entry("Checkout", 8, fundedCheckout, (command, at) =>
      relative(command as CommandOf<"Checkout">, at),
    ),
    entry("CreatePromotion", 1, promotion),
    entry("QuoteFx", 1, quote, (command, at) => relative(command as CommandOf<"QuoteFx">, at)),
    entry("RefundOrder", 6, refund),
    entry("ShipOrder", 1, shipped, (command, at) => {
      const ship = command as CommandOf<"ShipOrder">;
      return { ...ship, protectionEndsAt: at + ship.protectionEndsAt };
    }),
    entry("CaptureHold", 11, orderLife),
  ];
}

/**
 * Promotions with small budgets, so they run out and refunds refill them (5.00 USD off within
 * 10.00; 10% off JPY prices within 400 JPY; 15% off USD prices within 6.00), and three funded
 * orders (times relative): promoted (o3), converted from JPY (o4: its final capture returns the
 * rest converted back at the original terms) and both (o5), each partly captured.
 */
export const FUNDING_PRELUDE: readonly LedgerCommand[] = [
  {
    type: "CreatePromotion",
    promotionId: "promo1",
    discount: { kind: "fixed", amount: { currency: "USD", amount: 500n } },
    budget: { currency: "USD", amount: 1_000n },
  },
  {
    type: "CreatePromotion",
    promotionId: "promo2",
    discount: { kind: "percentage", basisPoints: 1_000 },
    budget: { currency: "JPY", amount: 400n },
  },
  {
    type: "CreatePromotion",
    promotionId: "promo3",
    discount: { kind: "percentage", basisPoints: 1_500 },
    budget: { currency: "USD", amount: 600n },
  },
  checkoutOf(
    "o3",
    "h4",
    "w1",
    "m1",
    { currency: "USD", amount: 2_000n },
    { promotionId: "promo1" },
  ),
  checkoutOf("o4", "h5", "w2", "m1", { currency: "USD", amount: 1_500n }, { quoteId: "q2" }),
  checkoutOf(
    "o5",
    "h6",
    "w1",
    "m2",
    { currency: "JPY", amount: 2_000n },
    { promotionId: "promo2", quoteId: "q1" },
  ),
  { type: "CaptureHold", holdId: "h4", amount: { currency: "USD", amount: 1_000n }, final: false },
  { type: "CaptureHold", holdId: "h5", amount: { currency: "USD", amount: 500n }, final: true },
  { type: "CaptureHold", holdId: "h6", amount: { currency: "JPY", amount: 1_500n }, final: false },
  // o3 and o5 shipped with their protection already over and released: a refund of either
  // beyond its escrow is a clawback from the merchant (m2 may go negative, m1 may not).
  { type: "ShipOrder", orderId: "o3", protectionEndsAt: 0 },
  { type: "ReleaseEscrow", orderId: "o3" },
  { type: "ShipOrder", orderId: "o5", protectionEndsAt: 0 },
  { type: "ReleaseEscrow", orderId: "o5" },
  // m2 is paid out, then refunds part of o5 from its own balance: negative until it earns more,
  // which its next payout recovers.
  { type: "PayOutMerchant", payoutId: "p2", merchantId: "m2" },
  {
    type: "RefundOrder",
    refundId: "r3",
    orderId: "o5",
    amount: { currency: "JPY", amount: 600n },
  },
];

function checkoutOf(
  order: string,
  hold: string,
  wallet: string,
  merchant: string,
  price: Money,
  funding: { promotionId?: string; quoteId?: string },
): LedgerCommand {
  return {
    type: "Checkout",
    orderId: order,
    holdId: hold,
    walletId: wallet,
    merchantId: merchant,
    amount: price,
    expiresAt: 30 * HOUR_MS,
    initiatedBy: "buyer",
    ...funding,
  };
}
