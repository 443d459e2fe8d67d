/** Minor units to the decimal text of the API ("12.30", "-5.000", "1000"), in the ledger's registry. */
import { formatAmount, lookupCurrency, type CurrencyRegistry } from "@pacioli/core";
import { AssertionFailure } from "@pacioli/core";

export function moneyText(registry: CurrencyRegistry, amount: bigint, currency: string): string {
  const found = lookupCurrency(registry, currency);
  if (found._tag === "Left")
    throw new AssertionFailure(`${currency} is in the ledger but not in its registry`);
  return formatAmount(amount, found.right);
}
