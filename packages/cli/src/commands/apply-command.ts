/**
 * `pacioli apply --db FILE COMMANDS.jsonl`: executes command requests, one JSON object a
 * line, and prints one JSON result a line, in order.
 *
 * The input is streamed: batches of APPLY_CONCURRENCY lines are decided while the rest of
 * the file is still unread, so memory stays flat on a 10M-line file. Each line stands on its
 * own: a line that is not JSON, too long or too deeply nested is an `invalid` result for that
 * line (a typo on line 900 is reported on line 900; lines 1-899 and 901… are decided as
 * usual), exactly as a line that is JSON but not a command. Rejections and invalid lines are
 * results, not failures: the exit status is 0 unless `--fail-on-rejected` asks otherwise.
 *
 * A summary goes to stderr at the end; a progress bar too, when stderr is a terminal. When
 * standard output is closed (`| head`), apply stops reading: the lines it decided stay
 * durable, and it exits EXIT_OUTPUT_CLOSED.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { DecodeIssue } from "@pacioli/core";
import { executeResultJson, type ExecuteResult, type Ledger } from "@pacioli/engine";
import { clockFlag, commandFlags } from "../cli/arguments.js";
import {
  CliError,
  EXIT_OK,
  EXIT_OUTPUT_CLOSED,
  EXIT_REJECTED,
  EXIT_USAGE,
} from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM, withLedgerFile } from "../cli/ledger-file.js";
import { Progress } from "../cli/progress.js";
import {
  REQUEST_DEPTH_MAX,
  REQUEST_LINE_BYTES_MAX,
  requestOfLine,
  type RequestLine,
} from "../cli/request-line.js";
import { requestLines } from "../cli/request-lines.js";
import { standardOutputClosed } from "../cli/standard-output.js";

/** Requests sent to the ledger at once: they share group commits, results stay in order. */
const APPLY_CONCURRENCY = 256;

const usage = `Usage: pacioli apply --db FILE COMMANDS.jsonl [--now ISO-8601] [--stream NAME] [--fail-on-rejected]

Executes command requests, one JSON object per line (docs/reference/jsonl-formats.md):
  {"idempotencyKey":"k1","command":{"type":"OpenWallet","walletId":"w1","ownerId":"ana"}}
Prints one JSON result per line: {"line":1,"status":"accepted",...}, "rejected" with the
rule broken, or "invalid" with the fields at fault. FILE is created if it does not exist.
Use "-" to read commands from standard input.

The input is read as a stream and each line is decided on its own, in order: a line that
is not JSON, longer than ${REQUEST_LINE_BYTES_MAX} bytes or nested deeper than ${REQUEST_DEPTH_MAX} is "invalid" and the
run goes on. A summary goes to stderr at the end (a progress bar too, on a terminal).

Options:
  --db FILE             the Pacioli SQLite ledger
  --now TIME            decide every command at this ledger time (e.g. 2026-11-25T10:00:00Z)
                        instead of the system clock, for reproducible runs
  --stream NAME         the ledger's stream (default ${DEFAULT_STREAM})
  --fail-on-rejected    exit 4 when any line was rejected or invalid

Exit status: 0 every line was decided (accepted or not), 2 unreadable input, 3 store failure,
4 --fail-on-rejected and a line was not accepted, 5 standard output closed before the end.`;

type Decided =
  | { readonly number: number; readonly request: unknown; readonly result: ExecuteResult }
  | { readonly number: number; readonly refused: DecodeIssue };

interface PendingLine {
  readonly number: number;
  readonly parsed: RequestLine;
}

interface Tally {
  lines: number;
  accepted: number;
  repeated: number;
  rejected: number;
  invalid: number;
}

export const applyCommand: Command = {
  name: "apply",
  summary: "execute commands from a JSONL file and print one result per line",
  usage,
  async run(argv) {
    const flags = commandFlags(
      "apply",
      argv,
      { db: "string", now: "string", stream: "string", "fail-on-rejected": "boolean" },
      1,
    );
    const db = flags.required("db");
    const path = flags.requiredPositional(
      "name the command file to apply",
      "pacioli apply --db FILE COMMANDS.jsonl",
    );
    const input = openInput(path);
    const clock = clockFlag(flags.string("now"));
    const started = performance.now();
    const tally: Tally = { lines: 0, accepted: 0, repeated: 0, rejected: 0, invalid: 0 };
    const stoppedAfter = await withLedgerFile(
      db,
      "create",
      { clock, stream: flags.string("stream") },
      ({ ledger }) => applyLines(ledger, input, path, tally),
    );
    process.stderr.write(
      `${summaryText(tally, (performance.now() - started) / 1000, stoppedAfter)}\n`,
    );
    if (stoppedAfter !== undefined) return EXIT_OUTPUT_CLOSED;
    return flags.boolean("fail-on-rejected") && tally.rejected + tally.invalid > 0
      ? EXIT_REJECTED
      : EXIT_OK;
  },
};

