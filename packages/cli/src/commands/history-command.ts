/**
 * `pacioli history --db FILE (--wallet ID | --account NAME) [--limit N] [--cursor C] [--json]`:
 * newest first, from the history projection (ADR 0018).
 */
import { formatTimestamp } from "@pacioli/core";
import { accountHistoryLineJson, walletHistoryLineJson, type Ledger } from "@pacioli/engine";
import { commandFlags, LEDGER_FLAGS, positiveInteger, type Flags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM, withLedgerFile } from "../cli/ledger-file.js";
import { moneyText } from "../cli/money-text.js";
import { renderTable, type Column } from "../cli/table.js";

/** Entries per page: the engine's history pages hold at most this many. */
export const HISTORY_LIMIT_MAX = 1000;

const usage = `Usage: pacioli history --db FILE (--wallet ID | --account NAME) [--limit N] [--cursor C] [--stream NAME] [--json]

A wallet's entries, newest first, with the change to its available and held money, the
balances after each, the account on the other side and the command's idempotency key; or,
with --account, the lines of any account of the chart (merchant, fee, escrow, clearing…):
signed change (debit +, credit -), balance after it, the account on the other side and the
command's idempotency key. When more entries remain, the last line names the --cursor that
fetches the next page. Fields: docs/reference/history-queries.md ("Wire format").

Options:
  --db FILE       the Pacioli SQLite ledger
  --wallet ID     the wallet
  --account NAME  any account, e.g. income:fees:checkout (instead of --wallet)
  --limit N       entries per page (default 20, at most ${HISTORY_LIMIT_MAX}; more is a usage error)
  --cursor C      continue from a previous page's cursor
  --stream NAME   the ledger's stream (default ${DEFAULT_STREAM})
  --json          {"lines":[...],"nextCursor":C|null}; a wallet line is {"sequence",
                  "recordedAt","type","currency","availableChange","heldChange","available",
                  "held","counterparty","commandId","idempotencyKey","actor","metadata"}, an
                  --account line {"sequence","recordedAt","type","account","currency",
                  "amount","balance","counterparty","commandId","idempotencyKey","actor",
                  "metadata"} (counterparty, actor and metadata null when absent)`;

const HISTORY_FLAGS = {
  ...LEDGER_FLAGS,
  wallet: "string",
  account: "string",
  limit: "string",
  cursor: "string",
  json: "boolean",
} as const;

/** Whose lines to print: `--wallet ID` or `--account NAME`, exactly one of them. */
function historyOwner(
  flags: Flags<typeof HISTORY_FLAGS>,
): { readonly wallet: string } | { readonly account: string } {
  const account = flags.string("account");
  if (account === undefined) return { wallet: flags.required("wallet") };
  if (flags.string("wallet") !== undefined)
    throw new CliError("give --wallet or --account, not both", EXIT_USAGE, usageHint);
  return { account };
}

export const historyCommand: Command = {
  name: "history",
  summary: "print a wallet's history, newest first, a page at a time",
  usage,
  async run(argv) {
    const flags = commandFlags("history", argv, HISTORY_FLAGS);
    const { db, stream } = flags.ledger();
    const whose = historyOwner(flags);
    const limit = positiveInteger("limit", flags.string("limit"), 20, HISTORY_LIMIT_MAX);
    const cursorText = flags.string("cursor");
    const cursor = cursorText === undefined ? undefined : positiveInteger("cursor", cursorText, 1);
    await withLedgerFile(db, "read", { stream }, async ({ ledger }) => {
      const json = flags.boolean("json");
      process.stdout.write(
        `${
          "account" in whose
            ? await accountHistoryOutput(ledger, whose.account, limit, cursor, json)
            : await historyOutput(ledger, whose.wallet, limit, cursor, json)
        }\n`,
      );
    });
    return EXIT_OK;
  },
};

export async function historyOutput(
  ledger: Ledger,
  walletId: string,
  limit: number,
  cursor: number | undefined,
  json: boolean,
): Promise<string> {
  if (!ledger.currentState.wallets.has(walletId))
    throw new CliError(
      `no wallet ${walletId} in this ledger`,
      EXIT_USAGE,
      "list accounts with `pacioli balances --db FILE --prefix liabilities:wallets`",
    );
  const page = await ledger.history(walletId, {
    limit,
    ...(cursor === undefined ? {} : { before: cursor }),
  });
  const signed = (amount: bigint, currency: string) =>
    amount > 0n ? `+${moneyText(amount, currency)}` : moneyText(amount, currency);
  if (json) {
    const lines = page.lines.map((line) => walletHistoryLineJson(ledger.registry, line));
    return jsonText({ lines, nextCursor: page.nextCursor ?? null });
  }
  return historyTable(
    page,
    [
      { title: "available Δ", align: "right" },
      { title: "held Δ", align: "right" },
      { title: "available", align: "right" },
      { title: "held", align: "right" },
    ],
    (line) => [
      line.availableChange === 0n ? "" : signed(line.availableChange, line.currency),
      line.heldChange === 0n ? "" : signed(line.heldChange, line.currency),
      moneyText(line.available, line.currency),
      moneyText(line.held, line.currency),
    ],
  );
}

/** What both history tables show of a line around their own amount columns. */
interface TableLine {
  readonly sequence: number;
  readonly recordedAt: number;
  readonly type: string;
  readonly currency: string;
  readonly counterparty?: string | undefined;
  readonly idempotencyKey: string;
}

/** Sequence, time, event and currency, then `amounts`, then counterparty and key; a cursor hint. */
function historyTable<L extends TableLine>(
  page: { readonly lines: readonly L[]; readonly nextCursor: number | undefined },
  amounts: readonly Column[],
  amountCells: (line: L) => readonly string[],
): string {
  const table = renderTable(
    [
      { title: "seq", align: "right" },
      { title: "recorded at (UTC)" },
      { title: "event" },
      { title: "cur" },
      ...amounts,
      { title: "counterparty" },
      { title: "idempotency key" },
    ],
    page.lines.map((line) => [
      String(line.sequence),
      formatTimestamp(line.recordedAt).slice(0, 19).replace("T", " "),
      line.type,
      line.currency,
      ...amountCells(line),
      line.counterparty ?? "",
      line.idempotencyKey,
    ]),
  );
  return page.nextCursor === undefined ? table : `${table}\nmore: --cursor ${page.nextCursor}`;
}

const usageHint = "see `pacioli history --help`";

export async function accountHistoryOutput(
  ledger: Ledger,
  account: string,
  limit: number,
  cursor: number | undefined,
  json: boolean,
): Promise<string> {
  const page = await ledger.accountHistory(account, {
    limit,
    ...(cursor === undefined ? {} : { before: cursor }),
  });
  if (json)
    return jsonText({
      lines: page.lines.map((line) => accountHistoryLineJson(ledger.registry, line)),
      nextCursor: page.nextCursor ?? null,
    });
  return historyTable(
    page,
    [
      { title: "amount", align: "right" },
      { title: "balance", align: "right" },
    ],
    (line) => [moneyText(line.amount, line.currency), moneyText(line.balance, line.currency)],
  );
}
