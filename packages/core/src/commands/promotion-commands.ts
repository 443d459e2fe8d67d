/** Requests about promotions: create one with its discount and budget. */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";
import { promotionDiscountCodec } from "../events/promotion-events.js";

export const promotionCommandCodecs = (c: CodecContext) => ({
  /** The budget's currency is the currency of the checkouts the promotion applies to. */
  CreatePromotion: t.type({
    type: t.literal("CreatePromotion"),
    promotionId: EntityId,
    discount: promotionDiscountCodec(c),
    budget: c.money,
  }),
});
