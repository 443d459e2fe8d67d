/**
 * A settlement file from a card processor or bank, as `pacioli reconcile` reads it: CSV with
 * the header `channel,reference,currency,amount` and one movement per line, the amount a signed
 * decimal string in the currency's exponent (+ money that reached the platform's bank, −
 * money that left it). No quoting: a reference holds no comma. A line that does not parse is
 * refused naming its number, before anything is compared or recorded.
 */
import {
  lookupCurrency,
  parseAmount,
  type CurrencyRegistry,
  type SettlementLine,
} from "@pacioli/core";
import { CliError, EXIT_USAGE } from "./cli-error.js";

export const SETTLEMENT_HEADER = "channel,reference,currency,amount";
const CHANNEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const REFERENCE = /^[\x21-\x7e]{1,255}$/;

export function parseSettlementFile(
  text: string,
  path: string,
  registry: CurrencyRegistry,
): SettlementLine[] {
  const rows = text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  if (rows[0] !== SETTLEMENT_HEADER)
    throw refused(path, 1, `the header must be ${SETTLEMENT_HEADER}`);
  return rows.slice(1).map((row, index) => parseLine(row, index + 2, path, registry));
}

function parseLine(
  row: string,
  line: number,
  path: string,
  registry: CurrencyRegistry,
): SettlementLine {
  const cells = row.split(",");
  if (cells.length !== 4) throw refused(path, line, `4 fields expected, ${cells.length} found`);
  const [channel, reference, currency, text] = cells as [string, string, string, string];
  if (!CHANNEL.test(channel)) throw refused(path, line, `the channel ${channel} is not an id`);
  if (!REFERENCE.test(reference))
    throw refused(path, line, "the reference must be 1-255 printable ASCII characters");
  const found = lookupCurrency(registry, currency);
  if (found._tag === "Left") throw refused(path, line, `${currency} is not a known currency`);
  const amount = parseAmount(text, found.right, "signed");
  if (amount._tag === "Left" || amount.right === 0n)
    throw refused(path, line, `${text} is not a non-zero amount in ${currency}`);
  return { line, channel, reference, currency, amount: amount.right };
}

const refused = (path: string, line: number, why: string): CliError =>
  new CliError(
    `${path} line ${line}: ${why}`,
    EXIT_USAGE,
    `a settlement file is CSV with the header ${SETTLEMENT_HEADER} (docs/recipes/reconciliation.md)`,
  );
