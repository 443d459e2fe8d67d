/** Requests that configure limits and risk rules (see `events/limit-events.ts`). */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";
import { PositiveInteger, spendingLimitCodec } from "../events/limit-events.js";

export const limitCommandCodecs = (c: CodecContext) => ({
  DefineVerificationTier: t.type({
    type: t.literal("DefineVerificationTier"),
    tierId: EntityId,
    limits: t.array(spendingLimitCodec(c)),
  }),
  AssignVerificationTier: t.type({
    type: t.literal("AssignVerificationTier"),
    walletId: EntityId,
    tierId: EntityId,
  }),
  SetVelocityRule: t.type({
    type: t.literal("SetVelocityRule"),
    windowMs: PositiveInteger,
    paymentCountMax: PositiveInteger,
    valueMax: t.array(c.money),
  }),
  SetStrongAuthenticationThreshold: t.type({
    type: t.literal("SetStrongAuthenticationThreshold"),
    threshold: c.moneyOrZero,
  }),
});
