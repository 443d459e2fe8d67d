/**
 * A beancount journal. Beancount is stricter than Pacioli about names, so accounts are
 * mapped segment by segment: the root is capitalised (`liabilities` → `Liabilities`), each
 * segment starts with a capital letter, and `_` and `.` become `-`
 * (`liabilities:wallets:ana_1:available` → `Liabilities:Wallets:Ana-1:Available`). Two
 * Pacioli accounts that would map to one beancount name are refused, never merged.
 *
 * Accounts are opened on the date they are first used, and the journal ends with a
 * `balance` assertion for every account and currency, dated the day after the last entry:
 * `bean-check` then verifies Pacioli's balances itself, not just the syntax.
 *
 * Beancount computes with 28 significant digits: a longer amount is rounded, and the
 * transaction no longer balances. Pacioli allows longer amounts, so the export checks every
 * number beancount would hold (each posting, the sum of a transaction's postings of one
 * sign per currency, each account's running balance) and refuses the ledger, naming the first event
 * it cannot represent, rather than write a journal that is wrong.
 */
import { formatTimestamp, MILLISECONDS_PER_DAY, type RecordedEvent } from "@pacioli/core";
import { CliError, EXIT_USAGE } from "../cli/cli-error.js";
import { moneyText } from "../cli/money-text.js";

/** Digits of a beancount number (its Decimal coefficient); more are rounded. */
export const BEANCOUNT_DIGITS_MAX = 28;

/** The digits of the number as written: minor units keep the currency's trailing zeros, as the text does. */
function digitsOf(amount: bigint): number {
  return (amount < 0n ? -amount : amount).toString().length;
}

function refuseUnrepresentable(amount: bigint, currency: string, where: string): void {
  if (digitsOf(amount) <= BEANCOUNT_DIGITS_MAX) return;
  throw new CliError(
    `${where}: ${moneyText(amount, currency)} ${currency} has ${digitsOf(amount)} significant digits; beancount computes with ${BEANCOUNT_DIGITS_MAX} and would round it`,
    EXIT_USAGE,
    "export to hledger or CSV instead (they hold every amount Pacioli does); with --output nothing was written",
  );
}

export function beancountAccount(account: string): string {
  return account
    .split(":")
    .map((segment) => {
      const cleaned = segment.replace(/[_.]/g, "-");
      return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
    })
    .join(":");
}

/** Collects what the closing directives need while transactions stream out. */
export class BeancountBook {
  private readonly opened = new Map<string, { name: string; date: string }>();
  private readonly names = new Map<string, string>();
  private readonly balances = new Map<string, Map<string, bigint>>();
  private lastDay = 0;

  transaction(recorded: RecordedEvent): string | undefined {
    const postings = recorded.event.postings;
    if (postings.length === 0) return undefined;
    const at = recorded.effectiveAt ?? recorded.recordedAt;
    const date = formatTimestamp(at).slice(0, 10);
    this.lastDay = Math.max(this.lastDay, Math.floor(at / MILLISECONDS_PER_DAY));
    const lines = [
      `${date} * "${recorded.event.type}" "sequence ${recorded.sequence}"`,
      `  pacioli-command: "${recorded.commandId}"`,
    ];
    const debits = new Map<string, bigint>();
    for (const posting of postings) {
      refuseUnrepresentable(posting.amount, posting.currency, `event ${recorded.sequence}`);
      if (posting.amount > 0n)
        debits.set(posting.currency, (debits.get(posting.currency) ?? 0n) + posting.amount);
    }
    for (const [currency, total] of debits)
      refuseUnrepresentable(
        total,
        currency,
        `event ${recorded.sequence} (the sum of its postings)`,
      );
    for (const posting of postings) {
      const name = this.nameOf(posting.account, date);
      const byCurrency = this.balances.get(posting.account) ?? new Map<string, bigint>();
      const balance = (byCurrency.get(posting.currency) ?? 0n) + posting.amount;
      refuseUnrepresentable(
        balance,
        posting.currency,
        `the balance of ${posting.account} after event ${recorded.sequence}`,
      );
      byCurrency.set(posting.currency, balance);
      this.balances.set(posting.account, byCurrency);
      lines.push(`  ${name}  ${moneyText(posting.amount, posting.currency)} ${posting.currency}`);
    }
    return lines.join("\n");
  }

  /** `open` directives (beancount sorts by date, so they may follow the transactions). */
  openDirectives(): string[] {
    return [...this.opened.values()].map(({ name, date }) => `${date} open ${name}`);
  }

  /** One `balance` assertion per account and currency, the day after the last entry. */
  balanceAssertions(): string[] {
    const date = formatTimestamp((this.lastDay + 1) * MILLISECONDS_PER_DAY).slice(0, 10);
    const lines: string[] = [];
    for (const [account, byCurrency] of [...this.balances].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const [currency, amount] of [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1))) {
        lines.push(
          `${date} balance ${beancountAccount(account)}  ${moneyText(amount, currency)} ${currency}`,
        );
      }
    }
    return lines;
  }

  private nameOf(account: string, date: string): string {
    const known = this.opened.get(account);
    if (known !== undefined) return known.name;
    const name = beancountAccount(account);
    const other = this.names.get(name);
    if (other !== undefined && other !== account) {
      throw new CliError(
        `accounts ${other} and ${account} would both be ${name} in beancount`,
        EXIT_USAGE,
        "export to hledger or CSV instead; beancount names cannot tell them apart",
      );
    }
    this.names.set(name, account);
    this.opened.set(account, { name, date });
    return name;
  }
}
