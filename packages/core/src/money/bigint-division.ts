/**
 * Integer division with an explicit rounding mode, in pure bigint arithmetic.
 *
 * Fees, basis points and proportional refunds are ratios of minor units. Doing them on
 * bigints keeps them exact at any size, with no precision setting to get wrong; the only
 * loss is the final rounding, and the caller chooses it.
 *
 * JavaScript's `/` on bigints truncates toward zero and `%` takes the sign of the numerator,
 * so the truncated quotient is always one of the two candidates and the remainder tells which
 * way, and how far, the exact quotient lies from it.
 */

import { assert } from "../assertion.js";
import type { RoundingMode } from "./rounding-mode.js";

/** numerator / denominator, rounded to an integer with `mode`. The denominator must not be 0. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  assert(denominator !== 0n, "divideRounded: denominator is zero");
  // Normalise to a positive denominator so the sign of the quotient is the numerator's sign.
  const dividend = denominator < 0n ? -numerator : numerator;
  const divisor = denominator < 0n ? -denominator : denominator;
  const truncated = dividend / divisor;
  const remainder = dividend % divisor;
  if (remainder === 0n) {
    return truncated;
  }
  // The exact quotient lies strictly between `truncated` and `truncated + away`.
  const away = dividend < 0n ? -1n : 1n;
  return roundInexact(truncated, away, remainder, divisor, mode);
}

function roundInexact(
  truncated: bigint,
  away: bigint,
  remainder: bigint,
  divisor: bigint,
  mode: RoundingMode,
): bigint {
  switch (mode) {
    case "down":
      return truncated;
    case "up":
      return truncated + away;
    case "floor":
      return away < 0n ? truncated + away : truncated;
    case "ceiling":
      return away > 0n ? truncated + away : truncated;
    case "half-up":
    case "half-down":
    case "half-even":
      return roundToNearest(truncated, away, remainder, divisor, mode);
  }
}

function roundToNearest(
  truncated: bigint,
  away: bigint,
  remainder: bigint,
  divisor: bigint,
  mode: "half-up" | "half-down" | "half-even",
): bigint {
  // Compare the fractional part |remainder| / divisor with one half, without leaving integers.
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  if (twiceRemainder !== divisor) {
    return twiceRemainder > divisor ? truncated + away : truncated;
  }
  switch (mode) {
    case "half-up":
      return truncated + away;
    case "half-down":
      return truncated;
    case "half-even":
      return truncated % 2n === 0n ? truncated : truncated + away;
  }
}
