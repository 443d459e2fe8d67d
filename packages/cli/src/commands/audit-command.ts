/**
 * `pacioli audit --db FILE | --jsonl FILE`: replays a stream from nothing and verifies it
 * (see `@pacioli/engine` `auditStream`). For an archive it also checks the header's event
 * count and chain head, which anchor the tail of the stream.
 */
import { availableParallelism } from "node:os";
import {
  auditStream,
  checkpointMismatch,
  type AuditOptions,
  type AuditReport,
  type AuditSource,
  type Checkpoint,
  type Violation,
} from "@pacioli/engine";
import { saveStateFile } from "../cli/audit-state-files.js";
import { requireVerifier, trustedCheckpoint } from "../cli/note-keys.js";
import { commandFlags, positiveInteger } from "../cli/arguments.js";
import { auditJson, auditText } from "../cli/audit-text.js";
import { CliError, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { DEFAULT_STREAM, openStoreFile, readFailure } from "../cli/ledger-file.js";
import { Progress } from "../cli/progress.js";
import { openArchive } from "../archive/archive-reader.js";
import { runAuditSince, runAuditSinceState } from "./audit-since.js";
import { storeAuditSource, type EventStore } from "@pacioli/engine";

const usage = `Usage: pacioli audit (--db FILE | --jsonl ARCHIVE) [--json] [--max-violations N] [--workers N]
       pacioli audit --db FILE --checkpoint CHECKPOINT --key VKEY --save-state STATE [--json]
       pacioli audit --db FILE --since CHECKPOINT --state STATE --key VKEY
                     [--checkpoint NEWER --save-state NEWSTATE] [--json]
       pacioli audit --db FILE --since CHECKPOINT --key VKEY [--json]

Replays the ledger stream from nothing and verifies it: canonical bytes and the hash
chain, sequence continuity, that every event balances, the trial balance, the hold,
escrow and refund invariants, idempotency-key uniqueness, and the recomputed balances
against evolve's state and the stored snapshot. Every violation is named with the
position of its event (1 = the first event of the stream).

Options:
  --db FILE             a Pacioli SQLite ledger, or a kurrentdb:// or esdb:// connection string
  --jsonl ARCHIVE       a JSONL archive from \`pacioli export --format jsonl\`
  --stream NAME         the stream to audit in a SQLite ledger (default ${DEFAULT_STREAM})
  --json                print the report as one JSON object
  --max-violations N    violations to list (default 1000; the rest are counted)
  --workers N           worker threads that parse, hash and decode events while the main
                        thread folds them: 0 to 64, or auto (the default: one less than the
                        CPUs available, none below 50,000 events). The findings are the
                        same with any N
  --checkpoint CP       stop after the signed checkpoint's events and require that they
                        hash to its root (a cut tail or rewritten past is a violation); the
                        state saved is then bound to it
  --save-state STATE    after a clean audit, write your audit state (the fold, balances,
                        holds, the idempotency window, cursors, tree head) to STATE
  --since CHECKPOINT    incremental: verify the signed checkpoint you kept and the
                        consistency proof from it to the ledger now (a cut tail or rewritten
                        past is a violation), then
  --state STATE           with the state you saved with that checkpoint: replay only the
                          events after it, with every check above (the findings are the
                          full audit's for those events); a state that is damaged, edited or
                          not the checkpoint's is unusable input (2)
                          without --state: replay from the stored snapshot at or before the
                          checkpoint, else from the start, with fewer checks (bytes, chain,
                          decoding, sequence, balance, fields, fold, trial balance)
  --key VKEY            the ledger's verifier key (text or file), with --since or --checkpoint

A stream that holds no events (misspelt, missing, or an empty ledger) is unusable input,
not a clean audit. Reading opens the file read-only.

Exit status: 0 clean, 1 violations found, 2 unusable input (nothing to audit, an audit state
that is damaged or not the checkpoint's), 3 store failure.`;

/**
 * Worker threads for `--workers auto`: the CPUs left once the fold has one, on a stream long
 * enough to repay starting them (a worker takes tens of milliseconds to start; a small
 * ledger is audited sooner on one thread). Unknown length: as for a long one.
 */
const autoWorkers = (events: number | undefined): number =>
  events !== undefined && events < AUTO_WORKERS_MIN_EVENTS
    ? 0
    : Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
const MAX_WORKERS = 64;
const AUTO_WORKERS_MIN_EVENTS = 50_000;

/** `--workers`: a count, or undefined for auto (decided once the stream's length is known). */
function workerCount(text: string | undefined): number | undefined {
  if (text === undefined || text === "auto") return undefined;
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) > MAX_WORKERS)
    throw new CliError(
      `--workers must be auto or a whole number from 0 to ${MAX_WORKERS}, got ${JSON.stringify(text)}`,
      EXIT_USAGE,
      "run `pacioli audit --help` for usage",
    );
  return Number(text);
}

