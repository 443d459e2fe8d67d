/**
 * The arithmetic of a conversion at a quote, in one place so that a plain conversion and a
 * cross-currency checkout price money identically.
 *
 * From a gross source amount: fee = gross × bp / 10 000 rounded up (`ceiling`), net = gross
 * − fee, target = net × rate rounded down (`floor`). Both roundings favour the house, by
 * less than one minor unit each, and the customer is never given a fraction the house did
 * not receive. `grossForTarget` answers the checkout question ("how much source pays this
 * price?") as the least gross whose forward price covers the target, so a checkout is
 * priced by the same forward rule as any conversion.
 */
import {
  basisPointsOf,
  convertAmount,
  lookupCurrency,
  parseRate,
  type Currency,
  type CurrencyRegistry,
} from "../money/index.js";
import type { FxQuote } from "../state/fx-state.js";
import { AssertionFailure } from "../assertion.js";

export interface FxPrice {
  readonly gross: bigint;
  readonly fee: bigint;
  readonly net: bigint;
  readonly target: bigint;
}

function currencyOf(registry: CurrencyRegistry, code: string): Currency {
  const found = lookupCurrency(registry, code);
  if (found._tag === "Left")
    throw new AssertionFailure(`quote currency ${code} is not in the registry`);
  return found.right;
}

function rateOf(quote: FxQuote) {
  const rate = parseRate(quote.rate);
  if (rate._tag === "Left") throw new AssertionFailure(`quote ${quote.id} has rate ${quote.rate}`);
  return rate.right;
}

/** The forward price of `gross` source minor units at `quote`. */
export function priceConversion(
  registry: CurrencyRegistry,
  quote: FxQuote,
  gross: bigint,
): FxPrice {
  const fee = basisPointsOf(gross, BigInt(quote.feeBasisPoints), "ceiling");
  const net = gross - fee;
  const target = convertAmount(
    net,
    currencyOf(registry, quote.sourceCurrency),
    rateOf(quote),
    currencyOf(registry, quote.targetCurrency),
    "floor",
  );
  return { gross, fee, net, target };
}

/** Doublings allowed when searching for an upper bound: far past any 30-digit amount. */
const GROSS_DOUBLINGS_MAX = 256;

/**
 * The least gross source amount whose forward price yields at least `target`, or undefined
 * when none does within the amounts a ledger holds. The forward price never decreases as
 * gross grows (one more unit of gross adds at most one unit of fee), so a binary search over
 * the forward rule finds it without ever inverting a rate or its rounding.
 */
export function grossForTarget(
  registry: CurrencyRegistry,
  quote: FxQuote,
  target: bigint,
): FxPrice | undefined {
  let high = 1n;
  let doublings = 0;
  while (priceConversion(registry, quote, high).target < target) {
    if (doublings === GROSS_DOUBLINGS_MAX) return undefined;
    high *= 2n;
    doublings += 1;
  }
  let low = high / 2n; // its price is short of the target (or it is 0)
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (priceConversion(registry, quote, middle).target >= target) high = middle;
    else low = middle;
  }
  return priceConversion(registry, quote, high);
}
