/**
 * `auditSince(store, stream, trusted)`: the daily audit. Instead of replaying everything, it
 *
 * 1. checks that the ledger extends the checkpoint the auditor kept: builds the RFC 6962
 *    tree over every stored event (a SHA-256 per event, no decoding) and verifies the
 *    consistency proof from the checkpoint's size and root to today's. A shorter ledger is a
 *    cut tail (reported at the first missing event); a failed proof is a rewritten past
 *    (reported at the checkpoint's last event: the root shows that something in 1..size
 *    changed, not which event). Either stops the audit: nothing after it can be trusted.
 * 2. starts from the stored snapshot when it is at or before the checkpoint (its checksum
 *    and its chain anchor are checked on load, and every event it folds is now proven
 *    unchanged), else from nothing;
 * 3. replays only the events after it, each checked for its stored bytes and hash chain,
 *    decoding, sequence, balanced postings and evolve's assertions, and at the end the
 *    trial balance. The cross-event models of the full audit (holds, idempotency window,
 *    projections) are not rebuilt from a snapshot: `auditStream` remains the full check.
 */
import {
  initialState,
  ledgerTrialBalance,
  type LedgerOptions,
  type LedgerState,
} from "@pacioli/core";
import { GENESIS_HASH } from "../journal/hash-chain.js";
import { loadSnapshot } from "../snapshot/snapshot.js";
import type { EventStore } from "../store/event-store.js";
import type { Checkpoint } from "../verifiable/checkpoint.js";
import { readJournalLeaves } from "../verifiable/journal-leaves.js";
import { rangeRoot } from "../verifiable/range-root.js";
import { ledgerExtends } from "./ledger-extends.js";
import { Findings, type Violation } from "./audit-report.js";
import { journalPages } from "../journal/journal-reader.js";
import { AUDIT_VIOLATIONS_MAX_DEFAULT } from "./audit-stream.js";
import { ChainCheck } from "./chain-check.js";
import { foldChecked } from "./fold-check.js";
import { prepareEvent } from "./prepared-event.js";

export interface AuditSinceOptions extends LedgerOptions {
  readonly violationsMax?: number;
}

export interface AuditSinceReport {
  readonly stream: string;
  readonly trusted: Checkpoint;
  /** Events in the ledger now, and the root over them. */
  readonly treeSize: number;
  readonly root: Buffer;
  /** Hashes in the consistency proof that was verified (0 when there was nothing to prove). */
  readonly proofHashes: number;
  /** Whether the ledger extends the trusted checkpoint (false stops the replay). */
  readonly consistent: boolean;
  /** The snapshot the replay started from, when one at or before the checkpoint was usable. */
  readonly snapshotVersion: number | undefined;
  /** Events replayed and checked (those after the snapshot, or all without one). */
  readonly replayed: number;
  readonly lastHash: string;
  readonly violations: readonly Violation[];
  readonly violationsOmitted: number;
  readonly trialBalance: ReadonlyMap<string, bigint>;
  readonly elapsedMs: number;
}

export async function auditSince(
  store: EventStore,
  stream: string,
  trusted: Checkpoint,
  options: AuditSinceOptions = {},
): Promise<AuditSinceReport> {
  const started = performance.now();
  const findings = new Findings(options.violationsMax ?? AUDIT_VIOLATIONS_MAX_DEFAULT);
  const leaves = await readJournalLeaves(store, stream);
  const root = rangeRoot(leaves, 0, leaves.size);
  const base = {
    stream,
    trusted,
    treeSize: leaves.size,
    root,
    snapshotVersion: undefined,
    replayed: 0,
    lastHash: GENESIS_HASH,
    trialBalance: new Map<string, bigint>(),
  };
  const finish = (
    report: Omit<AuditSinceReport, "violations" | "violationsOmitted" | "elapsedMs">,
  ): AuditSinceReport => ({
    ...report,
    violations: findings.kept,
    violationsOmitted: findings.omitted,
    elapsedMs: performance.now() - started,
  });

  const { proofHashes, violation } = ledgerExtends(leaves, trusted);
  if (violation !== undefined) {
    findings.add(violation.check, violation.position, violation.message);
    return finish({ ...base, proofHashes, consistent: false });
  }

  const snapshot = await loadSnapshot(store, stream);
  const usable =
    snapshot._tag === "Loaded" && snapshot.state.sequence <= trusted.size ? snapshot : undefined;
  const snapshotVersion = usable?.state.sequence; // read now: the replay folds into this state
  const state = usable?.state ?? initialState(options);
  const chain = new ChainCheck(findings);
  chain.lastHash = usable?.lastHash ?? GENESIS_HASH;
  const replayed = await replayTail(store, stream, state, chain, findings);
  for (const [currency, total] of ledgerTrialBalance(state)) {
    if (total !== 0n)
      findings.add(
        "trial-balance",
        leaves.size,
        `${currency} accounts sum to ${total} minor units, not zero`,
      );
  }
  return finish({
    ...base,
    proofHashes,
    consistent: true,
    snapshotVersion,
    replayed,
    lastHash: chain.lastHash,
    trialBalance: ledgerTrialBalance(state),
  });
}

/** Checks and folds every event after `state.sequence`; returns how many were read. */
async function replayTail(
  store: EventStore,
  stream: string,
  state: LedgerState,
  chain: ChainCheck,
  findings: Findings,
): Promise<number> {
  const first = state.sequence + 1;
  let position = state.sequence;
  for await (const page of journalPages(store, stream, { fromIndex: position })) {
    for (const stored of page) {
      position += 1;
      const event = prepareEvent(state.registry, stored.payload, position);
      if (event._tag === "Unreadable") {
        findings.add("decode", position, event.message);
        return position - first;
      }
      chain.check(position, event.chain);
      if (event._tag === "Undecodable") {
        findings.add("decode", position, event.message);
        return position - first;
      }
      const recorded = event.recorded;
      if (recorded.sequence !== position)
        findings.add(
          "sequence",
          position,
          `sequence ${recorded.sequence} stands at position ${position}`,
        );
      if (event.unbalanced !== undefined) findings.add("balanced", position, event.unbalanced);
      for (const message of event.fields) findings.add("fields", position, message);
      foldChecked(findings, state, position, recorded);
    }
  }
  return position - first + 1;
}