export const auditCommand: Command = {
  name: "audit",
  summary: "replay a stream from nothing and verify every invariant",
  usage,
  async run(argv) {
    const flags = commandFlags("audit", argv, {
      db: "string",
      jsonl: "string",
      stream: "string",
      json: "boolean",
      "max-violations": "string",
      since: "string",
      key: "string",
      workers: "string",
      checkpoint: "string",
      state: "string",
      "save-state": "string",
    });
    const db = flags.string("db");
    const jsonl = flags.string("jsonl");
    if ((db === undefined) === (jsonl === undefined))
      throw new CliError(
        "give exactly one of --db FILE or --jsonl ARCHIVE",
        EXIT_USAGE,
        "run `pacioli audit --help` for usage",
      );
    const violationsMax = positiveInteger("max-violations", flags.string("max-violations"), 1000);
    const json = flags.boolean("json");
    const workers = workerCount(flags.string("workers"));
    const since = flags.string("since");
    const stream = flags.string("stream") ?? DEFAULT_STREAM;
    const statePath = flags.string("state");
    const saveState = flags.string("save-state");
    const checkpointPath = flags.string("checkpoint");
    if (db === undefined && (statePath ?? saveState ?? checkpointPath) !== undefined)
      throw new CliError(
        "--checkpoint, --state and --save-state audit a ledger (--db), not an archive",
        EXIT_USAGE,
        "run `pacioli audit --help` for usage",
      );
    if (statePath !== undefined && since === undefined)
      throw new CliError(
        "--state is the state saved with the checkpoint given to --since: give --since too",
        EXIT_USAGE,
        "run `pacioli audit --help` for usage",
      );
    if (
      since !== undefined &&
      statePath === undefined &&
      (saveState ?? checkpointPath) !== undefined
    )
      throw new CliError(
        "--since without --state does not run every check, so it saves no state: give --state",
        EXIT_USAGE,
        "run `pacioli audit --help` for usage",
      );
    const bound =
      checkpointPath === undefined
        ? undefined
        : trustedCheckpoint(checkpointPath, requireVerifier(flags.string("key"), "--checkpoint"));
    if (since !== undefined && statePath !== undefined)
      return runAuditSinceState({
        db: db as string,
        stream,
        trusted: trustedCheckpoint(since, requireVerifier(flags.string("key"), "--since")),
        statePath,
        next: bound,
        saveState,
        violationsMax,
        workers: workers ?? autoWorkers(undefined),
        json,
      });
    if (since !== undefined)
      return runAuditSince(db, stream, since, flags.string("key"), violationsMax, json);
    let store: EventStore | undefined;
    let source: AuditSource;
    let expected: { events: number; lastHash: string } | undefined;
    if (db !== undefined) {
      store = await openStoreFile(db, "read");
      source = storeAuditSource(store, stream);
    } else {
      const archive = await openArchive(jsonl as string);
      source = archive;
      expected = archive.header;
    }
    const name = db ?? (jsonl as string);
    try {
      const total =
        store === undefined ? expected?.events : await store.streamVersion(source.stream);
      const audited = await runAudit(source, violationsMax, total, workers ?? autoWorkers(total), {
        ...(bound === undefined ? {} : { upTo: bound.size }),
        saveState: saveState !== undefined,
      });
      const report = bound === undefined ? audited : withCheckpoint(audited, bound);
      const checked = expected === undefined ? report : withArchiveAnchors(report, expected);
      // An audit of nothing is not a clean audit: a missing stream or an empty ledger is unusable input.
      if (checked.events === 0 && checked.violations.length === 0) {
        throw new CliError(
          `${name} holds no events in stream ${JSON.stringify(source.stream)}: there is nothing to audit`,
          EXIT_USAGE,
          db === undefined
            ? "audit an archive that holds events"
            : `check the stream name (--stream; the default is ${DEFAULT_STREAM}) or apply commands first`,
        );
      }
      process.stdout.write(`${json ? auditJson(checked, name) : auditText(checked, name)}\n`);
      if (saveState !== undefined) await saveStateFile(saveState, checked);
      return checked.violations.length + checked.violationsOmitted === 0
        ? EXIT_OK
        : EXIT_VIOLATIONS;
    } catch (error) {
      throw readFailure(name, error);
    } finally {
      await store?.close();
    }
  },
};

export async function runAudit(
  source: AuditSource,
  violationsMax: number,
  total: number | undefined,
  workers = 0,
  bounds: Pick<AuditOptions, "upTo" | "saveState"> = {},
): Promise<AuditReport> {
  const progress = new Progress(total, "auditing");
  try {
    return await auditStream(source, {
      ...bounds,
      registry: ledgerRegistry(),
      violationsMax,
      workers,
      onProgress: (events) => progress.update(events),
    });
  } finally {
    progress.finish();
  }
}

/** An audit stopped at a checkpoint's size read exactly its events; else the finding (no state). */
function withCheckpoint(report: AuditReport, checkpoint: Checkpoint): AuditReport {
  const mismatch = checkpointMismatch(report, checkpoint);
  return mismatch === undefined
    ? report
    : { ...report, violations: [...report.violations, mismatch], state: undefined };
}

/** The header says how many events the archive holds and which hash ends it. */
export function withArchiveAnchors(
  report: AuditReport,
  header: { events: number; lastHash: string },
): AuditReport {
  if (report.fatal !== undefined) return report;
  const extra: Violation[] = [];
  if (header.events !== report.events) {
    extra.push({
      check: "sequence",
      position: Math.min(header.events, report.events) + 1,
      message: `the archive header says ${header.events} events but it holds ${report.events}: events were removed or added`,
    });
  } else if (header.lastHash !== report.lastHash) {
    extra.push({
      check: "hash-chain",
      position: report.events,
      message: `the chain ends at ${report.lastHash.slice(0, 12)}…, not the header's ${header.lastHash.slice(0, 12)}…`,
    });
  }
  return extra.length === 0 ? report : { ...report, violations: [...report.violations, ...extra] };
}
