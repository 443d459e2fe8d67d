/**
 * Facts about operator adjustments. A proposal moves nothing (its postings are carried as
 * `lines`); the approval posts exactly those lines, naming both operators; a reversal posts
 * their negation, so adjustment and reversal net to zero account by account.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason } from "../codec/primitives.js";

export const adjustmentEventCodecs = (c: CodecContext) => ({
  AdjustmentProposed: t.type({
    type: t.literal("AdjustmentProposed"),
    adjustmentId: EntityId,
    proposedBy: EntityId,
    reason: Reason,
    lines: c.postings,
    postings: c.postings,
  }),
  AdjustmentPosted: t.type({
    type: t.literal("AdjustmentPosted"),
    adjustmentId: EntityId,
    proposedBy: EntityId,
    approvedBy: EntityId,
    reason: Reason,
    postings: c.postings,
  }),
  AdjustmentReversed: t.type({
    type: t.literal("AdjustmentReversed"),
    adjustmentId: EntityId,
    reversedBy: EntityId,
    reason: Reason,
    postings: c.postings,
  }),
});
