/**
 * The sequential half of the audit: the checks that need the events before, run in stream
 * order over prepared events (`prepareEvent`), and everything they carry from one event to
 * the next. `auditStream` drives it from nothing, or from an `AuditState` an earlier audit
 * saved (`save`), so that an audit resumed after event m runs every check on the events after
 * m exactly as a full audit would (ADR 0026).
 *
 * What it carries: the ledger state `evolve` folds; the balances recomputed from postings
 * alone; the hold model; the idempotency keys of the retention window; the sequence, command
 * group and stream index cursors; the chain head; and, when asked, the RFC 6962 tree head
 * over the stored payloads read (so a saved state names the root its events hash to).
 */
import {
  IdempotencyTable,
  initialState,
  type LedgerOptions,
  type LedgerState,
} from "@pacioli/core";
import type { Violation } from "./audit-report.js";
import { Findings } from "./audit-report.js";
import type { AuditRecord } from "./audit-source.js";
import { BalanceCheck } from "./balance-check.js";
import { ChainCheck } from "./chain-check.js";
import { foldChecked } from "./fold-check.js";
import { HoldCheck } from "./hold-check.js";
import { IdempotencyCheck } from "./idempotency-check.js";
import type { PreparedEvent } from "./prepared-event.js";
import { ProjectionCheck } from "./projection-check.js";
import { SequenceCheck } from "./sequence-check.js";
import type { AuditState } from "./audit-state.js";
import { TreeHead } from "../verifiable/tree-head.js";
import { leafHash } from "../verifiable/merkle-hash.js";

/**
 * Keys the folded ledger state keeps in its own idempotency table. The audit's idempotency
 * check holds the window; a second unbounded copy in the state was ~70 bytes a key of
 * columns and index (1.7M keys a day at 10M events over six days) and its upkeep per command.
 */
const AUDIT_FOLD_KEYS_MAX = 1;

export class AuditFold {
  readonly state: LedgerState;
  readonly chain: ChainCheck;
  readonly sequence: SequenceCheck;
  readonly balance: BalanceCheck;
  readonly holds: HoldCheck;
  readonly idempotency: IdempotencyCheck;
  readonly projection: ProjectionCheck;
  /** The tree over the payloads read, kept only when a state is to be saved or was resumed. */
  readonly tree: TreeHead | undefined;
  /** Events read so far (the position of the last one). */
  position: number;

  constructor(
    readonly findings: Findings,
    options: LedgerOptions & { readonly resume?: AuditState; readonly keepTree?: boolean },
  ) {
    const resume = options.resume;
    // evolve's own idempotency table is a second copy of the window the idempotency check
    // keeps (decisions read it, the audit never does): one key is enough.
    this.state =
      resume === undefined
        ? initialState({ ...options, idempotencyHotSetMax: AUDIT_FOLD_KEYS_MAX })
        : {
            ...resume.ledger,
            idempotency: new IdempotencyTable(
              resume.ledger.idempotency.retentionMs,
              AUDIT_FOLD_KEYS_MAX,
            ),
          };
    this.position = resume?.treeSize ?? 0;
    this.chain = new ChainCheck(findings);
    this.sequence = new SequenceCheck(findings);
    this.balance = new BalanceCheck(findings, this.state.registry, resume?.balances);
    this.holds = new HoldCheck(
      findings,
      this.balance.balances,
      (currency, amount) => this.balance.format(currency, amount),
      resume?.holds,
    );
    this.idempotency = new IdempotencyCheck(
      findings,
      resume?.idempotencyRetentionMs ?? options.idempotencyRetentionMs,
    );
    this.projection = new ProjectionCheck(findings);
    this.tree =
      resume !== undefined
        ? TreeHead.restore(resume.treeSize, resume.frontier)
        : options.keepTree === true
          ? TreeHead.empty()
          : undefined;
    if (resume !== undefined) {
      this.chain.lastHash = resume.lastHash;
      this.sequence.restore(resume.sequence);
      this.idempotency.restore(resume.idempotency);
    }
  }

  /** Checks and folds the next event; returns the fatal finding when the replay must stop. */
  next(
    record: AuditRecord,
    event: PreparedEvent,
    snapshotVersion: number | undefined,
  ): Violation | undefined {
    this.position += 1;
    const position = this.position;
    this.tree?.append(leafHash(record.payload));
    if (event._tag === "Unreadable") return { check: "decode", position, message: event.message };
    this.chain.check(position, event.chain);
    if (event._tag === "Undecodable") return { check: "decode", position, message: event.message };
    const recorded = event.recorded;
    this.sequence.check(position, recorded, record);
    this.balance.check(position, recorded, event.unbalanced);
    for (const message of event.fields) this.findings.add("fields", position, message);
    foldChecked(this.findings, this.state, position, recorded);
    this.holds.check(position, recorded);
    this.idempotency.check(position, recorded);
    if (position === snapshotVersion)
      this.projection.compareSnapshot(position, this.state, this.chain.lastHash);
    return undefined;
  }

  /**
   * The end-of-audit checks (not after a fatal stop); returns the trial balance. Unless the
   * stream ended here (`atEnd`: not an audit stopped at a checkpoint's size with more after
   * it), a command still open is not cut short: its next events are merely not read yet.
   */
  finish(atEnd: boolean): Map<string, bigint> {
    if (atEnd) this.sequence.finish(this.position);
    const trialBalance = this.balance.finish(this.position);
    this.projection.finish(this.position, this.state, this.balance.balances);
    return trialBalance;
  }

  /**
   * Everything the fold carries at this position, for an audit to resume from. Shares the
   * fold's containers: take it once the replay is over.
   */
  save(stream: string): AuditState {
    const tree = this.tree;
    if (tree === undefined || tree.size !== this.position)
      throw new RangeError("an audit state is saved only from an audit that kept its tree");
    return {
      stream,
      treeSize: this.position,
      root: tree.root(),
      frontier: tree.nodes,
      lastHash: this.chain.lastHash,
      ledger: this.state,
      balances: this.balance.balances,
      holds: this.holds.model,
      idempotencyRetentionMs: this.idempotency.retentionMs,
      idempotency: [...this.idempotency.live()],
      sequence: this.sequence.save(),
    };
  }
}
