/**
 * `pacioli import --db FILE ARCHIVE.jsonl`: rebuilds a ledger from an archive. The archive
 * is audited first and refused on any violation; then its payloads are appended byte for
 * byte (so a later export is identical), and the new ledger's chain head is checked
 * against the archive's.
 */
import { iso4217 } from "@pacioli/core";
import { decodeEntry, eventIdOf, type NewEvent } from "@pacioli/engine";
import { existsSync } from "node:fs";
import { parseFlags, positiveInteger, optionalString, requireString } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_STORE, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { openLedgerFile, openStoreFile, storeFailure } from "../cli/ledger-file.js";
import { auditText } from "../cli/audit-text.js";
import { openArchive } from "../archive/archive-reader.js";
import { runAudit, withArchiveAnchors } from "./audit-command.js";

/** Events per append: one SQLite transaction each. */
const IMPORT_BATCH_EVENTS = 5000;

const usage = `Usage: pacioli import --db FILE ARCHIVE.jsonl

Rebuilds a ledger from a JSONL archive written by \`pacioli export --format jsonl\`.
The archive is audited first; a tampered or inconsistent archive is refused and nothing
is written. FILE must not exist yet, or hold an empty ledger.

Exit status: 0 imported, 1 the archive failed its audit, 2 unusable input, 3 store failure.`;

export const importCommand: Command = {
  name: "import",
  summary: "rebuild a ledger from a JSONL archive, verifying it first",
  usage,
  async run(argv) {
    const parsed = parseFlags("import", argv, { db: { type: "string" }, "max-violations": { type: "string" } }, 1);
    const db = requireString("import", parsed, "db");
    const path = parsed.positionals[0];
    if (path === undefined) throw new CliError("name the archive to import", EXIT_USAGE, "pacioli import --db FILE ARCHIVE.jsonl");
    const archive = await openArchive(path);
    const report = withArchiveAnchors(await runAudit(archive, positiveInteger("max-violations", optionalString(parsed, "max-violations"), 1000), archive.header.events), archive.header);
    if (report.violations.length > 0) {
      process.stderr.write(`${auditText(report, path)}\n`);
      throw new CliError(`refusing to import ${path}: it failed its audit`, EXIT_VIOLATIONS, "import only archives that `pacioli audit --jsonl` reports clean");
    }
    const store = await openStoreFile(db, existsSync(db) ? "existing" : "create");
    try {
      const version = await store.streamVersion(archive.stream);
      if (version !== 0) throw new CliError(`${db} already holds ${version} events in ${archive.stream}`, EXIT_USAGE, "import into a new file");
      let batch: NewEvent[] = [];
      let appended = 0;
      const flush = async () => {
        const result = await store.append(archive.stream, batch, appended);
        if (result._tag !== "Appended") throw new CliError(`another process wrote to ${db} during the import`, EXIT_STORE, "import into a file no one else uses");
        appended += batch.length;
        batch = [];
      };
      for await (const page of archive.pages()) {
        for (const record of page) {
          const { recorded } = decodeEntry(iso4217, { eventId: "", type: "", payload: record.payload, stream: archive.stream, streamIndex: appended + batch.length, position: "" as never });
          batch.push({ eventId: eventIdOf(recorded), type: recorded.event.type, payload: record.payload });
          if (batch.length >= IMPORT_BATCH_EVENTS) await flush();
        }
      }
      if (batch.length > 0) await flush();
    } catch (error) {
      throw storeFailure(db, error);
    } finally {
      await store.close();
    }
    // Open it as the engine would: the imported chain must load and end where the archive did.
    const { store: check, ledger } = await openLedgerFile(db, "existing");
    try {
      if (ledger.headHash !== archive.header.lastHash) throw new CliError(`the imported ledger ends at ${ledger.headHash}, not ${archive.header.lastHash}`, EXIT_STORE);
      process.stdout.write(`Imported ${archive.header.events} events into ${db} (stream ${archive.stream}, chain head ${ledger.headHash}).\n`);
    } finally {
      await ledger.close();
      await check.close();
    }
    return EXIT_OK;
  },
};
