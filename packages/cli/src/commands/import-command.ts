/**
 * `pacioli import --db FILE ARCHIVE.jsonl`: rebuilds a ledger from an archive. The archive
 * is audited first and refused on any violation; then its payloads are appended byte for
 * byte (so a later export is identical) to the archive's own stream, and the chain is
 * replayed and its head checked against the archive's.
 *
 * All or nothing: a SQLite ledger is built in a temporary file beside FILE and renamed onto
 * FILE only once it replays to the archive's chain head, so a failure (or a kill) at any
 * point leaves FILE as it was and a second import can run. A server (EventStoreDB) has no
 * such rename: there the events are appended in batches, and a failed import leaves the
 * batches appended so far (the next import then refuses the stream; delete it first).
 */
import { loadLedger, restoreEvent, type EventStore, type NewEvent } from "@pacioli/engine";
import { existsSync, renameSync, rmSync } from "node:fs";
import { commandFlags, positiveInteger } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_STORE, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { isServerLocation, openStoreFile, storeFailure } from "../cli/ledger-file.js";
import { auditText } from "../cli/audit-text.js";
import { openArchive, type ArchiveSource } from "../archive/archive-reader.js";
import { runAudit, withArchiveAnchors } from "./audit-command.js";

/** Events per append: one SQLite transaction each. */
const IMPORT_BATCH_EVENTS = 5000;

const usage = `Usage: pacioli import --db FILE ARCHIVE.jsonl

Rebuilds a ledger from a JSONL archive written by \`pacioli export --format jsonl\`,
into the archive's stream. The archive is audited first; a tampered, inconsistent or
empty archive is refused and nothing is written. FILE must not exist yet, or hold an
empty ledger. All or nothing: the ledger is built in a temporary file beside FILE and
moved onto it only once it replays to the archive's chain head.

Exit status: 0 imported, 1 the archive failed its audit, 2 unusable input, 3 store failure.`;

export const importCommand: Command = {
  name: "import",
  summary: "rebuild a ledger from a JSONL archive, verifying it first",
  usage,
  async run(argv) {
    const flags = commandFlags("import", argv, { db: "string", "max-violations": "string" }, 1);
    const db = flags.required("db");
    const path = flags.requiredPositional(
      "name the archive to import",
      "pacioli import --db FILE ARCHIVE.jsonl",
    );
    const archive = await openArchive(path);
    const report = withArchiveAnchors(
      await runAudit(
        archive,
        positiveInteger("max-violations", flags.string("max-violations"), 1000),
        archive.header.events,
      ),
      archive.header,
    );
    if (report.violations.length > 0) {
      process.stderr.write(`${auditText(report, path)}\n`);
      throw new CliError(
        `refusing to import ${path}: it failed its audit`,
        EXIT_VIOLATIONS,
        "import only archives that `pacioli audit --jsonl` reports clean",
      );
    }
    if (report.events === 0)
      throw new CliError(
        `${path} holds no events: nothing to import`,
        EXIT_USAGE,
        "export a stream that holds events",
      );
    if (isServerLocation(db)) await importInto(db, db, archive);
    else await importIntoFile(db, archive);
    process.stdout.write(
      `Imported ${archive.header.events} events into ${db} (stream ${archive.stream}, chain head ${archive.header.lastHash}).\n`,
    );
    return EXIT_OK;
  },
};

/** Builds the ledger in a temporary file, then renames it onto `db`: FILE changes only on success. */
async function importIntoFile(db: string, archive: ArchiveSource): Promise<void> {
  if (existsSync(db)) await requireEmptyLedger(db, archive.stream);
  const building = `${db}.importing-${process.pid}`;
  removeDatabase(building);
  try {
    await importInto(building, db, archive);
    if (existsSync(db)) removeDatabase(db); // an empty ledger, checked above
    renameSync(building, db);
  } catch (error) {
    removeDatabase(building);
    throw error instanceof CliError ? error : storeFailure(db, error);
  }
}

/** Appends the archive's events to `location` and replays them to the archive's chain head. */
async function importInto(location: string, db: string, archive: ArchiveSource): Promise<void> {
  const registry = ledgerRegistry();
  const store = await openStoreFile(
    location,
    existsSync(location) || isServerLocation(location) ? "existing" : "create",
  );
  try {
    const version = await store.streamVersion(archive.stream);
    if (version !== 0)
      throw new CliError(
        `${db} already holds ${version} events in ${archive.stream}`,
        EXIT_USAGE,
        "import into a new file",
      );
    let batch: NewEvent[] = [];
    let appended = 0;
    const flush = async () => {
      const result = await store.append(archive.stream, batch, appended);
      if (result._tag !== "Appended")
        throw new CliError(
          `another process wrote to ${db} during the import`,
          EXIT_STORE,
          "import into a file no one else uses",
        );
      appended += batch.length;
      batch = [];
    };
    for await (const page of archive.pages()) {
      for (const record of page) {
        batch.push(restoreEvent(registry, record.payload, appended + batch.length + 1));
        if (batch.length >= IMPORT_BATCH_EVENTS) await flush();
      }
    }
    if (batch.length > 0) await flush();
    // Replay it as the engine would: the imported chain must load and end where the archive did.
    const { lastHash } = await loadLedger(store, archive.stream, { registry, useSnapshot: false });
    if (lastHash !== archive.header.lastHash)
      throw new CliError(
        `the imported ledger ends at ${lastHash}, not ${archive.header.lastHash}`,
        EXIT_STORE,
      );
  } catch (error) {
    throw storeFailure(db, error);
  } finally {
    await store.close();
  }
}

/** An existing FILE may be replaced only when it is a ledger that holds nothing at all. */
async function requireEmptyLedger(db: string, stream: string): Promise<void> {
  const store: EventStore = await openStoreFile(db, "read");
  try {
    const version = await store.streamVersion(stream);
    if (version !== 0)
      throw new CliError(
        `${db} already holds ${version} events in ${stream}`,
        EXIT_USAGE,
        "import into a new file",
      );
    const { events } = await store.readAll(null, 1);
    if (events.length > 0)
      throw new CliError(
        `${db} already holds events in other streams`,
        EXIT_USAGE,
        "import into a new file",
      );
  } catch (error) {
    throw storeFailure(db, error);
  } finally {
    await store.close();
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"])
    rmSync(`${path}${suffix}`, { force: true });
}
