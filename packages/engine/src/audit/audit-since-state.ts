/**
 * `auditSinceState(store, stream, trusted, state)`: the daily audit from the auditor's own
 * verified state (ADR 0026). Nothing the operator wrote is trusted:
 *
 * 1. the state must be the checkpoint's: same stream, same tree size, same root (else the
 *    state is `Refused`: it belongs to another checkpoint or ledger);
 * 2. the ledger must still hold the checkpoint's events unchanged: its first `size` stored
 *    payloads are hashed and their root must be the checkpoint's (fewer is a cut tail, found at
 *    the first missing event; another root a rewritten past, at the checkpoint's last event);
 *    either is a `consistency` finding and stops the audit;
 * 3. the stored event at the checkpoint's size must carry the state's chain head (else the
 *    state is `Refused`: its digest was recomputed over other contents);
 * 4. the events after it are read once and replayed from the state with every check of the
 *    full audit (`auditStream` with `resume`), so the findings are the full audit's for those
 *    events, and the tree continues from the state's frontier over their payloads: the ledger
 *    now is the proven prefix plus exactly the events replayed;
 * 5. with `next` (a newer checkpoint), the audit stops at its size and the tree there must give
 *    its root; the state returned is bound to it, for tomorrow.
 */
import type { LedgerOptions } from "@pacioli/core";
import { storedHash } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";
import type { Checkpoint } from "../verifiable/checkpoint.js";
import { contiguousPages } from "../journal/journal-reader.js";
import { leafHash } from "../verifiable/merkle-hash.js";
import { TreeHead } from "../verifiable/tree-head.js";
import { checkpointMismatch } from "./ledger-extends.js";
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
  /** Events audited (the ledger's size now, or the newer checkpoint's), and the root over them. */
  readonly treeSize: number;
  readonly root: Buffer;
  /** Whether the ledger's first events hash to the checkpoint's root (false stops the replay). */
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
  const prefix = await storedPrefix(store, stream, trusted.size);
  const broken = prefixMismatch(prefix, trusted);
  if (broken !== undefined)
    return {
      _tag: "Audited",
      since: { trusted, treeSize: prefix.size, root: prefix.root, consistent: false },
      report: stoppedReport(stream, state, broken, performance.now() - started),
    };
  if (trusted.size > 0 && prefix.lastHash !== state.lastHash)
    return {
      _tag: "Refused",
      reason: `its chain head ${state.lastHash.slice(0, 12)}… is not the hash of event ${trusted.size} in the ledger: the state was not written by an audit of this ledger`,
    };
  const audited = await auditStream(storeAuditSource(store, stream), {
    ...options,
    resume: state,
    ...(next === undefined ? {} : { upTo: next.size }),
  });
  const mismatch = next === undefined ? undefined : checkpointMismatch(audited, next);
  const report =
    mismatch === undefined
      ? audited
      : { ...audited, violations: [...audited.violations, mismatch], state: undefined };
  return {
    _tag: "Audited",
    since: {
      trusted,
      treeSize: report.events,
      root: report.treeRoot ?? state.root,
      consistent: mismatch === undefined,
    },
    report: { ...report, elapsedMs: performance.now() - started },
  };
}

/** Why the state cannot stand for the checkpoint, if it cannot. */
function stateRefusal(stream: string, trusted: Checkpoint, state: AuditState): string | undefined {
  if (state.stream !== stream)
    return `it is a state of stream ${JSON.stringify(state.stream)}, not ${JSON.stringify(stream)}`;
  if (state.treeSize !== trusted.size || !state.root.equals(trusted.root))
    return `it is the state after ${state.treeSize} events (root ${state.root.toString("base64")}), the checkpoint is of ${trusted.size} events (root ${trusted.root.toString("base64")}): keep the state written with this checkpoint`;
  if (!TreeHead.restore(state.treeSize, state.frontier).root().equals(state.root))
    return "its tree frontier does not give its root";
  return undefined;
}

interface StoredPrefix {
  /** Events read (at most the checkpoint's size) and the root over them. */
  readonly size: number;
  readonly root: Buffer;
  /** The chain hash of the last event read. */
  readonly lastHash: string | undefined;
}

/**
 * The tree over the ledger's first `size` stored events, streamed: O(log n) memory, where
 * keeping every leaf (`readJournalLeaves`) took 32 bytes an event, 320 MB at 10M. With the
 * events at hand, their root is compared with the checkpoint's directly: a consistency proof
 * is what a verifier without the events needs.
 */
async function storedPrefix(
  store: EventStore,
  stream: string,
  size: number,
): Promise<StoredPrefix> {
  const tree = TreeHead.empty();
  let lastHash: string | undefined;
  read: for await (const page of contiguousPages(store, stream)) {
    for (const stored of page) {
      if (tree.size >= size) break read;
      tree.append(leafHash(stored.payload));
      lastHash = storedHash(stored);
    }
  }
  return { size: tree.size, root: tree.root(), lastHash };
}

/** A cut tail (found at the first missing event) or a rewritten past (at the checkpoint's last). */
function prefixMismatch(prefix: StoredPrefix, trusted: Checkpoint): Violation | undefined {
  if (prefix.size < trusted.size)
    return {
      check: "consistency",
      position: prefix.size + 1,
      message: `the ledger has ${prefix.size} events, the checkpoint ${trusted.size}: events ${prefix.size + 1}..${trusted.size} were removed (a cut tail or a rolled-back copy)`,
    };
  if (!prefix.root.equals(trusted.root))
    return {
      check: "consistency",
      position: trusted.size,
      message: `the ledger's first ${trusted.size} events do not hash to the checkpoint's root: history at or before event ${trusted.size} was rewritten`,
    };
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
