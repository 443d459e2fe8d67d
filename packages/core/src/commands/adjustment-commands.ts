/**
 * Operator corrections: a balanced manual entry proposed by one operator with a reason and
 * posted only when another approves it (the two-person rule), and the reversal of a posted
 * adjustment by reference. The operators are named in the commands, so both are recorded in
 * the events whatever actor sent them.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason } from "../codec/primitives.js";

export const adjustmentCommandCodecs = (c: CodecContext) => ({
  ProposeAdjustment: t.type({
    type: t.literal("ProposeAdjustment"),
    adjustmentId: EntityId,
    proposedBy: EntityId,
    reason: Reason,
    /** Signed postings (debit positive) that must sum to zero per currency. */
    postings: c.postings,
  }),
  ApproveAdjustment: t.type({
    type: t.literal("ApproveAdjustment"),
    adjustmentId: EntityId,
    approvedBy: EntityId,
  }),
  ReverseAdjustment: t.type({
    type: t.literal("ReverseAdjustment"),
    adjustmentId: EntityId,
    reversedBy: EntityId,
    reason: Reason,
  }),
});
