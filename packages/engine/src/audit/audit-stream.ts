/**
 * `auditStream(source, options)`: replays a ledger stream from nothing in one streaming
 * pass and reports every violation it finds, with the position of the event.
 *
 * Per event: JSON.parse; the canonical-bytes and hash-chain check; decode with the
 * recorded-event codec (never trusted); sequence continuity; the postings balance and
 * agree with the event's own fields; fold
 * with `evolve` (its assertion failures become violations, and the fold goes on); hold,
 * balance and idempotency invariants, each incremental. At the end: the trial balance and
 * the comparison of the recomputed balances with evolve's state and the stored snapshot.
 *
 * An event that cannot be read (not JSON, not a known event) stops the replay: nothing
 * after it can be folded. It is reported as `fatal`, naming its position.
 */
import {
  accountBalances,
  decodeFailure,
  describeDecodeFailure,
  evolve,
  initialState,
  recordedEventCodec,
  type LedgerOptions,
} from "@pacioli/core";
import { parsePayload } from "../journal/journal-codec.js";
import type { AuditReport, Violation } from "./audit-report.js";
import { Findings } from "./audit-report.js";
import type { AuditSource } from "./audit-source.js";
import { BalanceCheck } from "./balance-check.js";
import { ChainCheck } from "./chain-check.js";
import { FieldsCheck } from "./fields-check.js";
import { HoldCheck } from "./hold-check.js";
import { IdempotencyCheck } from "./idempotency-check.js";
import { ProjectionCheck } from "./projection-check.js";
import { SequenceCheck } from "./sequence-check.js";

/** Violations kept in a report; the rest are counted. */
export const AUDIT_VIOLATIONS_MAX_DEFAULT = 1000;

export interface AuditOptions extends LedgerOptions {
  readonly violationsMax?: number;
  /** Called after each page with the number of events read so far. */
  readonly onProgress?: (events: number) => void;
}

export async function auditStream(
  source: AuditSource,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const started = performance.now();
  const findings = new Findings(options.violationsMax ?? AUDIT_VIOLATIONS_MAX_DEFAULT);
  const state = initialState(options);
  const codec = recordedEventCodec(state.registry);
  const chain = new ChainCheck(findings);
  const sequence = new SequenceCheck(findings);
  const balance = new BalanceCheck(findings, state.registry);
  const fields = new FieldsCheck(findings, state.registry);
  const holds = new HoldCheck(findings, balance.balances, (currency, amount) =>
    balance.format(currency, amount),
  );
  const idempotency = new IdempotencyCheck(findings, options.idempotencyRetentionMs);
  const projection = new ProjectionCheck(findings);
  const snapshotVersion = projection.load((await source.readSnapshot?.()) ?? null);

  let position = 0;
  let fatal: Violation | undefined;
  read: for await (const page of source.pages()) {
    for (const record of page) {
      position += 1;
      const parsed = parsePayload(record.payload);
      if (parsed._tag === "Unreadable") {
        fatal = {
          check: "decode",
          position,
          message: `event ${position} is ${parsed.message}; replay stops here`,
        };
        break read;
      }
      chain.check(position, parsed);
      const decoded = codec.decode(parsed.wire);
      if (decoded._tag === "Left") {
        fatal = {
          check: "decode",
          position,
          message: `${describeDecodeFailure(decodeFailure(`event ${position}`, decoded.left))}\nreplay stops here`,
        };
        break read;
      }
      const recorded = decoded.right;
      sequence.check(position, recorded, record);
      balance.check(position, recorded);
      fields.check(position, recorded);
      try {
        // Fold at the event's own sequence: a gap is reported once by the sequence check,
        // not again as an assertion failure at every event after it.
        state.sequence = recorded.sequence - 1;
        evolve(state, recorded);
      } catch (error) {
        findings.add(
          "fold",
          position,
          `evolve refused ${recorded.event.type}: ${(error as Error).message.replace(/^assertion failed: /, "")}`,
        );
      }
      holds.check(position, recorded);
      idempotency.check(position, recorded);
      if (position === snapshotVersion) projection.compareSnapshot(position, state, chain.lastHash);
    }
    options.onProgress?.(position);
  }

  const events = fatal === undefined ? position : position - 1;
  let trialBalance = new Map<string, bigint>();
  if (fatal === undefined) {
    sequence.finish(position);
    trialBalance = balance.finish(position);
    projection.finish(position, state, balance.balances);
  }
  const recomputed = { ...state, balances: balance.balances };
  return {
    stream: source.stream,
    events,
    lastHash: chain.lastHash,
    violations: fatal === undefined ? findings.kept : [...findings.kept, fatal],
    violationsOmitted: findings.omitted,
    fatal,
    balances: accountBalances(recomputed, ""),
    trialBalance,
    snapshotVersion,
    elapsedMs: performance.now() - started,
  };
}
