/**
 * Whether a ledger's stored events (their leaf hashes) extend a checkpoint an auditor kept,
 * and the finding when they do not: fewer events than the checkpoint is a cut tail (found at
 * the first missing event); a consistency proof that fails is a rewritten past (found at the
 * checkpoint's last event: the root shows that something in 1..size changed, not which).
 * Also whether an audit that stopped at a checkpoint's size read exactly its events.
 */
import type { Checkpoint } from "../verifiable/checkpoint.js";
import { consistencyProof } from "../verifiable/consistency-proof.js";
import type { LeafHashes } from "../verifiable/leaf-hashes.js";
import { rangeRoot } from "../verifiable/range-root.js";
import { verifyConsistency } from "../verifiable/verify-consistency.js";
import type { AuditReport, Violation } from "./audit-report.js";

export interface Extension {
  /** Hashes in the consistency proof verified (0 when there was nothing to prove). */
  readonly proofHashes: number;
  readonly violation: Violation | undefined;
}

/** Whether the ledger's leaves extend a checkpoint; the finding when they do not. */
export function ledgerExtends(leaves: LeafHashes, checkpoint: Checkpoint): Extension {
  if (leaves.size < checkpoint.size)
    return {
      proofHashes: 0,
      violation: {
        check: "consistency",
        position: leaves.size + 1,
        message: `the ledger has ${leaves.size} events, the checkpoint ${checkpoint.size}: events ${leaves.size + 1}..${checkpoint.size} were removed (a cut tail or a rolled-back copy)`,
      },
    };
  if (checkpoint.size === 0) return { proofHashes: 0, violation: undefined };
  const proof = consistencyProof(leaves, checkpoint.size, leaves.size);
  const check = verifyConsistency({
    oldSize: checkpoint.size,
    newSize: leaves.size,
    oldRoot: checkpoint.root,
    newRoot: rangeRoot(leaves, 0, leaves.size),
    proof,
  });
  return {
    proofHashes: proof.length,
    violation:
      check._tag === "Failed"
        ? {
            check: "consistency",
            position: checkpoint.size,
            message: `the ledger does not extend the checkpoint of ${checkpoint.size} events (${check.reason}): history at or before event ${checkpoint.size} was rewritten`,
          }
        : undefined,
  };
}

/**
 * An audit that stopped at a checkpoint's size (`upTo`) with its tree kept: it must have read
 * that many events, and their payloads must hash to the checkpoint's root. Else the finding.
 */
export function checkpointMismatch(
  report: AuditReport,
  checkpoint: Checkpoint,
): Violation | undefined {
  if (report.fatal !== undefined) return undefined;
  if (report.events < checkpoint.size)
    return {
      check: "consistency",
      position: report.events + 1,
      message: `the ledger has ${report.events} events, the checkpoint ${checkpoint.size}: events ${report.events + 1}..${checkpoint.size} were removed (a cut tail or a rolled-back copy)`,
    };
  if (report.treeRoot !== undefined && !report.treeRoot.equals(checkpoint.root))
    return {
      check: "consistency",
      position: checkpoint.size,
      message: `the first ${checkpoint.size} events do not hash to the checkpoint's root: history at or before event ${checkpoint.size} was rewritten`,
    };
  return undefined;
}
