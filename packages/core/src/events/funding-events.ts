/**
 * Funding sources: the cards and bank accounts a wallet links to move money in and out.
 *
 * A source is linked unverified; a card is verified by an authorisation the embedding
 * service ran with the network, a bank account by two micro-deposits the user reads off
 * their statement and confirms (a bounded number of attempts, each failure recorded, so
 * the bound survives replay). Only a verified, unexpired, linked source funds a top-up or
 * receives a withdrawal; both go through the clearing account of the source's kind
 * (`assets:clearing:card`, `assets:clearing:bank`), in the source's currency.
 *
 * Verification events move no money: micro-deposits are paid by the bank channel into the
 * user's external account, outside the wallet books.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { currencyCodeCodec } from "../codec/checkout-codecs.js";
import { EntityId, textCodec, Timestamp } from "../codec/primitives.js";

export const FundingSourceKind = t.union([t.literal("card"), t.literal("bank")]);
export type FundingSourceKind = t.TypeOf<typeof FundingSourceKind>;

/**
 * A masked card or account number such as "**** 4242": at most the last four digits. Full
 * numbers are refused at the edge so that a PAN can never reach an append-only stream,
 * where it could not be erased.
 */
const MASKED_NUMBER_PATTERN = /^[*•xX .-]{0,24}[0-9]{4}$/;
export const MaskedNumber = textCodec(
  "MaskedNumber",
  (text) => MASKED_NUMBER_PATTERN.test(text),
  'a masked number showing at most the last 4 digits, such as "**** 4242"',
);

export const VerificationMethod = t.union([
  t.literal("card-authorization"),
  t.literal("micro-deposits"),
]);
export type VerificationMethod = t.TypeOf<typeof VerificationMethod>;

export const fundingEventCodecs = (c: CodecContext) => ({
  FundingSourceLinked: t.intersection([
    t.type({
      type: t.literal("FundingSourceLinked"),
      sourceId: EntityId,
      walletId: EntityId,
      kind: FundingSourceKind,
      maskedNumber: MaskedNumber,
      currency: currencyCodeCodec(c.registry),
      postings: c.postings,
    }),
    /** Cards only: the first instant the card is no longer valid. */
    t.partial({ expiresAt: Timestamp }),
  ]),
  MicroDepositsSent: t.type({
    type: t.literal("MicroDepositsSent"),
    sourceId: EntityId,
    amounts: t.tuple([c.money, c.money]),
    postings: c.postings,
  }),
  MicroDepositsMismatched: t.type({
    type: t.literal("MicroDepositsMismatched"),
    sourceId: EntityId,
    attempt: t.number,
    attemptsMax: t.number,
    postings: c.postings,
  }),
  FundingSourceVerified: t.type({
    type: t.literal("FundingSourceVerified"),
    sourceId: EntityId,
    method: VerificationMethod,
    postings: c.postings,
  }),
  FundingSourceRemoved: t.type({
    type: t.literal("FundingSourceRemoved"),
    sourceId: EntityId,
    postings: c.postings,
  }),
  WalletToppedUp: t.type({
    type: t.literal("WalletToppedUp"),
    walletId: EntityId,
    sourceId: EntityId,
    channel: FundingSourceKind,
    amount: c.money,
    postings: c.postings,
  }),
  WithdrawnToFundingSource: t.type({
    type: t.literal("WithdrawnToFundingSource"),
    walletId: EntityId,
    sourceId: EntityId,
    channel: FundingSourceKind,
    amount: c.money,
    postings: c.postings,
  }),
});
