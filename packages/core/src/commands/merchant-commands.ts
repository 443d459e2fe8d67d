/** Requests about merchants, their fee schedules, and the agreements wallets give them. */
import * as t from "io-ts";
import {
  BasisPoints,
  currencyCodeCodec,
  FeeRefundPolicy,
  RoundingModeCodec,
} from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";

export const merchantCommandCodecs = (c: CodecContext) => ({
  RegisterMerchant: t.type({
    type: t.literal("RegisterMerchant"),
    merchantId: EntityId,
    settlementCurrency: currencyCodeCodec(c.registry),
    allowNegativeBalance: t.boolean,
  }),
  SetMerchantNegativeBalance: t.type({
    type: t.literal("SetMerchantNegativeBalance"),
    merchantId: EntityId,
    allowed: t.boolean,
  }),
  SetFeeSchedule: t.type({
    type: t.literal("SetFeeSchedule"),
    merchantId: EntityId,
    basisPoints: BasisPoints,
    fixed: c.moneyOrZero,
    rounding: RoundingModeCodec,
    refundFee: FeeRefundPolicy,
  }),
  AuthorizeMerchant: t.intersection([
    t.type({
      type: t.literal("AuthorizeMerchant"),
      agreementId: EntityId,
      walletId: EntityId,
      merchantId: EntityId,
    }),
    t.partial({ perPaymentCap: c.money, perDayCap: c.money }),
  ]),
  RevokeAuthorization: t.type({ type: t.literal("RevokeAuthorization"), agreementId: EntityId }),
});
