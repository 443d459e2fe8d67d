/** Requests about currency conversion: issue a quote, convert a wallet's money at it. */
import * as t from "io-ts";
import { BasisPoints, currencyCodeCodec } from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Timestamp } from "../codec/primitives.js";
import { RateText } from "../codec/rate-codec.js";

export const fxCommandCodecs = (c: CodecContext) => ({
  /** Issued at the command's time; `rate` is target units per source unit, spread included. */
  QuoteFx: t.type({
    type: t.literal("QuoteFx"),
    quoteId: EntityId,
    sourceCurrency: currencyCodeCodec(c.registry),
    targetCurrency: currencyCodeCodec(c.registry),
    rate: RateText,
    feeBasisPoints: BasisPoints,
    expiresAt: Timestamp,
  }),
  /** `amount` is what leaves the wallet in the quote's source currency, fee included. */
  ConvertCurrency: t.type({
    type: t.literal("ConvertCurrency"),
    conversionId: EntityId,
    walletId: EntityId,
    quoteId: EntityId,
    amount: c.money,
  }),
});
