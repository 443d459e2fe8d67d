/**
 * Where a command is carried out (ADR 0020, ADR 0028).
 *
 * - With **one partition**, every command type goes to it: it sees the whole ledger.
 * - With several, a command goes to the one partition where all its parties live (`Single`):
 *   placed parties by the placement, named ones where a partition holds them, and a command
 *   creating an id some partition already holds to that partition (which refuses it).
 * - A `TransferFunds` between wallets of two partitions is carried out as legs through
 *   clearing (`Across`, cross-partition transfer in partitioned-ledger.ts).
 * - Any other command whose parties live in different partitions is refused, naming them
 *   (`Spans`): never decided by a partition that sees only part of the ledger.
 * - Ledger-wide settings (FX quotes, verification tiers, velocity rule, strong-authentication
 *   threshold) are `Unsupported` on more than one partition (command-parties.ts).
 */
import type { LedgerCommand, LedgerCommandType } from "@pacioli/core";
import {
  partiesOf,
  SETTING_COMMAND_TYPES,
  type NamedEntity,
  type Party,
  type PlacedEntity,
} from "./command-parties.js";
import { partitionOf, type PartitionIndex, type Placement } from "./placement.js";

// ---------------------------------------------------------------------------------------------
// model

/** A party of a command and the partition it lives in; `placed` when the placement says so. */
export interface PartyPlace {
  readonly entity: PlacedEntity | NamedEntity;
  readonly id: string;
  readonly partition: PartitionIndex;
  readonly placed: boolean;
}

export type Route =
  | { readonly _tag: "Single"; readonly partition: PartitionIndex }
  | {
      readonly _tag: "Across";
      readonly source: PartitionIndex;
      readonly target: PartitionIndex;
    }
  | {
      readonly _tag: "Spans";
      readonly commandType: LedgerCommandType;
      readonly parties: readonly PartyPlace[];
    }
  | { readonly _tag: "Unsupported"; readonly commandType: LedgerCommandType };

/** Which partition holds a named entity's id, if any (every partition asked at once). */
export type Locate = (party: Party<NamedEntity>) => Promise<PartitionIndex | undefined>;

/** The command types a partitioned ledger of more than one partition refuses as `Unsupported`. */
export const UNSUPPORTED_ON_SEVERAL_PARTITIONS: readonly LedgerCommandType[] =
  SETTING_COMMAND_TYPES;

// ---------------------------------------------------------------------------------------------
// functions

export async function routeOf(
  rule: Placement,
  command: LedgerCommand,
  locate: Locate,
): Promise<Route> {
  // One partition sees the whole ledger: every command type is decided there, as by one engine.
  if (rule.partitionCount === 1) return { _tag: "Single", partition: 0 };
  if (command.type === "TransferFunds") {
    const source = partitionOf(rule, command.fromWalletId);
    const target = partitionOf(rule, command.toWalletId);
    return source === target
      ? { _tag: "Single", partition: source }
      : { _tag: "Across", source, target };
  }
  const of = partiesOf(command);
  if (of._tag === "Setting") return { _tag: "Unsupported", commandType: command.type };
  const { placed, named, created } = of.parties;
  // A new id that exists already: its partition refuses the command as one ledger would.
  for (const party of created) {
    const holder = await locate(party);
    if (holder !== undefined) return { _tag: "Single", partition: holder };
  }
  const places: PartyPlace[] = placed.map((party) => ({
    ...party,
    partition: partitionOf(rule, party.id),
    placed: true,
  }));
  for (const party of named) {
    const holder = await locate(party);
    if (holder !== undefined) places.push({ ...party, partition: holder, placed: false });
  }
  const partitions = new Set(places.map((place) => place.partition));
  if (partitions.size > 1) return { _tag: "Spans", commandType: command.type, parties: places };
  // Nothing placed and nothing found (a hold no partition holds): any partition refuses it.
  return { _tag: "Single", partition: places[0]?.partition ?? 0 };
}
