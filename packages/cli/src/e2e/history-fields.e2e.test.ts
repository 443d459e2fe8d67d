/**
 * `pacioli history` (--wallet and --account, --json and the table) through the binary,
 * checked against the commands `pacioli apply` sent and the events it answered: every line
 * names its command (id, key, actor, metadata as sent) and the counterparty of the postings,
 * and the JSON keys are exactly those docs/reference/history-queries.md lists.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { describe, expect, it } from "vitest";
import { pacioli, scratchDir } from "./run-cli.js";

interface Posting {
  readonly account: string;
  readonly currency: string;
  readonly amount: string;
}
interface RecordedJson {
  readonly sequence: number;
  readonly commandId: string;
  readonly event: { readonly type: string; readonly postings: readonly Posting[] };
}
interface Request {
  readonly idempotencyKey: string;
  readonly commandId?: string;
  readonly actor?: string;
  readonly metadata?: Record<string, string>;
  readonly command: Record<string, unknown>;
}

const usd = (amount: string) => ({ currency: "USD", amount });
const requests: readonly Request[] = [
  {
    idempotencyKey: "open-w1",
    commandId: "cmd-open",
    actor: "onboarding",
    metadata: { customer: "c-9" },
    command: { type: "OpenWallet", walletId: "w1", ownerId: "c-9" },
  },
  {
    idempotencyKey: "dep-1",
    actor: "funding",
    metadata: { order: "o-1" },
    command: { type: "DepositFunds", walletId: "w1", amount: usd("25.00"), channel: "card" },
  },
  {
    idempotencyKey: "dep-2",
    command: { type: "DepositFunds", walletId: "w1", amount: usd("4.50"), channel: "card" },
  },
  {
    idempotencyKey: "wd-1",
    commandId: "cmd-withdraw",
    actor: "payouts",
    metadata: { order: "o-1" },
    command: { type: "WithdrawFunds", walletId: "w1", amount: usd("10.00"), channel: "bank" },
  },
];

const docs = readFileSync(
  new URL("../../../../docs/reference/history-queries.md", import.meta.url),
  "utf8",
);
/** The first column of the table after `heading` in the history reference. */
function documentedFields(heading: string): string[] {
  const start = docs.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of docs.slice(start).split("\n").slice(1)) {
    if (line.startsWith("|")) rows.push((line.split("|")[1] ?? "").trim().replace(/`/g, ""));
    else if (rows.length > 0) break;
  }
  return rows.slice(2);
}

const cents = (text: string): bigint => BigInt(text.replace(".", ""));
const abs = (value: bigint) => (value < 0n ? -value : value);
/** The account on the other side of `account`'s posting: the largest of the other sign. */
function counterpartyOf(postings: readonly Posting[], account: string): string | null {
  const own = postings.find((posting) => posting.account === account);
  if (own === undefined) return null;
  const others = postings
    .filter(
      (posting) =>
        posting.account !== account &&
        posting.currency === own.currency &&
        cents(posting.amount) < 0n !== cents(own.amount) < 0n,
    )
    .sort((a, b) => Number(abs(cents(b.amount)) - abs(cents(a.amount))));
  return others[0]?.account ?? null;
}

function appliedLedger(): { db: string; recorded: { request: Request; event: RecordedJson }[] } {
  const dir = scratchDir();
  const db = join(dir, "ledger.db");
  const input = join(dir, "commands.jsonl");
  writeFileSync(input, requests.map((request) => JSON.stringify(request)).join("\n") + "\n");
  const applied = pacioli(["apply", "--db", db, input]);
  expect(applied.status).toBe(0);
  const results = applied.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { status: string; events: RecordedJson[] });
  expect(results.map((result) => result.status)).toEqual(requests.map(() => "accepted"));
  const recorded = results.flatMap((result, index) =>
    result.events.map((event) => ({ request: requests[index] as Request, event })),
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
      const { request, event } = moving[index] ?? {};
      expect(line).toMatchObject({
        sequence: event?.sequence,
        type: event?.event.type,
        counterparty: counterpartyOf(event?.event.postings ?? [], available),
        commandId: request?.commandId ?? event?.commandId,
        idempotencyKey: request?.idempotencyKey,
        actor: request?.actor ?? null,
        metadata: request?.metadata ?? null,
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
    const own = recorded.filter(({ event }) =>
      event.event.postings.some((posting) => posting.account === account),
    );
    let balance = 0n;
    const expected = own.map(({ request, event }) => {
      const amount = cents(event.event.postings.find((p) => p.account === account)?.amount ?? "0");
      balance += amount;
      return {
        sequence: event.sequence,
        account,
        amount,
        balance,
        counterparty: counterpartyOf(event.event.postings, account),
        commandId: request.commandId ?? event.commandId,
        idempotencyKey: request.idempotencyKey,
        actor: request.actor ?? null,
        metadata: request.metadata ?? null,
      };
    });
    for (const line of page.lines) expect(Object.keys(line)).toEqual(fields);
    expect(
      page.lines.map((line) => ({
        sequence: line["sequence"],
        account: line["account"],
        amount: cents(line["amount"] as string),
        balance: cents(line["balance"] as string),
        counterparty: line["counterparty"],
        commandId: line["commandId"],
        idempotencyKey: line["idempotencyKey"],
        actor: line["actor"],
        metadata: line["metadata"],
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
