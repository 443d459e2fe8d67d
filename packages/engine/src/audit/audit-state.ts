/**
 * The auditor's own state: what an audit that ended after event `treeSize` carries into the
 * next one (ADR 0026). It is written by the auditor's audit (`pacioli audit --save-state`),
 * never by the operator, and is bound to the ledger by the tree size, the RFC 6962 root over
 * the payloads folded and the chain head: `audit --since CHECKPOINT --state FILE` starts from
 * it only when those equal the checkpoint's and the ledger still extends that checkpoint.
 *
 * Cross-event checks need more than the ledger state `evolve` folds, so all of it is here:
 * - the balances recomputed from postings alone (the `balances` and trial-balance checks);
 * - the hold model (captures, releases, refunds against every hold ever placed);
 * - the idempotency keys still inside the retention window at the last event (a key used
 *   within 24 h before the state and again after it is a finding, as in the full audit);
 * - the sequence, command-group, recording-time and stream-index cursors;
 * - the tree's frontier, so the root after more events is computed without the old ones.
 */
import type { Balances, IdempotencyEntry, LedgerState } from "@pacioli/core";
import type { HoldCheckState } from "./hold-check.js";
import type { SequenceCheckState } from "./sequence-check.js";

export interface AuditState {
  readonly stream: string;
  /** Events folded: the state is the audit's after event `treeSize`. */
  readonly treeSize: number;
  /** RFC 6962 root over the `treeSize` payloads folded. */
  readonly root: Buffer;
  /** The tree's frontier (largest subtree first). */
  readonly frontier: readonly Buffer[];
  /** Hash of event `treeSize`: the chain head. */
  readonly lastHash: string;
  readonly ledger: LedgerState;
  readonly balances: Balances;
  readonly holds: HoldCheckState;
  readonly idempotencyRetentionMs: number;
  /** Keys of the window in recording order, each with the position of its command. */
  readonly idempotency: readonly IdempotencyEntry[];
  readonly sequence: SequenceCheckState;
}
