/** Money literals for tests: `usd("12.34")`, `jpy("500")`, `kwd("1.250")`. */
import type { Money } from "../codec/money-codec.js";
import { iso4217, lookupCurrency, parseAmount, type Currency } from "../money/index.js";

export function money(currency: string, text: string): Money {
  const found = lookupCurrency(iso4217, currency);
  if (found._tag === "Left") throw new Error(`unknown test currency ${currency}`);
  const amount = parseAmount(text, found.right, "signed");
  if (amount._tag === "Left") throw new Error(`bad test amount ${text}: ${amount.left._tag}`);
  return { currency, amount: amount.right };
}

/** An ISO 4217 currency by code, for tests that work on currencies themselves. */
export function isoCurrency(code: string): Currency {
  const found = iso4217.get(code);
  if (found === undefined) throw new Error(`test setup: ${code} missing`);
  return found;
}

export const usd = (text: string): Money => money("USD", text);
export const eur = (text: string): Money => money("EUR", text);
export const jpy = (text: string): Money => money("JPY", text);
export const kwd = (text: string): Money => money("KWD", text);
