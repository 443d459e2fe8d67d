/**
 * Promotions and the funding of a checkout that is not plain wallet money.
 *
 * A platform-funded promotion pays part of a checkout: the merchant is owed the full price,
 * the buyer pays less, and the difference is debited to `expenses:promotions:{promotion}`
 * within the promotion's budget. A checkout may also be paid from another currency at an
 * FX quote. Both are recorded on `CheckoutStarted` (`promotion`, `conversion`), in the
 * checkout's one entry.
 *
 * When money of such an order goes back to the buyer (a refund, a released or expired hold,
 * the remainder of a final capture), `CheckoutFundingReturned` follows that event in the
 * same command: the promotion's share goes back to the promotion (and its budget), and the
 * buyer's share goes back into the currency they paid in, at the original terms by default
 * or at a quote a refund names.
 */
import * as t from "io-ts";
import { BasisPoints } from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";
import { RateText } from "../codec/rate-codec.js";
import { conversionFields } from "./fx-events.js";

export const promotionDiscountCodec = (c: CodecContext) =>
  t.union([
    t.type({ kind: t.literal("fixed"), amount: c.money }),
    t.type({ kind: t.literal("percentage"), basisPoints: BasisPoints }),
  ]);

/** The conversion a cross-currency checkout made: the wallet paid `source` for `target`. */
export const checkoutConversionCodec = (c: CodecContext) => t.type(conversionFields(c));

export const checkoutPromotionCodec = (c: CodecContext) =>
  t.type({ promotionId: EntityId, discount: c.money });

/** Original terms (proportional, rounded down for the buyer) or a new quote named by the refund. */
export const ReturnRateBasis = t.union([t.literal("original"), t.literal("quote")]);
export type ReturnRateBasis = t.TypeOf<typeof ReturnRateBasis>;

export const promotionEventCodecs = (c: CodecContext) => ({
  PromotionCreated: t.type({
    type: t.literal("PromotionCreated"),
    promotionId: EntityId,
    discount: promotionDiscountCodec(c),
    budget: c.money,
    postings: c.postings,
  }),
  CheckoutFundingReturned: t.intersection([
    t.type({
      type: t.literal("CheckoutFundingReturned"),
      orderId: EntityId,
      /** What the preceding event credited to the buyer, in the order's currency. */
      returned: c.money,
      /** Of which the promotion's share, taken back from the buyer to the promotion. */
      promotionShare: c.moneyOrZero,
      postings: c.postings,
    }),
    t.partial({
      /** The buyer's share converted back into the currency paid with. */
      conversion: t.type({
        basis: ReturnRateBasis,
        quoteId: EntityId,
        rate: RateText,
        source: c.moneyOrZero,
        fee: c.moneyOrZero,
        rounding: t.literal("floor"),
      }),
    }),
  ]),
});
