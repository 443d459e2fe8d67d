/**
 * `pacioli apply --db FILE COMMANDS.jsonl`: executes command requests, one JSON object a
 * line, and prints one JSON result a line, in order. The whole file is read and parsed
 * before anything is executed, so a typo on line 900 does not leave 899 commands applied.
 * Rejections and invalid requests are results, not failures: the exit status is 0.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseTimestamp, recordedEventCodec } from "@pacioli/core";
import { TestClock, type Clock, type ExecuteResult, type Ledger } from "@pacioli/engine";
import { optionalString, parseFlags, requireString } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { openLedgerFile } from "../cli/ledger-file.js";

/** Requests sent to the ledger at once: they share group commits, results stay in order. */
const APPLY_CONCURRENCY = 256;

const usage = `Usage: pacioli apply --db FILE COMMANDS.jsonl [--now ISO-8601]

Executes command requests, one JSON object per line (docs/reference/jsonl-formats.md):
  {"idempotencyKey":"k1","command":{"type":"OpenWallet","walletId":"w1","ownerId":"ana"}}
Prints one JSON result per line: {"line":1,"status":"accepted",...}, "rejected" with the
rule broken, or "invalid" with the fields at fault. FILE is created if it does not exist.
Use "-" to read commands from standard input.

Options:
  --db FILE        the Pacioli SQLite ledger
  --now TIME       decide every command at this ledger time (e.g. 2026-11-25T10:00:00Z)
                   instead of the system clock, for reproducible runs

Exit status: 0 every line was decided (accepted or not), 2 unreadable input, 3 store failure.`;

interface Line {
  readonly number: number;
  readonly request: unknown;
}

export const applyCommand: Command = {
  name: "apply",
  summary: "execute commands from a JSONL file and print one result per line",
  usage,
  async run(argv) {
    const parsed = parseFlags("apply", argv, { db: { type: "string" }, now: { type: "string" } }, 1);
    const db = requireString("apply", parsed, "db");
    const path = parsed.positionals[0];
    if (path === undefined) throw new CliError("name the command file to apply", EXIT_USAGE, "pacioli apply --db FILE COMMANDS.jsonl");
    const lines = readCommands(path);
    const clock = clockFrom(optionalString(parsed, "now"));
    const { store, ledger } = await openLedgerFile(db, "create", clock);
    try {
      for (let start = 0; start < lines.length; start += APPLY_CONCURRENCY) {
        const chunk = lines.slice(start, start + APPLY_CONCURRENCY);
        const results = await Promise.all(chunk.map((line) => ledger.executeWire(line.request)));
        process.stdout.write(results.map((result, index) => resultLine(ledger, chunk[index] as Line, result)).join(""));
      }
    } finally {
      await ledger.close();
      await store.close();
    }
    return EXIT_OK;
  },
};

function readCommands(path: string): Line[] {
  if (path !== "-" && !existsSync(path)) throw new CliError(`no command file at ${path}`, EXIT_USAGE, "check the path");
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, EXIT_USAGE);
  }
  const lines: Line[] = [];
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "") return;
    try {
      lines.push({ number: index + 1, request: JSON.parse(trimmed) });
    } catch (error) {
      throw new CliError(`${path}:${index + 1} is not JSON (${(error as Error).message}); nothing was applied`, EXIT_USAGE, "each line must be one JSON command request");
    }
  });
  return lines;
}

function clockFrom(text: string | undefined): Clock | undefined {
  if (text === undefined) return undefined;
  const at = parseTimestamp(text);
  if (at === undefined) throw new CliError(`--now ${JSON.stringify(text)} is not an ISO-8601 UTC time`, EXIT_USAGE, "write it like 2026-11-25T10:00:00Z");
  return new TestClock(at);
}

function resultLine(ledger: Ledger, line: Line, result: ExecuteResult): string {
  const key = typeof line.request === "object" && line.request !== null ? (line.request as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  const head = { line: line.number, ...(typeof key === "string" ? { idempotencyKey: key } : {}) };
  switch (result._tag) {
    case "Accepted": {
      const codec = recordedEventCodec(ledger.currentState.registry);
      return `${jsonText({ ...head, status: "accepted", repeated: result.repeated, events: result.events.map((event) => codec.encode(event)) })}\n`;
    }
    case "Rejected":
      return `${jsonText({ ...head, status: "rejected", rejection: result.rejection, retryable: result.retryable })}\n`;
    case "Invalid":
      return `${jsonText({ ...head, status: "invalid", issues: result.failure.issues })}\n`;
  }
}
