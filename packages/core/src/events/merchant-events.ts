/**
 * Facts about merchants and the agreements wallets give them. None of them moves money, so
 * their postings are empty; they carry the settings later decisions read (settlement
 * currency, whether the balance may go negative, fee schedules, caps).
 */
import * as t from "io-ts";
import {
  BasisPoints,
  currencyCodeCodec,
  FeeRefundPolicy,
  RoundingModeCodec,
} from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";

export const merchantEventCodecs = (c: CodecContext) => ({
  MerchantRegistered: t.type({
    type: t.literal("MerchantRegistered"),
    merchantId: EntityId,
    settlementCurrency: currencyCodeCodec(c.registry),
    /** Whether refunds may drive the merchant's balance below zero (the platform then carries the debt). */
    allowNegativeBalance: t.boolean,
    postings: c.postings,
  }),
  MerchantNegativeBalanceSet: t.type({
    type: t.literal("MerchantNegativeBalanceSet"),
    merchantId: EntityId,
    allowed: t.boolean,
    postings: c.postings,
  }),
  /** The schedule's currency is the fixed part's currency (a zero fixed part is allowed). */
  FeeScheduleSet: t.type({
    type: t.literal("FeeScheduleSet"),
    merchantId: EntityId,
    basisPoints: BasisPoints,
    fixed: c.moneyOrZero,
    rounding: RoundingModeCodec,
    refundFee: FeeRefundPolicy,
    postings: c.postings,
  }),
  MerchantAuthorized: t.intersection([
    t.type({
      type: t.literal("MerchantAuthorized"),
      agreementId: EntityId,
      walletId: EntityId,
      merchantId: EntityId,
      postings: c.postings,
    }),
    t.partial({ perPaymentCap: c.money, perDayCap: c.money }),
  ]),
  AuthorizationRevoked: t.type({
    type: t.literal("AuthorizationRevoked"),
    agreementId: EntityId,
    walletId: EntityId,
    merchantId: EntityId,
    postings: c.postings,
  }),
});
