/**
 * `pacioli rebuild-history --db FILE [--check] [--stream NAME] [--json]`: empties the
 * ledger file's history projection and folds the stream into it again (ADR 0018), or, with
 * `--check`, compares it (caught up) with a rebuild in memory without rebuilding it.
 */
import { historyRebuiltFromStream, type Ledger } from "@pacioli/engine";
import { LEDGER_FLAGS, commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM, withLedgerFile } from "../cli/ledger-file.js";

const usage = `Usage: pacioli rebuild-history --db FILE [--check] [--stream NAME] [--json]

Rebuilds the history projection kept in the ledger file (the tables that answer history,
balances as of a time and lookups by key, command id or metadata) from the stream of
events: it is emptied and every event folded again. The engine keeps it up to date by
itself; rebuild after restoring a file, or when --check reports a difference.

Options:
  --db FILE       the Pacioli SQLite ledger (opened for writing)
  --check         rebuild nothing: catch the projection up with the stream, compare it with
                  a rebuild in memory and exit 1 when they differ
  --stream NAME   the ledger's stream (default ${DEFAULT_STREAM})
  --json          {"stream","checkpoint","events","lines","rebuilt","matches"}

Exit status: 0 done (with --check: the projection matches), 1 --check found a difference,
2 usage or not a ledger, 3 the store failed.`;

export const rebuildHistoryCommand: Command = {
  name: "rebuild-history",
  summary: "rebuild the history projection of a ledger file from its events",
  usage,
  async run(argv) {
    const flags = commandFlags("rebuild-history", argv, {
      ...LEDGER_FLAGS,
      check: "boolean",
      json: "boolean",
    });
    const { db, stream } = flags.ledger();
    await withLedgerFile(db, "existing", { stream }, async ({ ledger }) => {
      const report = flags.boolean("check") ? await compare(ledger) : await rebuild(ledger);
      const text = flags.boolean("json")
        ? jsonText({ stream, ...report })
        : summary(stream, report);
      process.stdout.write(`${text}\n`);
      if (report.matches === false)
        throw new CliError(
          `the history projection of ${stream} differs from a rebuild from its events`,
          EXIT_VIOLATIONS,
          `rebuild it: pacioli rebuild-history --db ${db}`,
        );
    });
    return EXIT_OK;
  },
};

interface Report {
  readonly checkpoint: number;
  readonly events: number;
  readonly lines: number;
  readonly rebuilt: boolean;
  readonly matches: boolean | null;
}

async function rebuild(ledger: Ledger): Promise<Report> {
  const checkpoint = await ledger.rebuildHistory();
  const contents = await ledger.historyProjection.contents();
  return {
    checkpoint,
    events: contents.events.length,
    lines: contents.lines.length,
    rebuilt: true,
    matches: null,
  };
}

async function compare(ledger: Ledger): Promise<Report> {
  const checkpoint = await ledger.historyReached();
  const contents = await ledger.historyProjection.contents();
  const reference = await historyRebuiltFromStream(ledger.store, ledger.stream, {
    registry: ledgerRegistry(),
    through: checkpoint,
  });
  // Compared as canonical text: bigints and optional fields included, key order fixed.
  const same = canonical(contents) === canonical(reference);
  return {
    checkpoint,
    events: contents.events.length,
    lines: contents.lines.length,
    rebuilt: false,
    matches: same,
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint"
      ? item.toString()
      : item !== null && typeof item === "object" && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))
        : item,
  );
}

function summary(stream: string, report: Report): string {
  const counts = `${report.events} events, ${report.lines} lines, checkpoint ${report.checkpoint}`;
  if (report.rebuilt) return `rebuilt the history projection of ${stream}: ${counts}`;
  return report.matches === true
    ? `the history projection of ${stream} matches a rebuild from its events: ${counts}`
    : `the history projection of ${stream} differs from a rebuild from its events: ${counts}`;
}
