/**
 * What a partitioned ledger answers: the engine's `ExecuteResult` for a command one partition
 * decides, and the same three outcomes for a transfer across two, plus two of its own.
 *
 * - `Rejected` may carry `reversal`: the target refused a transfer whose first leg was already
 *   durable, and the return leg put the money back (visible in the source's journal).
 * - `Unsupported`: a command type not partitioned yet (command-routing.ts); nothing recorded.
 * - `SpansPartitions`: the command's parties live in different partitions and the command is
 *   not one carried out across them (only `TransferFunds` is); `parties` says who lives where.
 *   Nothing recorded; not retryable (the placement decides, not time).
 * - `Unavailable`: the writer of a partition the command needed stopped before it answered
 *   (its thread ended). The command may be durable; a retry with the same key returns the
 *   original result once a new writer runs.
 * - `Stranded`: the target refused and the return leg was refused too (the source wallet was
 *   closed in between). The money stays in the clearing account, in flight and visible to the
 *   audit, until an operator moves it. No automatic path can create or lose it.
 */
import type { RecordedEvent, Rejection } from "@pacioli/core";
import type { ExecuteResult } from "@pacioli/engine";
import type { PartyPlace } from "./command-routing.js";

export type PartitionedResult =
  | Exclude<ExecuteResult, { readonly _tag: "Rejected" }>
  | {
      readonly _tag: "Rejected";
      readonly rejection: Rejection;
      readonly retryable: boolean;
      /** The return leg's events when a first leg had to be reversed; absent otherwise. */
      readonly reversal?: readonly RecordedEvent[];
    }
  | { readonly _tag: "Unsupported"; readonly commandType: string }
  | {
      readonly _tag: "SpansPartitions";
      readonly commandType: string;
      readonly parties: readonly PartyPlace[];
    }
  /** The partition's writer stopped before answering; retry with the same key (ADR 0025). */
  | { readonly _tag: "Unavailable"; readonly partition: number; readonly retryable: true }
  | {
      readonly _tag: "Stranded";
      readonly transferId: string;
      readonly rejection: Rejection;
      readonly returnRejection: Rejection;
    };
