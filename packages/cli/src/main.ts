/**
 * The `pacioli` command line: dispatch to one command, map every failure to an exit status.
 * User mistakes (`CliError`) print a message and a hint, never a stack trace; anything else
 * is a bug and prints its stack.
 */
import { CliError, EXIT_USAGE } from "./cli/cli-error.js";
import type { Command } from "./cli/command.js";
import { applyCommand } from "./commands/apply-command.js";
import { auditCommand } from "./commands/audit-command.js";
import { balancesCommand } from "./commands/balances-command.js";
import { demoCommand } from "./commands/demo-command.js";
import { exportCommand } from "./commands/export-command.js";
import { historyCommand } from "./commands/history-command.js";
import { importCommand } from "./commands/import-command.js";
import { serveCommand } from "./commands/serve-command.js";

export const COMMANDS: readonly Command[] = [demoCommand, applyCommand, balancesCommand, historyCommand, auditCommand, exportCommand, importCommand, serveCommand];

const overview = `pacioli: an event-sourced double-entry ledger for digital wallets

Usage: pacioli <command> [options]      pacioli <command> --help

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join("\n")}

Exit status: 0 success, 1 audit violations, 2 usage error or unusable input, 3 store failure.
Docs: docs/auditors-guide.md, docs/reference/jsonl-formats.md`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overview}\n`);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined) throw new CliError(`unknown command ${JSON.stringify(name)}`, EXIT_USAGE, `commands: ${COMMANDS.map((known) => known.name).join(", ")}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`pacioli${command === undefined ? "" : ` ${command.name}`}: ${error.message}\n`);
      if (error.hint !== undefined) process.stderr.write(`  ${error.hint}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