interface Input {
  readonly bytes: AsyncIterable<Buffer | string>;
  readonly size: number | undefined;
}

function openInput(path: string): Input {
  if (path === "-") return { bytes: process.stdin, size: undefined };
  if (!existsSync(path))
    throw new CliError(`no command file at ${path}`, EXIT_USAGE, "check the path");
  const stats = statSync(path);
  if (stats.isDirectory())
    throw new CliError(`${path} is a directory, not a command file`, EXIT_USAGE, "check the path");
  return {
    bytes: createReadStream(path, { highWaterMark: 1 << 16 }),
    size: stats.isFile() ? stats.size : undefined,
  };
}

/** Decides every line in order; returns the last line number printed if the reader went away. */
async function applyLines(
  ledger: Ledger,
  input: Input,
  path: string,
  tally: Tally,
): Promise<number | undefined> {
  const progress = new Progress(input.size, "applying", process.stderr, "lines");
  let batch: PendingLine[] = [];
  let lastNumber = 0;
  const decideBatch = async (): Promise<boolean> => {
    const decided = await Promise.all(batch.map((line) => decideLine(ledger, line)));
    batch = [];
    // Written even when the reader is gone (the write is then dropped), so the tally counts every decided line.
    process.stdout.write(decided.map((line) => resultLine(ledger, line, tally)).join(""));
    lastNumber = decided[decided.length - 1]?.number ?? lastNumber;
    return !standardOutputClosed();
  };
  try {
    for await (const { lines, bytesRead } of requestLines(input.bytes, REQUEST_LINE_BYTES_MAX)) {
      for (const line of lines) {
        const parsed = requestOfLine(line);
        if (parsed._tag === "Blank") continue;
        batch.push({ number: line.number, parsed });
        if (batch.length >= APPLY_CONCURRENCY && !(await decideBatch())) return lastNumber;
      }
      // What has arrived is decided before waiting for more, so a slow pipe sees its results line by line.
      if (batch.length > 0 && !(await decideBatch())) return lastNumber;
      progress.update(tally.lines, bytesRead);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `cannot read ${path} after line ${lastNumber}: ${(error as Error).message}`,
      EXIT_USAGE,
      "the lines before were decided; fix the input and apply it again (retries are idempotent)",
    );
  } finally {
    progress.finish();
  }
  // The input is used up: a reader gone after the last batch missed nothing that was not decided.
  if (batch.length > 0) await decideBatch();
  return undefined;
}

async function decideLine(ledger: Ledger, { number, parsed }: PendingLine): Promise<Decided> {
  if (parsed._tag === "Refused") return { number, refused: parsed.issue };
  const request = parsed._tag === "Request" ? parsed.request : undefined;
  return { number, request, result: await ledger.executeWire(request) };
}

function resultLine(ledger: Ledger, line: Decided, tally: Tally): string {
  tally.lines += 1;
  if (!("result" in line)) {
    tally.invalid += 1;
    return `${jsonText({ line: line.number, status: "invalid", issues: [line.refused] })}\n`;
  }
  const { request, result } = line;
  const key =
    typeof request === "object" && request !== null
      ? (request as { idempotencyKey?: unknown }).idempotencyKey
      : undefined;
  const head = { line: line.number, ...(typeof key === "string" ? { idempotencyKey: key } : {}) };
  if (result._tag === "Accepted") {
    tally.accepted += 1;
    if (result.repeated) tally.repeated += 1;
  } else if (result._tag === "Rejected") tally.rejected += 1;
  else tally.invalid += 1;
  return `${jsonText({ ...head, ...executeResultJson(result, ledger.registry) })}\n`;
}

export function summaryText(
  tally: Tally,
  seconds: number,
  stoppedAfter: number | undefined,
): string {
  const rate = seconds > 0 ? Math.round(tally.lines / seconds).toLocaleString("en-US") : "-";
  const counts = `${tally.lines} lines: ${tally.accepted} accepted (${tally.repeated} repeated), ${tally.rejected} rejected, ${tally.invalid} invalid in ${seconds.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} s (${rate} lines/s)`;
  return stoppedAfter === undefined
    ? `apply: ${counts}`
    : `apply: standard output was closed; stopped after line ${stoppedAfter}, later lines were not read. ${counts}`;
}
