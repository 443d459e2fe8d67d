/**
 * `auditSinceState(store, stream, trusted, state)`: the daily audit from the auditor's own
 * verified state (ADR 0024). Nothing the operator wrote is trusted:
 *
 * 1. the state must be the checkpoint's: same stream, same tree size, same root (else the
 *    state is `Refused`: it belongs to another checkpoint or ledger);
 * 2. the ledger must extend the checkpoint: every stored event is hashed and the consistency
 *    proof from the checkpoint to today's tree verified (a cut tail or a rewritten past is a
 *    `consistency` finding and stops the audit, as in `auditSince`);
 * 3. the stored event at the checkpoint's size must carry the state's chain head (else the
 *    state is `Refused`: its digest was recomputed over other contents);
 * 4. the events after it are replayed from the state with every check of the full audit
 *    (`auditStream` with `resume`), so the findings are the full audit's for those events;
 * 5. the tree over the payloads replayed, continued from the state's frontier, must give the
 *    root of the tree hashed in step 2 (the events replayed are the ones proven);
 * 6. with `next` (a newer checkpoint), the audit stops at its size, which the ledger must
 *    extend too, and the state it returns is bound to it, for tomorrow.
 */
import type { LedgerOptions } from "@pacioli/core";
import { storedHash } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";
import type { Checkpoint } from "../verifiable/checkpoint.js";
import { readJournalLeaves } from "../verifiable/journal-leaves.js";
import { rangeRoot } from "../verifiable/range-root.js";
import { ledgerExtends } from "./ledger-extends.js";
import type { AuditReport, Violation } from "./audit-report.js";
import { storeAuditSource } from "./audit-source.js";
import type { AuditState } from "./audit-state.js";
import { auditStream } from "./audit-stream.js";

export interface AuditSinceStateOptions extends LedgerOptions {
  readonly violationsMax?: number;
  readonly workers?: number;
  readonly onProgress?: (events: number) => void;
  /** A newer checkpoint to stop at and bind the returned state to. */
  readonly next?: Checkpoint;
  /** Return the state after the last event replayed (`report.state`). */
  readonly saveState?: boolean;
}

export interface SinceFacts {
  readonly trusted: Checkpoint;
  /** Events in the ledger now, and the root over them. */
  readonly treeSize: number;
  readonly root: Buffer;
  /** Hashes of the consistency proofs verified (from `trusted`, and from `next`). */
  readonly proofHashes: number;
  /** Whether the ledger extends the checkpoint(s) (false stops the replay). */
  readonly consistent: boolean;
}

export type AuditSinceStateResult =
  | { readonly _tag: "Refused"; readonly reason: string }
  | { readonly _tag: "Audited"; readonly since: SinceFacts; readonly report: AuditReport };

export async function auditSinceState(
  store: EventStore,
  stream: string,
  trusted: Checkpoint,
  state: AuditState,
  options: AuditSinceStateOptions = {},
): Promise<AuditSinceStateResult> {
  const started = performance.now();
  const refusal = stateRefusal(stream, trusted, state);
  if (refusal !== undefined) return { _tag: "Refused", reason: refusal };
  const next = options.next;
  if (next !== undefined && next.size < trusted.size)
    return {
      _tag: "Refused",
      reason: `the new checkpoint (${next.size} events) is older than the one the state is bound to (${trusted.size})`,
    };
  const leaves = await readJournalLeaves(store, stream);
  const root = rangeRoot(leaves, 0, leaves.size);
  const extension = [trusted, ...(next === undefined ? [] : [next])].map((checkpoint) =>
    ledgerExtends(leaves, checkpoint),
  );
  const proofHashes = extension.reduce((sum, check) => sum + check.proofHashes, 0);
  const broken = extension.find((check) => check.violation !== undefined)?.violation;
  const since = { trusted, treeSize: leaves.size, root, proofHashes };
  if (broken !== undefined)
    return {
      _tag: "Audited",
      since: { ...since, consistent: false },
      report: stoppedReport(stream, state, broken, performance.now() - started),
    };
  if (trusted.size > 0) {
    const [event] = await store.readStream(stream, { fromIndex: trusted.size - 1, limit: 1 });
    if (event === undefined || storedHash(event) !== state.lastHash)
      return {
        _tag: "Refused",
        reason: `its chain head ${state.lastHash.slice(0, 12)}… is not the hash of event ${trusted.size} in the ledger: the state was not written by an audit of this ledger`,
      };
  }
  const report = await auditStream(storeAuditSource(store, stream), {
    ...options,
    resume: state,
    ...(next === undefined ? {} : { upTo: next.size }),
  });
  const end = report.events;
  const replayedRoot = report.treeRoot;
  const violations: Violation[] = [];
  if (
    report.fatal === undefined &&
    end <= leaves.size &&
    replayedRoot !== undefined &&
    !replayedRoot.equals(rangeRoot(leaves, 0, end))
  )
    violations.push({
      check: "consistency",
      position: end,
      message: `the events replayed do not hash to the tree of the ledger read before them (root over ${end} events differs): the ledger changed during the audit`,
    });
  return {
    _tag: "Audited",
    since: { ...since, consistent: true },
    report:
      violations.length === 0
        ? { ...report, elapsedMs: performance.now() - started }
        : {
            ...report,
            violations: [...report.violations, ...violations],
            state: undefined,
            elapsedMs: performance.now() - started,
          },
  };
}

/** Why the state cannot stand for the checkpoint, if it cannot. */
function stateRefusal(stream: string, trusted: Checkpoint, state: AuditState): string | undefined {
  if (state.stream !== stream)
    return `it is a state of stream ${JSON.stringify(state.stream)}, not ${JSON.stringify(stream)}`;
  if (state.treeSize !== trusted.size || !state.root.equals(trusted.root))
    return `it is the state after ${state.treeSize} events (root ${state.root.toString("base64")}), the checkpoint is of ${trusted.size} events (root ${trusted.root.toString("base64")}): keep the state written with this checkpoint`;
  return undefined;
}

/** The report of an audit stopped before any replay by a consistency finding. */
function stoppedReport(
  stream: string,
  state: AuditState,
  violation: Violation,
  elapsedMs: number,
): AuditReport {
  return {
    stream,
    events: state.treeSize,
    resumedAt: state.treeSize,
    lastHash: state.lastHash,
    violations: [violation],
    violationsOmitted: 0,
    fatal: undefined,
    balances: [],
    trialBalance: new Map(),
    snapshotVersion: undefined,
    elapsedMs,
  };
}
