/**
 * `pacioli history` (--wallet and --account, --json and the table) through the binary,
 * checked against the commands `pacioli apply` sent and the events it answered: every line
 * names its command (id, key, actor, metadata as sent) and the counterparty of the postings,
 * and the JSON keys are exactly those docs/reference/history-queries.md lists.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import {
  centsOf,
  commandFieldsIn,
  commandFieldsOf,
  expectedAccountLines,
  firstColumnAfter,
  HISTORY_REQUESTS,
  type HistoryEventJson,
  type HistoryRequest,
  type HistorySent,
} from "@pacioli/store-testkit";
import { describe, expect, it } from "vitest";
import { pacioli, scratchDir } from "./run-cli.js";

const reference = new URL("../../../../docs/reference/history-queries.md", import.meta.url);
/** The first column of the table after `heading` in the history reference. */
const documentedFields = (heading: string): string[] => firstColumnAfter(reference, heading);

function appliedLedger(): { db: string; recorded: HistorySent[] } {
  const dir = scratchDir();
  const db = join(dir, "ledger.db");
  const input = join(dir, "commands.jsonl");
  writeFileSync(
    input,
    HISTORY_REQUESTS.map((request) => JSON.stringify(request)).join("\n") + "\n",
  );
  const applied = pacioli(["apply", "--db", db, input]);
  expect(applied.status).toBe(0);
  const results = applied.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { status: string; events: HistoryEventJson[] });
  expect(results.map((result) => result.status)).toEqual(HISTORY_REQUESTS.map(() => "accepted"));
  const recorded = results.flatMap((result, index) =>
    result.events.map((event) => ({ request: HISTORY_REQUESTS[index] as HistoryRequest, event })),
  );
  return { db, recorded };
}

describe("pacioli history: every line names its command", () => {
  it("--wallet --json: the documented keys, the command's id, key, actor and metadata as sent, the counterparty of its postings", () => {
    const { db, recorded } = appliedLedger();
    const run = pacioli(["history", "--db", db, "--wallet", "w1", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const page = JSON.parse(run.stdout) as { lines: Record<string, unknown>[] };
    const wallet = documentedFields("A wallet's line (`--wallet`");
    const available = "liabilities:wallets:w1:available";
    const moving = recorded.filter(({ event }) => event.event.postings.length > 0).reverse();
    expect(page.lines.length).toBe(moving.length);
    page.lines.forEach((line, index) => {
      expect(Object.keys(line)).toEqual(wallet);
      const sent = moving[index] as HistorySent;
      expect(line).toMatchObject({
        sequence: sent.event.sequence,
        type: sent.event.event.type,
        ...commandFieldsOf(sent, available),
      });
    });
    // The help's --json description names the same keys, in the same order.
    const help = pacioli(["history", "--help"]).stdout.replace(/\s+/g, "");
    expect(help).toContain(wallet.map((field) => `"${field}"`).join(","));
    expect(help).toContain(
      documentedFields("Any account's line (`--account`")
        .map((field) => `"${field}"`)
        .join(","),
    );
    const table = pacioli(["history", "--db", db, "--wallet", "w1"]);
    expect(table.stdout).toContain("counterparty");
    for (const { request } of moving) expect(table.stdout).toContain(request.idempotencyKey);
  });

  it("--account --json: the documented keys, signed amounts and running balances of the postings, the command's fields", () => {
    const { db, recorded } = appliedLedger();
    const account = "assets:clearing:card";
    const run = pacioli(["history", "--db", db, "--account", account, "--json"]);
    expect(run.status).toBe(0);
    const page = JSON.parse(run.stdout) as { lines: Record<string, unknown>[] };
    const fields = documentedFields("Any account's line (`--account`");
    const expected = expectedAccountLines(recorded, account).map((line) => ({
      sequence: line.event.sequence,
      account,
      amount: line.amount,
      balance: line.balance,
      ...line.command,
    }));
    for (const line of page.lines) expect(Object.keys(line)).toEqual(fields);
    expect(
      page.lines.map((line) => ({
        sequence: line["sequence"],
        account: line["account"],
        amount: centsOf(line["amount"] as string),
        balance: centsOf(line["balance"] as string),
        ...commandFieldsIn(line),
      })),
    ).toEqual(expected.reverse());
  });
});

describe("pacioli history on a ledger file read-only", () => {
  it("answers from the persisted projection, folding in memory only the events after its checkpoint, and writes nothing", async () => {
    const { db } = appliedLedger();
    const wallet = () => pacioli(["history", "--db", db, "--wallet", "w1", "--json"]).stdout;
    const card = () =>
      pacioli(["history", "--db", db, "--account", "assets:clearing:card", "--json"]).stdout;
    const [walletBefore, cardBefore] = [wallet(), card()];
    // The projection lags the stream: only its first two events are folded.
    await editFile(
      db,
      `DELETE FROM history_lines WHERE sequence > 2; DELETE FROM history_events WHERE sequence > 2;
       DELETE FROM history_lookups WHERE sequence > 2; UPDATE history_checkpoints SET sequence = 2;`,
    );
    const bytes = readFileSync(db);
    expect([wallet(), card()]).toEqual([walletBefore, cardBefore]);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    // The persisted rows are what it reads: a balance edited in the file shows (and
    // rebuild-history --check, which compares with the events, finds it).
    await editFile(
      db,
      "UPDATE history_lines SET balance = '99999' WHERE account = 'assets:clearing:card' AND sequence = 2",
    );
    const edited = JSON.parse(card()) as { lines: { sequence: number; balance: string }[] };
    expect(edited.lines.find((line) => line.sequence === 2)?.balance).toBe("999.99");
    expect(pacioli(["rebuild-history", "--db", db, "--check"]).status).toBe(1);
  });
});

/** Runs SQL on the ledger file through the store's own connection (the CLI has no SQLite of its own). */
async function editFile(db: string, sql: string): Promise<void> {
  const store = await openSqliteEventStore({ path: db });
  (store as unknown as { db: { exec(text: string): unknown } }).db.exec(sql);
  await store.close();
}
