/**
 * `pacioli reconcile --db FILE --file SETTLEMENT.csv [--record] [--json]`: matches a settlement
 * file against what the clearing accounts have in flight (core's `reconcileClearing`) and,
 * with `--record`, records each matched line as a `RecordSettlement` (clearing → bank), with a
 * settlement id and idempotency key derived from the line, so recording a file again records
 * nothing new. Mismatched and unmatched lines are never recorded.
 */
import { createHash } from "node:crypto";
import {
  inFlight,
  reconcileClearing,
  type InFlight,
  type Reconciliation,
  type SettlementLine,
} from "@pacioli/core";
import { LEDGER_FLAGS, commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_STORE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM, withLedgerFile } from "../cli/ledger-file.js";
import { moneyText } from "../cli/money-text.js";
import { readText } from "../cli/note-keys.js";
import { parseSettlementFile } from "../cli/settlement-file.js";
import { recordedEvents } from "../cli/stored-events.js";
import type { Ledger } from "@pacioli/engine";

const usage = `Usage: pacioli reconcile --db FILE --file SETTLEMENT.csv [--record] [--stream NAME] [--json]

Matches a settlement file (CSV: channel,reference,currency,amount) against what each
clearing account assets:clearing:{channel} has in flight, by channel, reference, currency
and amount. Exit 0 when every line of the file matched, 1 when a line is mismatched or
unmatched. Ledger items still in flight are reported, and are not a failure.

Options:
  --db FILE        the Pacioli SQLite ledger
  --file CSV       the settlement file
  --record         record each matched line as a settlement (clearing -> assets:bank:{channel})
  --stream NAME    the ledger's stream (default ${DEFAULT_STREAM})
  --json           one JSON object instead of text`;

export const reconcileCommand: Command = {
  name: "reconcile",
  summary: "match a settlement file against the clearing accounts",
  usage,
  async run(argv) {
    const flags = commandFlags("reconcile", argv, {
      ...LEDGER_FLAGS,
      file: "string",
      record: "boolean",
      json: "boolean",
    });
    const { db, stream } = flags.ledger();
    const path = flags.required("file");
    const registry = ledgerRegistry();
    const lines = parseSettlementFile(readText(path, "settlement file"), path, registry);
    const record = flags.boolean("record");
    return withLedgerFile(
      db,
      record ? "existing" : "read",
      { stream },
      async ({ store, ledger }) => {
        const events = [];
        for await (const recorded of recordedEvents(store, stream, registry)) events.push(recorded);
        const result = reconcileClearing(inFlight(events), lines);
        const recorded = record ? await recordMatched(ledger, result.matched) : 0;
        process.stdout.write(
          `${flags.boolean("json") ? reportJson(result, recorded) : reportText(result, recorded)}\n`,
        );
        return result.mismatched.length + result.unmatchedLines.length === 0
          ? EXIT_OK
          : EXIT_VIOLATIONS;
      },
    );
  },
};

/** Records the matched lines; returns how many were new (a repeat of a recorded line is not). */
async function recordMatched(ledger: Ledger, matched: readonly SettlementLine[]): Promise<number> {
  let recorded = 0;
  for (const line of matched) {
    const digest = createHash("sha256")
      .update(`${line.channel}\n${line.reference}\n${line.currency}`)
      .digest("hex")
      .slice(0, 40);
    const result = await ledger.executeWire({
      idempotencyKey: `settle-${digest}`,
      command: {
        type: "RecordSettlement",
        settlementId: `st-${digest}`,
        channel: line.channel,
        reference: line.reference,
        direction: line.amount > 0n ? "in" : "out",
        amount: {
          currency: line.currency,
          amount: moneyText(line.amount > 0n ? line.amount : -line.amount, line.currency),
        },
      },
    });
    if (result._tag === "Accepted") recorded += result.repeated ? 0 : 1;
    else
      throw new CliError(
        `line ${line.line} could not be recorded: ${JSON.stringify(result)}`,
        EXIT_STORE,
      );
  }
  return recorded;
}

const item = (entry: InFlight) => ({
  channel: entry.channel,
  reference: entry.reference,
  currency: entry.currency,
  amount: moneyText(entry.amount, entry.currency),
});

function reportJson(result: Reconciliation, recorded: number): string {
  return jsonText({
    matched: result.matched.map((line) => ({ line: line.line, ...item(line) })),
    mismatched: result.mismatched.map(({ line, ledger }) => ({
      line: line.line,
      ...item(line),
      ledger: moneyText(ledger, line.currency),
    })),
    unmatchedLines: result.unmatchedLines.map((line) => ({ line: line.line, ...item(line) })),
    unmatchedLedger: result.unmatchedLedger.map(item),
    recorded,
  });
}

function reportText(result: Reconciliation, recorded: number): string {
  const rows = [
    `matched ${result.matched.length} line(s)${recorded > 0 ? `, recorded ${recorded}` : ""}`,
    ...result.mismatched.map(
      ({ line, ledger }) =>
        `mismatched line ${line.line}: ${line.channel} ${line.reference} ${moneyText(line.amount, line.currency)} ${line.currency}, the ledger has ${moneyText(ledger, line.currency)}`,
    ),
    ...result.unmatchedLines.map(
      (line) =>
        `unmatched line ${line.line}: ${line.channel} ${line.reference} ${moneyText(line.amount, line.currency)} ${line.currency}`,
    ),
    ...result.unmatchedLedger.map(
      (entry) =>
        `in flight, not in the file: ${entry.channel} ${entry.reference} ${moneyText(entry.amount, entry.currency)} ${entry.currency}`,
    ),
  ];
  return rows.join("\n");
}
