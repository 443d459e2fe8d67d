/**
 * Recording a settlement: money a card processor or bank actually moved for what a clearing
 * account says is in flight (`pacioli reconcile --record` sends one per matched line).
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";

/** A clearing reference: an id or an idempotency key (1-255 printable ASCII characters). */
export const SettlementReference = new t.Type<string, string, unknown>(
  "SettlementReference",
  (u): u is string => typeof u === "string" && /^[\x21-\x7e]{1,255}$/.test(u),
  (u, c) =>
    typeof u === "string" && /^[\x21-\x7e]{1,255}$/.test(u)
      ? t.success(u)
      : t.failure(u, c, "a reference of 1-255 printable ASCII characters"),
  t.identity,
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
