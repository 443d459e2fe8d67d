/**
 * Holds: money set aside on a wallet for a payee (a merchant) until it is captured, released
 * or expires. A hold's life: placed → (increased)* → (captured)* → closed by a final
 * capture, a release or expiry. Refunds give captured money back to the wallet.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Timestamp } from "../codec/primitives.js";

export const holdEventCodecs = (c: CodecContext) => ({
  HoldPlaced: t.type({
    type: t.literal("HoldPlaced"),
    holdId: EntityId,
    walletId: EntityId,
    merchantId: EntityId,
    amount: c.money,
    expiresAt: Timestamp,
    postings: c.postings,
  }),
  HoldIncreased: t.type({
    type: t.literal("HoldIncreased"),
    holdId: EntityId,
    amount: c.money,
    postings: c.postings,
  }),
  HoldCaptured: t.type({
    type: t.literal("HoldCaptured"),
    holdId: EntityId,
    amount: c.money,
    /** A final capture closes the hold and returns what was not captured. */
    final: t.boolean,
    released: c.moneyOrZero,
    postings: c.postings,
  }),
  HoldReleased: t.type({
    type: t.literal("HoldReleased"),
    holdId: EntityId,
    released: c.moneyOrZero,
    postings: c.postings,
  }),
  HoldExpired: t.type({
    type: t.literal("HoldExpired"),
    holdId: EntityId,
    released: c.moneyOrZero,
    postings: c.postings,
  }),
  RefundIssued: t.type({
    type: t.literal("RefundIssued"),
    refundId: EntityId,
    holdId: EntityId,
    amount: c.money,
    postings: c.postings,
  }),
});
