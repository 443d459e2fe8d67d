/**
 * Money entering, leaving and moving between wallets.
 *
 * Deposits and withdrawals go through an external clearing account per channel
 * (`assets:clearing:card`, `assets:clearing:bank`, ...): the asset the platform is owed by,
 * or owes to, the card network or bank until settlement.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";

export const fundsEventCodecs = (c: CodecContext) => ({
  FundsDeposited: t.type({
    type: t.literal("FundsDeposited"),
    walletId: EntityId,
    amount: c.money,
    channel: EntityId,
    postings: c.postings,
  }),
  FundsWithdrawn: t.type({
    type: t.literal("FundsWithdrawn"),
    walletId: EntityId,
    amount: c.money,
    channel: EntityId,
    postings: c.postings,
  }),
  FundsTransferred: t.type({
    type: t.literal("FundsTransferred"),
    transferId: EntityId,
    fromWalletId: EntityId,
    toWalletId: EntityId,
    amount: c.money,
    postings: c.postings,
  }),
});
