/** Requests about holds: place, grow, capture, release, expire, refund. */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, StrongAuthentication, Timestamp } from "../codec/primitives.js";

export const holdCommandCodecs = (c: CodecContext) => ({
  PlaceHold: t.intersection([
    t.type({
      type: t.literal("PlaceHold"),
      holdId: EntityId,
      walletId: EntityId,
      merchantId: EntityId,
      amount: c.money,
      expiresAt: Timestamp,
    }),
    StrongAuthentication,
  ]),
  IncreaseHold: t.intersection([
    t.type({ type: t.literal("IncreaseHold"), holdId: EntityId, amount: c.money }),
    StrongAuthentication,
  ]),
  CaptureHold: t.type({
    type: t.literal("CaptureHold"),
    holdId: EntityId,
    amount: c.money,
    final: t.boolean,
  }),
  ReleaseHold: t.type({ type: t.literal("ReleaseHold"), holdId: EntityId }),
  ExpireHold: t.type({ type: t.literal("ExpireHold"), holdId: EntityId }),
  RefundCapture: t.type({
    type: t.literal("RefundCapture"),
    refundId: EntityId,
    holdId: EntityId,
    amount: c.money,
  }),
});
