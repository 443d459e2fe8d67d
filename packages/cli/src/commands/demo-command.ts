/**
 * `pacioli demo [--db FILE]`: runs the story of `demo/demo-story.ts` on an embedded SQLite
 * ledger with a test clock, narrating each step, then prints balances and the shopper's
 * history, and audits the file it wrote. Exit 0 only when every step did what the story
 * says and the audit is clean.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatTimestamp } from "@pacioli/core";
import { storeAuditSource, TestClock, type ExecuteResult } from "@pacioli/engine";
import { commandFlags } from "../cli/arguments.js";
import { auditText } from "../cli/audit-text.js";
import { CliError, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { serverFlag, withLedgerFile, type OpenedLedger } from "../cli/ledger-file.js";
import { DEMO_START, DEMO_STORY, DEMO_WALLET } from "../demo/demo-story.js";
import { accountsOutput, walletOutput } from "./balances-command.js";
import { historyOutput } from "./history-command.js";
import { runAudit } from "./audit-command.js";

/** Ledger time that passes between two steps of the story. */
const STEP_INTERVAL_MS = 60_000;

const out = (text = ""): void => void process.stdout.write(`${text}\n`);

const usage = `Usage: pacioli demo [--db FILE | --store URL]

Runs a deterministic story on an embedded SQLite ledger: a shopper opens a wallet, links
and verifies a card, tops up, links the wallet to a marketplace, converts currency, pays
at checkout (hold, capture into escrow); one order is confirmed and released to the
merchant with fees, one is disputed and refunded, one hold expires. Prints what happens,
the balances and the wallet's history, then audits the file.

Options:
  --db FILE   where to write the ledger (default: a new file under the system temp dir);
              FILE must not exist yet
  --store URL run on an EventStoreDB/KurrentDB server instead, e.g.
              kurrentdb://127.0.0.1:2113?tls=false (its ledger-main stream must be empty)

Afterwards, try: pacioli audit --db FILE, pacioli export --db FILE --format hledger`;

export const demoCommand: Command = {
  name: "demo",
  summary: "run the wallet-and-marketplace story on a SQLite file, then audit it",
  usage,
  async run(argv) {
    const flags = commandFlags("demo", argv, { db: "string", store: "string" });
    const storeFlag = flags.string("store");
    if (storeFlag !== undefined && flags.string("db") !== undefined)
      throw new CliError(
        "give at most one of --db FILE or --store URL",
        EXIT_USAGE,
        "run `pacioli demo --help` for usage",
      );
    const server = storeFlag === undefined ? undefined : serverFlag(storeFlag);
    const given = server ?? flags.string("db");
    if (given !== undefined && server === undefined && existsSync(given))
      throw new CliError(
        `${given} already exists`,
        EXIT_USAGE,
        "the demo writes a new ledger: pass a path that does not exist yet",
      );
    const db = given ?? join(mkdtempSync(join(tmpdir(), "pacioli-demo-")), "demo.db");
    const clock = new TestClock(DEMO_START);
    out(
      "Pacioli demo: a digital wallet paying on a marketplace, with escrow, disputes, fees and FX",
    );
    out(`Ledger: ${db}`);
    out(`Ledger clock starts at ${formatTimestamp(DEMO_START)}\n`);

    const failures = await withLedgerFile(db, "create", { clock }, (opened) =>
      tellStory(opened, clock, db),
    );
    out(`\nNext: pacioli history --db ${db} --wallet ${DEMO_WALLET}`);
    out(
      `      pacioli export --db ${db} --format hledger --output demo.journal && hledger -f demo.journal balance`,
    );
    if (failures > 0) {
      process.stderr.write(
        `demo: ${failures} step(s) did not go as the story says; this is a bug, please report it\n`,
      );
      return EXIT_VIOLATIONS;
    }
    return EXIT_OK;
  },
};

/** Runs the story on the opened ledger, narrating it; returns how many steps went otherwise. */
async function tellStory(
  { store, ledger }: OpenedLedger,
  clock: TestClock,
  db: string,
): Promise<number> {
  let failures = 0;
  let number = 0;
  for (const step of DEMO_STORY) {
    number += 1;
    clock.advance(STEP_INTERVAL_MS);
    out(`${String(number).padStart(2)}. ${step.say}`);
    if (step.kind === "wait") {
      clock.advance(step.milliseconds);
      out(`    (ledger clock: ${formatTimestamp(clock.now())})`);
      continue;
    }
    const results =
      step.kind === "due-work"
        ? await ledger.runDueWork()
        : [await ledger.executeWire(step.request)];
    const expected = step.kind === "command" ? step.expect : "accepted";
    if (results.length === 0) {
      out("    !! nothing was due");
      failures += 1;
    }
    for (const result of results) {
      out(`    ${describe(result)}`);
      if (outcomeOf(result) !== expected) {
        out(`    !! the story expected ${expected}`);
        failures += 1;
      }
    }
  }
  out(`\nAna's wallet (${DEMO_WALLET})`);
  out(indent(walletOutput(ledger, DEMO_WALLET, false)));
  out(
    "\nEvery account (signed: debit positive, as hledger shows it; balance: as its holder reads it)",
  );
  out(indent(accountsOutput(ledger, "", false)));
  out(`\nAna's history, newest first`);
  out(indent(await historyOutput(ledger, DEMO_WALLET, 50, undefined, false)));
  await ledger.snapshot(); // so the audit also compares a stored snapshot with its replay
  const report = await runAudit(storeAuditSource(store, ledger.stream), 1000, ledger.sequence);
  out("");
  out(auditText(report, db));
  if (report.violations.length > 0) failures += 1;
  return failures;
}

const indent = (text: string): string => text.replace(/^/gm, "    ");

function outcomeOf(result: ExecuteResult): string {
  if (result._tag === "Accepted") return "accepted";
  if (result._tag === "Rejected") return `rejected:${result.rejection._tag}`;
  return "invalid";
}

function describe(result: ExecuteResult): string {
  switch (result._tag) {
    case "Accepted":
      return `→ ${result.events.map((recorded) => `${recorded.event.type} (#${recorded.sequence})`).join(", ")}`;
    case "Rejected":
      return `→ refused: ${result.rejection._tag} (${result.retryable ? "may succeed later" : "permanent"}); nothing recorded`;
    case "Invalid":
      return `→ invalid request: ${result.failure.issues.map((issue) => `${issue.path}: expected ${issue.expected}`).join("; ")}`;
  }
}
