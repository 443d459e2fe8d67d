/**
 * The reference model's FX arithmetic and the house's FX books, written from
 * docs/recipes/funding-fx-promotions.md §4–5, not from `fx-pricing.ts` or decimal.js: prices
 * are plain bigint arithmetic on the rate's digits (fee rounded up, target rounded down), and
 * the house's position per currency (`assets:fx-liquidity:{currency}`, signed as the chart of
 * accounts reads it) and FX fee revenue are plain numbers each conversion updates by hand.
 */
import type { Timestamp } from "../time/timestamp.js";
import type { ModelLedger } from "./reference-model.js";
import { add } from "./reference-model-rules.js";

export interface ModelQuote {
  readonly source: string;
  readonly target: string;
  readonly rate: string;
  readonly feeBasisPoints: bigint;
  readonly expiresAt: Timestamp;
}

/** The exponents of the currencies the arbitraries use (ISO 4217). */
const EXPONENTS: Readonly<Record<string, number>> = { USD: 2, JPY: 0, EUR: 2, KWD: 3 };

/** Fee up, target down, with the rate read as digits / 10^scale. */
export function modelPrice(quote: ModelQuote, gross: bigint): { fee: bigint; target: bigint } {
  const fee = (gross * quote.feeBasisPoints + 9_999n) / 10_000n;
  const [whole = "", decimals = ""] = quote.rate.split(".");
  const numerator = BigInt(whole + decimals);
  const source = EXPONENTS[quote.source] ?? 2;
  const target = EXPONENTS[quote.target] ?? 2;
  return {
    fee,
    target:
      ((gross - fee) * numerator * 10n ** BigInt(target)) / 10n ** BigInt(decimals.length + source),
  };
}

/**
 * "The wallet pays the least [source] whose conversion covers the price" (recipe §5): the
 * least gross whose forward price reaches `target`, found by walking the forward rule (never
 * by inverting the rate), so a checkout is priced as any conversion is.
 */
export function modelGrossFor(
  quote: ModelQuote,
  target: bigint,
): { gross: bigint; fee: bigint } | undefined {
  let high = 1n;
  for (let doublings = 0; modelPrice(quote, high).target < target; doublings += 1) {
    if (doublings > 200) return undefined;
    high *= 2n;
  }
  let low = 0n; // its price is short of the target
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (modelPrice(quote, middle).target >= target) high = middle;
    else low = middle;
  }
  return { gross: high, fee: modelPrice(quote, high).fee };
}

/**
 * The house's side of one conversion: it takes `net` of `from` into its position (a credit
 * to `assets:fx-liquidity:{from}`), keeps `fee` of `from` as revenue, and pays `delivered`
 * of `to` out of its position (a debit). Negative figures undo an earlier conversion.
 */
export function houseConverts(
  ledger: ModelLedger,
  from: { currency: string; net: bigint; fee: bigint },
  to: { currency: string; delivered: bigint },
): void {
  add(ledger.treasury.fxLiquidity, from.currency, -from.net);
  add(ledger.treasury.fxFees, from.currency, from.fee);
  add(ledger.treasury.fxLiquidity, to.currency, to.delivered);
}
