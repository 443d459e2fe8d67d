/**
 * Which partitions a command touches. A command that names one wallet goes to that wallet's
 * partition; `TransferFunds` names two, and when they live apart it becomes a cross-partition
 * transfer (two legs through clearing, `cross-partition-transfer.ts`).
 *
 * Only the wallet family is partitioned today. The other commands refer to ledger-wide
 * things (merchants, holds by id, orders, FX quotes, verification tiers) whose placement is
 * not decided yet; they are refused as `Unsupported` rather than sent to a partition where
 * they would silently see only part of the ledger (ADR 0020).
 */
import type { LedgerCommand, LedgerCommandType } from "@pacioli/core";
import { partitionOf, type PartitionIndex, type Placement } from "./placement.js";

export type Route =
  | { readonly _tag: "Single"; readonly partition: PartitionIndex }
  | {
      readonly _tag: "Across";
      readonly source: PartitionIndex;
      readonly target: PartitionIndex;
    }
  | { readonly _tag: "Unsupported"; readonly commandType: LedgerCommandType };

/** The command types a partitioned ledger carries out; every other type is `Unsupported`. */
export const PARTITIONED_COMMAND_TYPES = [
  "OpenWallet",
  "FreezeWallet",
  "UnfreezeWallet",
  "CloseWallet",
  "SetOverdraftLimit",
  "DepositFunds",
  "WithdrawFunds",
  "TransferFunds",
] as const satisfies readonly LedgerCommandType[];

export function routeOf(rule: Placement, command: LedgerCommand): Route {
  // One partition sees the whole ledger: every command type is decided there, as by one engine.
  if (rule.partitionCount === 1) return { _tag: "Single", partition: 0 };
  switch (command.type) {
    case "OpenWallet":
    case "FreezeWallet":
    case "UnfreezeWallet":
    case "CloseWallet":
    case "SetOverdraftLimit":
    case "DepositFunds":
    case "WithdrawFunds":
      return { _tag: "Single", partition: partitionOf(rule, command.walletId) };
    case "TransferFunds": {
      const source = partitionOf(rule, command.fromWalletId);
      const target = partitionOf(rule, command.toWalletId);
      return source === target
        ? { _tag: "Single", partition: source }
        : { _tag: "Across", source, target };
    }
    default:
      return { _tag: "Unsupported", commandType: command.type };
  }
}
