/** Requests about funding sources: link, verify, remove, and money in and out through them. */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { currencyCodeCodec } from "../codec/checkout-codecs.js";
import { EntityId, Timestamp } from "../codec/primitives.js";
import { MaskedNumber } from "../events/funding-events.js";

export const fundingCommandCodecs = (c: CodecContext) => ({
  LinkCard: t.type({
    type: t.literal("LinkCard"),
    sourceId: EntityId,
    walletId: EntityId,
    maskedNumber: MaskedNumber,
    currency: currencyCodeCodec(c.registry),
    /** The first instant the card is invalid (the end of its expiry month, as the issuer says). */
    expiresAt: Timestamp,
  }),
  LinkBankAccount: t.type({
    type: t.literal("LinkBankAccount"),
    sourceId: EntityId,
    walletId: EntityId,
    maskedNumber: MaskedNumber,
    currency: currencyCodeCodec(c.registry),
  }),
  /** The embedding service ran a zero-amount authorisation with the card network and it passed. */
  VerifyCard: t.type({ type: t.literal("VerifyCard"), sourceId: EntityId }),
  /** The bank channel sent two small amounts (chosen outside: the core has no randomness). */
  SendMicroDeposits: t.type({
    type: t.literal("SendMicroDeposits"),
    sourceId: EntityId,
    amounts: t.tuple([c.money, c.money]),
  }),
  /** The user read the two amounts off their statement; order does not matter. */
  ConfirmMicroDeposits: t.type({
    type: t.literal("ConfirmMicroDeposits"),
    sourceId: EntityId,
    amounts: t.tuple([c.money, c.money]),
  }),
  RemoveFundingSource: t.type({ type: t.literal("RemoveFundingSource"), sourceId: EntityId }),
  TopUpWallet: t.type({
    type: t.literal("TopUpWallet"),
    walletId: EntityId,
    sourceId: EntityId,
    amount: c.money,
  }),
  WithdrawToFundingSource: t.type({
    type: t.literal("WithdrawToFundingSource"),
    walletId: EntityId,
    sourceId: EntityId,
    amount: c.money,
  }),
});
