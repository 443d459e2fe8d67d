/** `pacioli history --db FILE --wallet ID [--limit N] [--cursor C] [--json]`: newest first. */
import { formatTimestamp } from "@pacioli/core";
import type { Ledger } from "@pacioli/engine";
import { optionalString, parseFlags, positiveInteger, requireString } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { historyLineJson } from "../cli/history-line-json.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM, openLedgerFile } from "../cli/ledger-file.js";
import { moneyText } from "../cli/money-text.js";
import { renderTable } from "../cli/table.js";

/** Entries per page: the engine's history pages hold at most this many. */
export const HISTORY_LIMIT_MAX = 1000;

const usage = `Usage: pacioli history --db FILE --wallet ID [--limit N] [--cursor C] [--stream NAME] [--json]

A wallet's entries, newest first, with the change to its available and held money and
the balances after each. When more entries remain, the last line names the --cursor
that fetches the next page.

Options:
  --db FILE       the Pacioli SQLite ledger
  --wallet ID     the wallet
  --limit N       entries per page (default 20, at most ${HISTORY_LIMIT_MAX}; more is a usage error)
  --cursor C      continue from a previous page's cursor
  --stream NAME   the ledger's stream (default ${DEFAULT_STREAM})
  --json          {"lines":[...],"nextCursor":C|null}`;

export const historyCommand: Command = {
  name: "history",
  summary: "print a wallet's history, newest first, a page at a time",
  usage,
  async run(argv) {
    const parsed = parseFlags(
      "history",
      argv,
      {
        db: { type: "string" },
        wallet: { type: "string" },
        limit: { type: "string" },
        cursor: { type: "string" },
        stream: { type: "string" },
        json: { type: "boolean" },
      },
      0,
    );
    const db = requireString("history", parsed, "db");
    const wallet = requireString("history", parsed, "wallet");
    const limit = positiveInteger("limit", optionalString(parsed, "limit"), 20, HISTORY_LIMIT_MAX);
    const cursorText = optionalString(parsed, "cursor");
    const cursor = cursorText === undefined ? undefined : positiveInteger("cursor", cursorText, 1);
    const { store, ledger } = await openLedgerFile(
      db,
      "read",
      undefined,
      optionalString(parsed, "stream") ?? DEFAULT_STREAM,
    );
    try {
      process.stdout.write(
        `${await historyOutput(ledger, wallet, limit, cursor, parsed.values["json"] === true)}\n`,
      );
    } finally {
      await ledger.close();
      await store.close();
    }
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
    const lines = page.lines.map(historyLineJson);
    return jsonText({ lines, nextCursor: page.nextCursor ?? null });
  }
  const table = renderTable(
    [
      { title: "seq", align: "right" },
      { title: "recorded at (UTC)" },
      { title: "event" },
      { title: "cur" },
      { title: "available Δ", align: "right" },
      { title: "held Δ", align: "right" },
      { title: "available", align: "right" },
      { title: "held", align: "right" },
    ],
    page.lines.map((line) => [
      String(line.sequence),
      formatTimestamp(line.recordedAt).slice(0, 19).replace("T", " "),
      line.type,
      line.currency,
      line.availableChange === 0n ? "" : signed(line.availableChange, line.currency),
      line.heldChange === 0n ? "" : signed(line.heldChange, line.currency),
      moneyText(line.available, line.currency),
      moneyText(line.held, line.currency),
    ]),
  );
  return page.nextCursor === undefined ? table : `${table}\nmore: --cursor ${page.nextCursor}`;
}
