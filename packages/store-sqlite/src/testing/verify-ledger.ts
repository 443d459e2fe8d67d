/**
 * "This file is a valid ledger", for tests after a crash: the engine's own audit (hash chain
 * over the stored bytes, sequence and stream-index continuity, deterministic event ids,
 * balanced postings, overdrafts, held = open holds, trial balance, snapshot) must find
 * nothing, and the replayed state, chain head and commands (idempotency keys, with how often
 * each was recorded) are handed back for the test's own expectations. One auditor, not two.
 */
import type { LedgerOptions, LedgerState } from "@pacioli/core";
import { auditStream, loadLedger, storeAuditSource, type EventStore } from "@pacioli/engine";
import { AssertionFailure } from "@pacioli/core";

export interface CommandRecord {
  /** Commands recorded under this key: 1 for a healthy ledger. */
  readonly count: number;
  readonly firstSequence: number;
}

export interface VerifiedLedger {
  readonly state: LedgerState;
  readonly headHash: string;
  readonly commands: ReadonlyMap<string, CommandRecord>;
}

export async function verifyLedger(
  store: EventStore,
  stream: string,
  options: LedgerOptions = {},
): Promise<VerifiedLedger> {
  const report = await auditStream(storeAuditSource(store, stream), options);
  if (report.violations.length > 0) {
    throw new Error(
      `the audit of ${stream} found ${report.violations.length} violations:\n${report.violations.map((violation) => `  ${violation.position} ${violation.check}: ${violation.message}`).join("\n")}`,
    );
  }
  const commands = new Map<string, CommandRecord>();
  const { state, lastHash } = await loadLedger(store, stream, {
    ...options,
    useSnapshot: false,
    onEvent: (recorded) => {
      if (recorded.indexInCommand !== 0) return;
      const seen = commands.get(recorded.idempotencyKey);
      commands.set(recorded.idempotencyKey, {
        count: (seen?.count ?? 0) + 1,
        firstSequence: seen?.firstSequence ?? recorded.sequence,
      });
    },
  });
  if (lastHash !== report.lastHash || state.sequence !== report.events)
    throw new AssertionFailure(
      `the replay ends at ${state.sequence} ${lastHash}, the audit at ${report.events} ${report.lastHash}`,
    );
  return { state, headHash: lastHash, commands };
}
