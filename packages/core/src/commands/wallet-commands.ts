/** Requests about a wallet's lifecycle and its money in and out. */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId, Reason, StrongAuthentication } from "../codec/primitives.js";

export const walletCommandCodecs = (c: CodecContext) => ({
  OpenWallet: t.type({ type: t.literal("OpenWallet"), walletId: EntityId, ownerId: EntityId }),
  FreezeWallet: t.type({ type: t.literal("FreezeWallet"), walletId: EntityId, reason: Reason }),
  UnfreezeWallet: t.type({ type: t.literal("UnfreezeWallet"), walletId: EntityId }),
  CloseWallet: t.type({ type: t.literal("CloseWallet"), walletId: EntityId }),
  SetOverdraftLimit: t.type({
    type: t.literal("SetOverdraftLimit"),
    walletId: EntityId,
    limit: c.moneyOrZero,
  }),
  DepositFunds: t.type({
    type: t.literal("DepositFunds"),
    walletId: EntityId,
    amount: c.money,
    channel: EntityId,
  }),
  WithdrawFunds: t.type({
    type: t.literal("WithdrawFunds"),
    walletId: EntityId,
    amount: c.money,
    channel: EntityId,
  }),
  TransferFunds: t.intersection([
    t.type({
      type: t.literal("TransferFunds"),
      transferId: EntityId,
      fromWalletId: EntityId,
      toWalletId: EntityId,
      amount: c.money,
    }),
    StrongAuthentication,
  ]),
});
