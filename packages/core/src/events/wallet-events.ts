/** Facts about a wallet's lifecycle. None of them moves money, so their postings are empty. */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason } from "../codec/primitives.js";

export const walletEventCodecs = (c: CodecContext) => ({
  WalletOpened: t.type({
    type: t.literal("WalletOpened"),
    walletId: EntityId,
    ownerId: EntityId,
    postings: c.postings,
  }),
  WalletFrozen: t.type({
    type: t.literal("WalletFrozen"),
    walletId: EntityId,
    reason: Reason,
    postings: c.postings,
  }),
  WalletUnfrozen: t.type({
    type: t.literal("WalletUnfrozen"),
    walletId: EntityId,
    postings: c.postings,
  }),
  WalletClosed: t.type({
    type: t.literal("WalletClosed"),
    walletId: EntityId,
    postings: c.postings,
  }),
  OverdraftLimitSet: t.type({
    type: t.literal("OverdraftLimitSet"),
    walletId: EntityId,
    limit: c.moneyOrZero,
    postings: c.postings,
  }),
});
