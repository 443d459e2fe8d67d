/**
 * Command builders for wallet stories in the decision tests: a wallet owned by alice, money in
 * by card and out to a bank, and its lifecycle (freeze, unfreeze, close).
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import { usd } from "./money.js";

export const open = (walletId: string, ownerId = "alice"): LedgerCommand => ({
  type: "OpenWallet",
  walletId,
  ownerId,
});
/** Money into or out of a wallet through an outside channel (both commands have these fields). */
const throughChannel =
  (type: "DepositFunds" | "WithdrawFunds", usual: { amount: Money; channel: string }) =>
  (walletId: string, amount = usual.amount, channel = usual.channel): LedgerCommand => ({
    type,
    walletId,
    amount,
    channel,
  });
export const deposit = throughChannel("DepositFunds", { amount: usd("100.00"), channel: "card" });
export const withdraw = throughChannel("WithdrawFunds", { amount: usd("10.00"), channel: "bank" });
export const freeze = (walletId: string, reason = "fraud review"): LedgerCommand => ({
  type: "FreezeWallet",
  walletId,
  reason,
});
export const unfreeze = (walletId: string): LedgerCommand => ({ type: "UnfreezeWallet", walletId });
export const close = (walletId: string): LedgerCommand => ({ type: "CloseWallet", walletId });
