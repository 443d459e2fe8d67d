/**
 * `pacioli audit --db FILE --since CHECKPOINT --key VKEY`: the incremental audit (see
 * `@pacioli/engine` `auditSince`): the checkpoint's signature, the consistency proof from it
 * to today's ledger, then a replay of only what came after the snapshot before it.
 */
import {
  auditSince,
  auditSinceState,
  type AuditSinceReport,
  type AuditSinceStateResult,
  type Checkpoint,
  type EventStore,
} from "@pacioli/engine";
import { auditJson, auditText } from "../cli/audit-text.js";
import { readStateFile, saveStateFile } from "../cli/audit-state-files.js";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { Progress } from "../cli/progress.js";
import { CliError, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import { jsonText } from "../cli/json-text.js";
import { openStoreFile, storeFailure } from "../cli/ledger-file.js";
import { moneyText } from "../cli/money-text.js";
import { requireVerifier, trustedCheckpoint } from "../cli/note-keys.js";

export interface SinceStateRun {
  readonly db: string;
  readonly stream: string;
  readonly trusted: Checkpoint;
  readonly statePath: string;
  readonly next: Checkpoint | undefined;
  readonly saveState: string | undefined;
  readonly violationsMax: number;
  readonly workers: number;
  readonly json: boolean;
}

/**
 * `audit --since CHECKPOINT --state FILE`: from the auditor's own state, every check on the
 * events after it (`auditSinceState`). A state that is not the checkpoint's is exit 2.
 */
export async function runAuditSinceState(run: SinceStateRun): Promise<number> {
  const state = await readStateFile(run.statePath);
  const store: EventStore = await openStoreFile(run.db, "existing");
  let result: AuditSinceStateResult;
  const progress = new Progress(undefined, "auditing");
  try {
    result = await auditSinceState(store, run.stream, run.trusted, state, {
      registry: ledgerRegistry(),
      violationsMax: run.violationsMax,
      workers: run.workers,
      saveState: run.saveState !== undefined,
      onProgress: (events) => progress.update(events),
      ...(run.next === undefined ? {} : { next: run.next }),
    });
  } catch (error) {
    throw storeFailure(run.db, error);
  } finally {
    progress.finish();
    await store.close();
  }
  if (result._tag === "Refused")
    throw new CliError(
      `the audit state ${run.statePath} cannot be used with the checkpoint given to --since: ${result.reason}`,
      EXIT_USAGE,
    );
  const { since, report } = result;
  const facts = {
    since: {
      origin: since.trusted.origin,
      size: since.trusted.size,
      root: since.trusted.root.toString("base64"),
    },
    treeSize: since.treeSize,
    root: since.root.toString("base64"),
    consistent: since.consistent,
    replayed: since.consistent ? report.events - since.trusted.size : 0,
  };
  const text = [
    `Incremental audit of ${run.db} since the checkpoint of ${since.trusted.size} events, from your audit state`,
    `  checkpoint        ${since.trusted.origin}, ${since.trusted.size} events, root ${facts.since.root} (signature verified; the state is bound to it)`,
    `  ledger audited    ${since.treeSize} events, root ${facts.root}`,
    `  consistency       ${since.consistent ? `verified: the ledger's first ${since.trusted.size} events hash to the checkpoint's root, and the events after them are the ones replayed` : "FAILED"}`,
    "",
    auditText(report, run.db),
  ].join("\n");
  process.stdout.write(`${run.json ? auditJson(report, run.db, facts) : text}\n`);
  if (run.saveState !== undefined) await saveStateFile(run.saveState, report);
  return report.violations.length + report.violationsOmitted === 0 ? EXIT_OK : EXIT_VIOLATIONS;
}

export async function runAuditSince(
  db: string | undefined,
  stream: string,
  since: string,
  keyText: string | undefined,
  violationsMax: number,
  json: boolean,
): Promise<number> {
  if (db === undefined)
    throw new CliError(
      "--since audits a ledger (--db), not an archive",
      EXIT_USAGE,
      "run `pacioli audit --help` for usage",
    );
  const trusted = trustedCheckpoint(since, requireVerifier(keyText, "--since"));
  const store: EventStore = await openStoreFile(db, "existing");
  let report: AuditSinceReport;
  try {
    report = await auditSince(store, stream, trusted, { violationsMax });
  } catch (error) {
    throw storeFailure(db, error);
  } finally {
    await store.close();
  }
  process.stdout.write(`${json ? sinceJson(report, db) : sinceText(report, db)}\n`);
  return report.violations.length + report.violationsOmitted === 0 ? EXIT_OK : EXIT_VIOLATIONS;
}

function sinceText(report: AuditSinceReport, source: string): string {
  const from =
    report.snapshotVersion === undefined
      ? "from the start (no snapshot at or before the checkpoint)"
      : `from the snapshot at event ${report.snapshotVersion}`;
  const lines = [
    `Incremental audit of ${source} (stream ${report.stream}) since the checkpoint of ${report.trusted.size} events`,
    `  checkpoint        ${report.trusted.origin}, ${report.trusted.size} events, root ${report.trusted.root.toString("base64")} (signature verified)`,
    `  ledger now        ${report.treeSize} events, root ${report.root.toString("base64")}`,
    `  consistency       ${report.consistent ? `verified (${report.proofHashes} hashes): the first ${report.trusted.size} events are unchanged` : "FAILED"}`,
  ];
  if (report.consistent) {
    lines.push(
      `  replayed          ${report.replayed} events ${from}`,
      "  checks            canonical bytes, hash chain, decoding, sequence, balanced postings, fold (evolve assertions), trial balance",
      `  time              ${Math.round(report.elapsedMs)} ms`,
    );
  }
  const count = report.violations.length + report.violationsOmitted;
  if (count === 0) {
    lines.push(
      "",
      `Verdict: CLEAN: the ledger extends the checkpoint and the ${report.replayed} events replayed pass every check above. (Holds, idempotency and projections: run the full audit.)`,
    );
    return lines.join("\n");
  }
  const first = report.violations[0];
  lines.push(
    "",
    `Verdict: ${count} VIOLATION${count === 1 ? "" : "S"}${first === undefined ? "" : `, the first at event ${first.position}`}.`,
  );
  for (const violation of report.violations)
    lines.push(
      `  ${`event ${violation.position}`.padEnd(11)} ${violation.check.padEnd(13)} ${violation.message.replace(/\n/g, "\n" + " ".repeat(27))}`,
    );
  if (report.violationsOmitted > 0)
    lines.push(`  … and ${report.violationsOmitted} more (raise --max-violations to see them)`);
  return lines.join("\n");
}

function sinceJson(report: AuditSinceReport, source: string): string {
  return jsonText({
    source,
    stream: report.stream,
    clean: report.violations.length === 0 && report.violationsOmitted === 0,
    since: {
      origin: report.trusted.origin,
      size: report.trusted.size,
      root: report.trusted.root.toString("base64"),
    },
    treeSize: report.treeSize,
    root: report.root.toString("base64"),
    consistent: report.consistent,
    proofHashes: report.proofHashes,
    snapshotVersion: report.snapshotVersion ?? null,
    replayed: report.replayed,
    lastHash: report.lastHash,
    violations: report.violations,
    violationsOmitted: report.violationsOmitted,
    trialBalance: Object.fromEntries(
      [...report.trialBalance].map(([currency, total]) => [currency, moneyText(total, currency)]),
    ),
    elapsedMs: Math.round(report.elapsedMs),
  });
}
