/**
 * Rates, percentages and conversions, with an explicit rounding mode at every call.
 *
 * Two tools, each where it is exact:
 * - Ratios of integers (basis points, proportional refunds) stay in bigint arithmetic
 *   (`divideRounded`): exact at any size, one rounding at the end.
 * - Rates arrive as decimal strings and live as `Decimal`s from a private decimal.js clone
 *   with 60 significant digits. It is private so that nobody's `Decimal.set(...)` elsewhere
 *   can change how money rounds here. Turning a `Decimal` into minor units goes through its
 *   exact decimal string and bigint division, never through a JS number and never through an
 *   intermediate rounding, so `convertAmount` and `decimalToMinor` round exactly once, with
 *   the caller's mode, whatever the size of the inputs.
 *
 * A `Decimal` that is NaN, infinite, or (for a rate) not positive is a programmer error here:
 * text from outside becomes a rate only through `parseRate`, which returns errors as values.
 */

import { Decimal } from "decimal.js";
import { left, right, type Either } from "fp-ts/lib/Either.js";
import { formatAmount } from "./amount.js";
import { assert } from "../assertion.js";
import { divideRounded } from "./bigint-division.js";
import { assertCurrency, type Currency } from "./currency.js";
import type { RoundingMode } from "./rounding-mode.js";

export type { RoundingMode } from "./rounding-mode.js";
export { ROUNDING_MODES } from "./rounding-mode.js";

// ---------------------------------------------------------------------------------------------
// model

export type RateError =
  | { readonly _tag: "RateEmpty"; readonly input: string }
  | { readonly _tag: "RateMalformed"; readonly input: string; readonly reason: RateMalformedReason }
  | { readonly _tag: "RateNotPositive"; readonly input: string }
  | {
      readonly _tag: "RateTooPrecise";
      readonly input: string;
      readonly significantDigits: number;
      readonly digitsMax: number;
    };

/**
 * - "not-decimal": not of the shape `digits(.digits)?` (exponents, spaces, "+", "NaN", ".5"...).
 * - "leading-zero": an integer part with a leading zero, such as "01.5".
 */
export type RateMalformedReason = "not-decimal" | "leading-zero";

// ---------------------------------------------------------------------------------------------
// limits

/**
 * Significant digits a rate may have. Market FX rates carry 5 to 10; 20 leaves room for
 * inverted and cross rates, and keeps amount (30 digits) × rate within the 60-digit precision.
 */
export const RATE_DIGITS_MAX = 20;

/** Basis points in one whole: 1 bp = 0.01%. */
export const BASIS_POINTS_PER_UNIT = 10_000n;

/** Working precision of the private decimal clone (see the module comment). */
const DECIMAL_PRECISION = 60;

// Exponents far beyond any value a ledger sees, so `toString()` never switches to
// exponential notation and always yields digits that `BigInt` can read.
const PLAIN_NOTATION_EXPONENT_MAX = 9e15;

const MoneyDecimal: Decimal.Constructor = Decimal.clone({
  precision: DECIMAL_PRECISION,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -PLAIN_NOTATION_EXPONENT_MAX,
  toExpPos: PLAIN_NOTATION_EXPONENT_MAX,
  minE: -PLAIN_NOTATION_EXPONENT_MAX,
  maxE: PLAIN_NOTATION_EXPONENT_MAX,
  crypto: false,
  modulo: Decimal.ROUND_FLOOR,
});

/** Each rounding mode as decimal.js names it; total by type, so a new mode cannot be forgotten. */
export const DECIMAL_ROUNDING: Readonly<Record<RoundingMode, Decimal.Rounding>> = Object.freeze({
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceiling: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
  "half-up": Decimal.ROUND_HALF_UP,
  "half-down": Decimal.ROUND_HALF_DOWN,
  "half-even": Decimal.ROUND_HALF_EVEN,
});

const RATE_SHAPE = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

// ---------------------------------------------------------------------------------------------
// constructors

