/**
 * An hledger (and ledger-cli) journal: one transaction per event that moved money, dated by
 * its business time (effective, else recorded), with Pacioli's account addresses unchanged
 * (they are already colon-separated, typed at the root). Amounts are written with the
 * commodity after the number and one `commodity` directive per currency, so hledger shows
 * each currency with its own number of decimals.
 */
import { formatTimestamp, lookupCurrency, type RecordedEvent } from "@pacioli/core";
import { ledgerRegistry } from "../cli/currency-registry.js";
import { moneyText } from "../cli/money-text.js";

/** hledger quotes commodity symbols that are not only letters. */
export const hledgerCommodity = (currency: string): string =>
  /^[A-Za-z]+$/.test(currency) ? currency : `"${currency}"`;

export function hledgerCommodityDirective(currency: string): string {
  const found = lookupCurrency(ledgerRegistry(), currency);
  const exponent = found._tag === "Right" ? found.right.exponent : 2;
  // "1000." for a currency without minor units: hledger 1.25 refuses a sample amount with no decimal mark.
  return `commodity 1000.${"0".repeat(exponent)} ${hledgerCommodity(currency)}`;
}

export function hledgerTransaction(recorded: RecordedEvent): string | undefined {
  const postings = recorded.event.postings;
  if (postings.length === 0) return undefined;
  const date = formatTimestamp(recorded.effectiveAt ?? recorded.recordedAt).slice(0, 10);
  const width = Math.max(...postings.map((posting) => posting.account.length));
  const lines = [
    `${date} * ${recorded.event.type}  ; sequence:${recorded.sequence}, command:${recorded.commandId}`,
  ];
  for (const posting of postings) {
    lines.push(
      `    ${posting.account.padEnd(width)}  ${moneyText(posting.amount, posting.currency).padStart(16)} ${hledgerCommodity(posting.currency)}`,
    );
  }
  return lines.join("\n");
}
