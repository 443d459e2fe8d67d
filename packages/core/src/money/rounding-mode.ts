/**
 * The seven rounding modes, named for what they do to the exact result.
 *
 * Every call that can lose precision takes one of these explicitly; there is no default,
 * because the right mode is a business decision (fees round in the platform's favour,
 * refunds in the customer's, FX spreads half-even) and a silent default hides it.
 *
 * - "up" / "down": away from / toward zero.
 * - "ceiling" / "floor": toward +infinity / -infinity.
 * - "half-up" / "half-down" / "half-even": to the nearest step; an exact half goes away
 *   from zero, toward zero, or to the even neighbour. "half-up" is away from zero (as in
 *   decimal.js and Java's BigDecimal), so -2.5 becomes -3, not -2.
 */

export type RoundingMode =
  "up" | "down" | "ceiling" | "floor" | "half-up" | "half-down" | "half-even";

/** Every rounding mode, for exhaustive tests and for validating decoded input. */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  "up",
  "down",
  "ceiling",
  "floor",
  "half-up",
  "half-down",
  "half-even",
]);
