/**
 * Recording a settlement: money a card processor or bank actually moved for what a clearing
 * account says is in flight (`pacioli reconcile --record` sends one per matched line).
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, isPrintableKey, textCodec } from "../codec/primitives.js";

/** A clearing reference: an id or an idempotency key (1-255 printable ASCII characters). */
export const SettlementReference = textCodec(
  "SettlementReference",
  isPrintableKey,
  "a reference of 1-255 printable ASCII characters",
);

/** `in`: the processor paid the platform's bank; `out`: money left the bank (a payout, a withdrawal). */
export const SettlementDirection = t.union([t.literal("in"), t.literal("out")]);
export type SettlementDirection = t.TypeOf<typeof SettlementDirection>;

export const settlementCommandCodecs = (c: CodecContext) => ({
  RecordSettlement: t.type({
    type: t.literal("RecordSettlement"),
    settlementId: EntityId,
    /** The clearing account's channel: `assets:clearing:{channel}`. */
    channel: EntityId,
    /** What the settlement file names the movement by (a payout id, an idempotency key). */
    reference: SettlementReference,
    direction: SettlementDirection,
    amount: c.money,
  }),
});
