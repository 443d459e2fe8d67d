/**
 * The auditor's state files (`--state`, `--save-state`): read strictly (a missing, damaged,
 * edited or foreign file is unusable input, exit 2, with the reason), and written only from an
 * audit that found nothing — a state is what the next audit trusts.
 */
import { existsSync, statSync } from "node:fs";
import {
  readAuditState,
  writeAuditState,
  type AuditReport,
  type AuditState,
} from "@pacioli/engine";
import { CliError, EXIT_USAGE } from "./cli-error.js";

export async function readStateFile(path: string): Promise<AuditState> {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new CliError(
      `no audit state at ${path}`,
      EXIT_USAGE,
      "give the file `pacioli audit --save-state` wrote with this checkpoint",
    );
  let read: Awaited<ReturnType<typeof readAuditState>>;
  try {
    read = await readAuditState(path);
  } catch (error) {
    throw new CliError(
      `cannot read the audit state ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT_USAGE,
    );
  }
  if (read._tag === "Refused")
    throw new CliError(
      `the audit state ${path} cannot be used: ${read.reason}`,
      EXIT_USAGE,
      "run the full audit with --checkpoint and --save-state to start again",
    );
  return read.state;
}

/**
 * Writes the state of a clean audit; says on stderr what was written or why nothing was (the
 * report on stdout stays one document).
 */
export async function saveStateFile(path: string, report: AuditReport): Promise<void> {
  const clean = report.violations.length + report.violationsOmitted === 0;
  if (!clean || report.state === undefined) {
    process.stderr.write(
      `audit state not written to ${path}: a state is saved only from a clean audit\n`,
    );
    return;
  }
  try {
    await writeAuditState(path, report.state);
  } catch (error) {
    throw new CliError(
      `cannot write the audit state ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT_USAGE,
    );
  }
  process.stderr.write(`audit state after ${report.state.treeSize} events written to ${path}\n`);
}
