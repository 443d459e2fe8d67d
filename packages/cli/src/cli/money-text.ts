/** Minor units to decimal text in the currency's exponent ("12.30", "-5.000", "1000"). */
import { formatAmount, lookupCurrency, type CurrencyRegistry } from "@pacioli/core";
import { ledgerRegistry } from "./currency-registry.js";
import { AssertionFailure } from "@pacioli/core";

export function moneyText(
  amount: bigint,
  currency: string,
  registry: CurrencyRegistry = ledgerRegistry(),
): string {
  const found = lookupCurrency(registry, currency);
  if (found._tag === "Left") throw new AssertionFailure(`${currency} is not a known currency`);
  return formatAmount(amount, found.right);
}
