import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REFERENCE_ROUNDING } from "../testing/reference-rounding.js";
import { divideRounded } from "./bigint-division.js";
import { ROUNDING_MODES, type RoundingMode } from "./rounding-mode.js";

// The reference: decimal.js with far more precision than the operands need (they stay below
// 2^128, so the exact quotient is at least 2^-129 away from any rounding boundary it is not on),
// and its own rounding constants written out here rather than taken from the code under test.
const Reference = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_DOWN,
  toExpPos: 9e15,
  toExpNeg: -9e15,
});

function referenceQuotient(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  const exact = new Reference(numerator.toString()).div(denominator.toString());
  return BigInt(exact.toDecimalPlaces(0, REFERENCE_ROUNDING[mode]).toString());
}

const operand = fc.bigInt({ min: -(2n ** 128n), max: 2n ** 128n });
const nonZero = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), operand).filter((d) => d !== 0n);
const mode = fc.constantFrom(...ROUNDING_MODES);

describe("divideRounded", () => {
  // Hand-computed: [numerator, denominator, up, down, ceiling, floor, half-up, half-down, half-even]
  it.each([
    [5n, 2n, 3n, 2n, 3n, 2n, 3n, 2n, 2n],
    [-5n, 2n, -3n, -2n, -2n, -3n, -3n, -2n, -2n],
    [5n, -2n, -3n, -2n, -2n, -3n, -3n, -2n, -2n],
    [-5n, -2n, 3n, 2n, 3n, 2n, 3n, 2n, 2n],
    [7n, 2n, 4n, 3n, 4n, 3n, 4n, 3n, 4n],
    [-7n, 2n, -4n, -3n, -3n, -4n, -4n, -3n, -4n],
    [7n, 3n, 3n, 2n, 3n, 2n, 2n, 2n, 2n],
    [-8n, 3n, -3n, -2n, -2n, -3n, -3n, -3n, -3n],
    [6n, 3n, 2n, 2n, 2n, 2n, 2n, 2n, 2n],
    [0n, 7n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
    [1n, 10n, 1n, 0n, 1n, 0n, 0n, 0n, 0n],
    [-1n, 10n, -1n, 0n, 0n, -1n, 0n, 0n, 0n],
  ])("%i / %i", (numerator, denominator, ...expected) => {
    const actual = ROUNDING_MODES.map((m) => divideRounded(numerator, denominator, m));
    expect(actual).toEqual(expected);
  });

  it("agrees with a high-precision decimal reference in every mode, signs included", () => {
    fc.assert(
      fc.property(operand, nonZero, mode, (numerator, denominator, m) => {
        expect(divideRounded(numerator, denominator, m)).toBe(
          referenceQuotient(numerator, denominator, m),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the reference on exact halves, where the modes differ most", () => {
    const halves = fc.tuple(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.bigInt({ min: 1n, max: 10n ** 12n }),
    );
    fc.assert(
      fc.property(halves, mode, ([whole, half], m) => {
        const numerator = (2n * whole + 1n) * half;
        const denominator = 2n * half;
        expect(divideRounded(numerator, denominator, m)).toBe(
          referenceQuotient(numerator, denominator, m),
        );
      }),
    );
  });

  it("floor never exceeds and ceiling never falls below the exact quotient, each within one", () => {
    fc.assert(
      fc.property(operand, nonZero, (numerator, denominator) => {
        // Compare q with n/d as q·|d| against n·sign(d), staying in integers.
        const scaled = denominator < 0n ? -numerator : numerator;
        const divisor = denominator < 0n ? -denominator : denominator;
        const floor = divideRounded(numerator, denominator, "floor");
        const ceiling = divideRounded(numerator, denominator, "ceiling");
        expect(floor * divisor <= scaled).toBe(true);
        expect((floor + 1n) * divisor > scaled).toBe(true);
        expect(ceiling * divisor >= scaled).toBe(true);
        expect((ceiling - 1n) * divisor < scaled).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("rounds to nearest within one half in the half modes", () => {
    fc.assert(
      fc.property(
        operand,
        nonZero,
        fc.constantFrom<RoundingMode>("half-up", "half-down", "half-even"),
        (n, d, m) => {
          const q = divideRounded(n, d, m);
          const distance = 2n * (q * d - n);
          const bound = d < 0n ? -d : d;
          expect(distance <= bound && distance >= -bound).toBe(true);
        },
      ),
    );
  });

  it("treats a zero denominator as a programmer error", () => {
    expect(() => divideRounded(1n, 0n, "floor")).toThrow(/denominator is zero/);
  });
});
