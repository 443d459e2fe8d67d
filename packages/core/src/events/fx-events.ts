/**
 * Currency conversion: quotes the house issues and conversions executed against them.
 *
 * `CurrencyConverted` records everything needed to explain it without recomputing: the
 * quote's rate and fee, the source amount, the fee, the target amount and the rounding
 * modes used. Rounding always favours the house: the fee is rounded up (`ceiling`) and the
 * target amount down (`floor`), so the customer never receives a fraction of a minor unit
 * the house did not have. Postings (source S, target T):
 *
 *   liabilities:wallets:{w}:available   +gross  S   (the wallet gives up S)
 *   assets:fx-liquidity:S               −net    S   (the house's S position takes it)
 *   income:fees:fx                      −fee    S
 *   assets:fx-liquidity:T               +target T   (the house's T position pays out)
 *   liabilities:wallets:{w}:available   −target T   (the wallet receives T)
 */
import * as t from "io-ts";
import { BasisPoints, currencyCodeCodec } from "../codec/checkout-codecs.js";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Timestamp } from "../codec/primitives.js";
import { RateText } from "../codec/rate-codec.js";

/** The rounding the house applies to every conversion, stated on each event. */
export const FxRounding = t.type({ fee: t.literal("ceiling"), target: t.literal("floor") });
export type FxRounding = t.TypeOf<typeof FxRounding>;
export const FX_ROUNDING: FxRounding = { fee: "ceiling", target: "floor" };

/** The terms of a conversion at a quote, as `CurrencyConverted` and a checkout record them. */
export const conversionFields = (c: CodecContext) => ({
  quoteId: EntityId,
  rate: RateText,
  feeBasisPoints: BasisPoints,
  /** What left the wallet, fee included. */
  source: c.money,
  fee: c.moneyOrZero,
  target: c.money,
  rounding: FxRounding,
});

export const fxEventCodecs = (c: CodecContext) => ({
  FxQuoted: t.type({
    type: t.literal("FxQuoted"),
    quoteId: EntityId,
    sourceCurrency: currencyCodeCodec(c.registry),
    targetCurrency: currencyCodeCodec(c.registry),
    rate: RateText,
    feeBasisPoints: BasisPoints,
    issuedAt: Timestamp,
    expiresAt: Timestamp,
    postings: c.postings,
  }),
  CurrencyConverted: t.type({
    type: t.literal("CurrencyConverted"),
    conversionId: EntityId,
    walletId: EntityId,
    ...conversionFields(c),
    postings: c.postings,
  }),
});
