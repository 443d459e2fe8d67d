/** `pacioli balances --db FILE [--wallet ID] [--json]`: account or wallet balances. */
import type { AccountBalance } from "@pacioli/core";
import { LEDGER_FLAGS, commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM, withLedgerFile } from "../cli/ledger-file.js";
import { moneyText } from "../cli/money-text.js";
import { renderTable } from "../cli/table.js";
import type { Ledger } from "@pacioli/engine";

const usage = `Usage: pacioli balances --db FILE [--wallet ID] [--prefix ACCOUNT] [--stream NAME] [--json]

Without --wallet: every account with a non-zero balance. "signed" is the accounting
figure (debit positive, what hledger shows); "balance" is the holder's figure (a wallet
holding 12.34 shows 12.34). With --wallet: that wallet's available, held and total money.

Options:
  --db FILE          the Pacioli SQLite ledger
  --wallet ID        one wallet's balances
  --prefix ACCOUNT   only accounts whose address starts with ACCOUNT (e.g. liabilities:wallets)
  --stream NAME      the ledger's stream (default ${DEFAULT_STREAM})
  --json             one JSON array instead of a table`;

export const balancesCommand: Command = {
  name: "balances",
  summary: "print account balances, or one wallet's",
  usage,
  async run(argv) {
    const flags = commandFlags("balances", argv, {
      ...LEDGER_FLAGS,
      wallet: "string",
      prefix: "string",
      json: "boolean",
    });
    const { db, stream } = flags.ledger();
    await withLedgerFile(db, "read", { stream }, async ({ ledger }) => {
      const wallet = flags.string("wallet");
      const json = flags.boolean("json");
      process.stdout.write(
        `${wallet === undefined ? accountsOutput(ledger, flags.string("prefix") ?? "", json) : walletOutput(ledger, wallet, json)}\n`,
      );
    });
    return EXIT_OK;
  },
};

export function accountsOutput(ledger: Ledger, prefix: string, json: boolean): string {
  return accountsText(ledger.accountBalances(prefix), json);
}

/** Account balances as a table, or as JSON: the signed (accounting) and the holder's figure. */
export function accountsText(rows: readonly AccountBalance[], json: boolean): string {
  if (json)
    return jsonText(
      rows.map((row) => ({
        account: row.account,
        currency: row.currency,
        signed: moneyText(row.balance, row.currency),
        balance: moneyText(row.normal, row.currency),
      })),
    );
  return renderTable(
    [
      { title: "account" },
      { title: "currency" },
      { title: "signed", align: "right" },
      { title: "balance", align: "right" },
    ],
    rows.map((row) => [
      row.account,
      row.currency,
      moneyText(row.balance, row.currency),
      moneyText(row.normal, row.currency),
    ]),
  );
}

export function walletOutput(ledger: Ledger, walletId: string, json: boolean): string {
  if (!ledger.currentState.wallets.has(walletId))
    throw new CliError(
      `no wallet ${walletId} in this ledger`,
      EXIT_USAGE,
      "list accounts with `pacioli balances --db FILE --prefix liabilities:wallets`",
    );
  const rows = ledger.walletBalances(walletId);
  if (json)
    return jsonText(
      rows.map((row) => ({
        walletId,
        currency: row.currency,
        available: moneyText(row.available, row.currency),
        held: moneyText(row.held, row.currency),
        total: moneyText(row.total, row.currency),
      })),
    );
  return renderTable(
    [
      { title: "currency" },
      { title: "available", align: "right" },
      { title: "held", align: "right" },
      { title: "total", align: "right" },
    ],
    rows.map((row) => [
      row.currency,
      moneyText(row.available, row.currency),
      moneyText(row.held, row.currency),
      moneyText(row.total, row.currency),
    ]),
  );
}
