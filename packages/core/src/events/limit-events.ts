/**
 * Limits and risk: verification tiers with spending limits, the velocity rule, and the
 * amount above which a payment needs strong customer authentication. None of these moves
 * money; they are the configuration facts that payment decisions are checked against, kept
 * in the stream so that replaying it decides exactly as the live ledger did.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";

/** A positive safe integer carried as a JSON number: counts and durations, never money. */
export const PositiveInteger = new t.Type<number, number, unknown>(
  "PositiveInteger",
  (u): u is number => typeof u === "number" && Number.isSafeInteger(u) && u > 0,
  (u, c) =>
    typeof u === "number" && Number.isSafeInteger(u) && u > 0
      ? t.success(u)
      : t.failure(u, c, "a positive integer"),
  t.identity,
);

export const spendingLimitCodec = (c: CodecContext) =>
  t.type({ perTransaction: c.money, perDay: c.money });

export const limitEventCodecs = (c: CodecContext) => ({
  /** Defining a tier again replaces its limits from then on. */
  VerificationTierDefined: t.type({
    type: t.literal("VerificationTierDefined"),
    tierId: EntityId,
    limits: t.array(spendingLimitCodec(c)),
    postings: c.postings,
  }),
  VerificationTierAssigned: t.type({
    type: t.literal("VerificationTierAssigned"),
    walletId: EntityId,
    tierId: EntityId,
    postings: c.postings,
  }),
  /** Ledger-wide: more than `paymentCountMax` payments, or more than `valueMax` in a currency, within `windowMs`. */
  VelocityRuleSet: t.type({
    type: t.literal("VelocityRuleSet"),
    windowMs: PositiveInteger,
    paymentCountMax: PositiveInteger,
    valueMax: t.array(c.money),
    postings: c.postings,
  }),
  /** Payments above `threshold` (in its currency) must state strong customer authentication. */
  StrongAuthenticationThresholdSet: t.type({
    type: t.literal("StrongAuthenticationThresholdSet"),
    threshold: c.moneyOrZero,
    postings: c.postings,
  }),
});