/** Reads a strictly positive rate such as "7.2345" or "0.000125". */
export function parseRate(text: string): Either<RateError, Decimal> {
  if (text === "") {
    return left({ _tag: "RateEmpty", input: text });
  }
  const match = RATE_SHAPE.exec(text);
  if (match === null) {
    return left({ _tag: "RateMalformed", input: text, reason: "not-decimal" });
  }
  const integerDigits = match[2] ?? "";
  const fractionDigits = match[3] ?? "";
  if (integerDigits.length > 1 && integerDigits.startsWith("0")) {
    return left({ _tag: "RateMalformed", input: text, reason: "leading-zero" });
  }
  // From the first to the last non-zero digit: "1000", "0.001" and "1.000" all have one.
  const significant = (integerDigits + fractionDigits).replace(/^0+/, "").replace(/0+$/, "");
  if (match[1] === "-" || significant === "") {
    return left({ _tag: "RateNotPositive", input: text });
  }
  if (significant.length > RATE_DIGITS_MAX) {
    return left({
      _tag: "RateTooPrecise",
      input: text,
      significantDigits: significant.length,
      digitsMax: RATE_DIGITS_MAX,
    });
  }
  return right(new MoneyDecimal(text));
}

/** Minor units as an exact `Decimal` in major units: 1234n USD → 12.34. */
export function minorToDecimal(minor: bigint, currency: Currency): Decimal {
  // Through the canonical string, so no digit is lost whatever the size.
  return new MoneyDecimal(formatAmount(minor, currency));
}

// ---------------------------------------------------------------------------------------------
// combinators

/** A value in major units, rounded to the currency's exponent with `mode`, as minor units. */
export function decimalToMinor(value: Decimal, currency: Currency, mode: RoundingMode): bigint {
  assertCurrency(currency);
  const { numerator, scale } = toFraction(value);
  return divideRounded(numerator * 10n ** BigInt(currency.exponent), 10n ** BigInt(scale), mode);
}

/**
 * Converts minor units of `from` into minor units of `to`. `rate` is units of `to` per unit
 * of `from` (for EUR → USD at 1.0834, rate 1.0834). One rounding, at the end, with `mode`.
 */
export function convertAmount(
  minor: bigint,
  from: Currency,
  rate: Decimal,
  to: Currency,
  mode: RoundingMode,
): bigint {
  assertCurrency(from);
  assertCurrency(to);
  assert(
    rate.isFinite() && rate.isPositive() && !rate.isZero(),
    `convertAmount: rate ${rate.toString()} is not positive`,
  );
  const { numerator, scale } = toFraction(rate);
  // minor / 10^from × rate × 10^to, kept as one integer fraction until the final division.
  const dividend = minor * numerator * 10n ** BigInt(to.exponent);
  const divisor = 10n ** BigInt(scale + from.exponent);
  return divideRounded(dividend, divisor, mode);
}

/** minor × basisPoints / 10 000, rounded with `mode`: a 2.9% fee is 290 bp. */
export function basisPointsOf(minor: bigint, basisPoints: bigint, mode: RoundingMode): bigint {
  return divideRounded(minor * basisPoints, BASIS_POINTS_PER_UNIT, mode);
}

/**
 * minor × part / whole, rounded with `mode`: the share of a fee to refund when `part` of a
 * `whole` payment is refunded. `whole` must not be zero.
 */
export function proportionOf(
  minor: bigint,
  part: bigint,
  whole: bigint,
  mode: RoundingMode,
): bigint {
  assert(whole !== 0n, "proportionOf: whole is zero");
  return divideRounded(minor * part, whole, mode);
}

// ---------------------------------------------------------------------------------------------
// utils

/** A finite Decimal as numerator / 10^scale, read from its exact decimal string. */
function toFraction(value: Decimal): { readonly numerator: bigint; readonly scale: number } {
  assert(value.isFinite(), `decimal ${value.toString()} is not finite`);
  // Re-wrapping in the private clone copies the digits as they are (no rounding) and gives
  // plain notation whatever configuration the value was created with.
  const text = new MoneyDecimal(value).toString();
  const match = RATE_SHAPE.exec(text);
  assert(match !== null, `decimal ${text} has no plain decimal form`);
  const fractionDigits = match[3] ?? "";
  return {
    numerator: BigInt(`${match[1] ?? ""}${match[2] ?? ""}${fractionDigits}`),
    scale: fractionDigits.length,
  };
}
