/**
 * The `pacioli` command line: dispatch to one command, map every failure to an exit status.
 * User mistakes (`CliError`) print a message and a hint, never a stack trace; anything else
 * is a bug and prints its stack.
 */
import { createRequire } from "node:module";
import { JournalDecodeError, StoreError } from "@pacioli/engine";
import { CliError, EXIT_OK, EXIT_STATUSES, EXIT_STORE, EXIT_USAGE } from "./cli/cli-error.js";
import { OutputClosed, watchStandardStreams } from "./cli/standard-output.js";
import type { Command } from "./cli/command.js";
import { applyCommand } from "./commands/apply-command.js";
import { auditCommand } from "./commands/audit-command.js";
import { balancesCommand } from "./commands/balances-command.js";
import { demoCommand } from "./commands/demo-command.js";
import { exportCommand } from "./commands/export-command.js";
import { historyCommand } from "./commands/history-command.js";
import { importCommand } from "./commands/import-command.js";
import { rebuildHistoryCommand } from "./commands/rebuild-history-command.js";
import { checkpointCommand } from "./commands/checkpoint-command.js";
import { keygenCommand } from "./commands/keygen-command.js";
import { partitionsCommand } from "./commands/partitions-command.js";
import { proveCommand } from "./commands/prove-command.js";
import { serveCommand } from "./commands/serve-command.js";
import { statementCommand } from "./commands/statement-command.js";
import { verifyCommand } from "./commands/verify-command.js";

export const COMMANDS: readonly Command[] = [
  demoCommand,
  applyCommand,
  balancesCommand,
  historyCommand,
  rebuildHistoryCommand,
  auditCommand,
  exportCommand,
  importCommand,
  keygenCommand,
  checkpointCommand,
  proveCommand,
  verifyCommand,
  statementCommand,
  serveCommand,
  partitionsCommand,
];

const overview = `pacioli: an event-sourced double-entry ledger for digital wallets

Usage: pacioli <command> [options]      pacioli <command> --help      pacioli --version

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(17)}${command.summary}`).join("\n")}

Exit status (docs/reference/exit-codes.md):
${EXIT_STATUSES.map((exit) => `  ${String(exit.status).padStart(2)}  ${exit.name}`).join("\n")}
Docs: docs/auditors-guide.md, docs/reference/jsonl-formats.md, docs/reference/exit-codes.md`;

/** The version of this package, read from its package.json (one level above src/ and dist/). */
export const VERSION = (createRequire(import.meta.url)("../package.json") as { version: string })
  .version;

export async function main(argv: readonly string[]): Promise<number> {
  watchStandardStreams();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overview}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`pacioli ${VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined)
      throw new CliError(
        `unknown command ${JSON.stringify(name)}`,
        EXIT_USAGE,
        `commands: ${COMMANDS.map((known) => known.name).join(", ")}`,
      );
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`${command.usage}\n`);
      return EXIT_OK;
    }
    return await command.run(rest);
  } catch (error) {
    if (error instanceof OutputClosed) return EXIT_OK; // the reader stopped reading: nothing is lost
    const known =
      error instanceof StoreError || error instanceof JournalDecodeError
        ? unreadableLedger(error)
        : error;
    if (known instanceof CliError) {
      process.stderr.write(
        `pacioli${command === undefined ? "" : ` ${command.name}`}: ${known.message}\n`,
      );
      if (known.hint !== undefined) process.stderr.write(`  ${known.hint}\n`);
      return known.exitCode;
    }
    throw error;
  }
}

/**
 * A damaged ledger met halfway through a read that no command translated (a corrupt page, a
 * stored event that cannot be read): a store failure (3), as `readFailure` in ledger-file.ts
 * maps them, with the store's or the journal's own message.
 */
function unreadableLedger(error: StoreError | JournalDecodeError): CliError {
  return new CliError(
    `the ledger cannot be read: ${error.message}`,
    EXIT_STORE,
    "run `pacioli audit --db FILE` to see what is wrong; restore a damaged file from an archive (`pacioli import`)",
  );
}
