import { Decimal } from "decimal.js";
import fc from "fast-check";
import { isLeft, isRight, left } from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { isoCurrency } from "../testing/money.js";
import { REFERENCE_ROUNDING } from "../testing/reference-rounding.js";
import { divideRounded } from "./bigint-division.js";
import { iso4217 } from "./currency.js";
import { ROUNDING_MODES, type RoundingMode } from "./rounding-mode.js";
import {
  DECIMAL_ROUNDING,
  RATE_DIGITS_MAX,
  basisPointsOf,
  convertAmount,
  decimalToMinor,
  minorToDecimal,
  parseRate,
  proportionOf,
} from "./rounding.js";

const JPY = isoCurrency("JPY");
const USD = isoCurrency("USD");
const EUR = isoCurrency("EUR");
const KWD = isoCurrency("KWD");
const CLF = isoCurrency("CLF");

// An independent reference: a generous decimal.js clone, rounding written out here.
const Reference = Decimal.clone({ precision: 200, toExpPos: 9e15, toExpNeg: -9e15 });

function referenceRound(value: Decimal, places: number, mode: RoundingMode): bigint {
  const rounded = new Reference(value).toDecimalPlaces(places, REFERENCE_ROUNDING[mode]);
  return BigInt(rounded.times(new Reference(10).pow(places)).toString());
}

function rate(text: string): Decimal {
  const parsed = parseRate(text);
  if (isLeft(parsed)) throw new Error(`test setup: rate ${text}: ${parsed.left._tag}`);
  return parsed.right;
}

const anyCurrency = fc.constantFrom(...iso4217.values());
const mode = fc.constantFrom(...ROUNDING_MODES);
const minor = fc.bigInt({ min: -(10n ** 30n) + 1n, max: 10n ** 30n - 1n });
const rateText = fc
  .tuple(fc.stringMatching(/^(0|[1-9][0-9]{0,7})$/), fc.stringMatching(/^[0-9]{0,10}$/))
  .map(([whole, fraction]) => (fraction === "" ? whole : `${whole}.${fraction}`))
  .filter((text) => /[1-9]/.test(text));

describe("DECIMAL_ROUNDING", () => {
  // Checked by meaning rather than restated: decimal.js rounding with the constant a mode maps
  // to agrees with the pure-bigint rounding of that mode on every quotient n/d for n in
  // -20..20 and d in 1..4 (exact values, ties of both signs, and quarters either side of them).
  it.each(ROUNDING_MODES)("%s rounds as divideRounded does", (roundingMode) => {
    for (let n = -20n; n <= 20n; n += 1n)
      for (let d = 1n; d <= 4n; d += 1n) {
        const viaDecimal = new Decimal(n.toString())
          .div(d.toString())
          .toDecimalPlaces(0, DECIMAL_ROUNDING[roundingMode]);
        expect([n, d, viaDecimal.toString()]).toEqual([
          n,
          d,
          divideRounded(n, d, roundingMode).toString(),
        ]);
      }
  });
});

describe("parseRate", () => {
  it.each([
    "1",
    "1.0834",
    "0.000125",
    "151.5",
    "1000",
    "1.50",
    `1.${"2".repeat(RATE_DIGITS_MAX - 1)}`,
    `0.000${"7".repeat(20)}`,
  ])("accepts %s", (text) => {
    const parsed = parseRate(text);
    expect(isRight(parsed) && parsed.right.equals(new Reference(text))).toBe(true);
  });

  it("names every kind of bad rate", () => {
    expect(parseRate("")).toEqual(left({ _tag: "RateEmpty", input: "" }));
    for (const text of ["1e5", "NaN", "Infinity", "+1", " 1", ".5", "5.", "1,5", "0x10", "--1"]) {
      expect(parseRate(text)).toEqual(
        left({ _tag: "RateMalformed", input: text, reason: "not-decimal" }),
      );
    }
    expect(parseRate("01.5")).toEqual(
      left({ _tag: "RateMalformed", input: "01.5", reason: "leading-zero" }),
    );
    for (const text of ["0", "0.000", "-1.5", "-0"]) {
      expect(parseRate(text)).toEqual(left({ _tag: "RateNotPositive", input: text }));
    }
    const long = `1.${"2".repeat(RATE_DIGITS_MAX)}`;
    expect(parseRate(long)).toEqual(
      left({
        _tag: "RateTooPrecise",
        input: long,
        significantDigits: RATE_DIGITS_MAX + 1,
        digitsMax: RATE_DIGITS_MAX,
      }),
    );
  });
});

describe("minorToDecimal and decimalToMinor", () => {
  it("converts exactly, whatever the size", () => {
    expect(minorToDecimal(1234n, USD).toString()).toBe("12.34");
    expect(minorToDecimal(-5n, KWD).toString()).toBe("-0.005");
    expect(minorToDecimal(10n ** 40n + 1n, JPY).toString()).toBe(`1${"0".repeat(39)}1`);
  });

  it.each([
    ["12.345", USD, "half-even", 1234n],
    ["12.345", USD, "half-up", 1235n],
    ["12.345", USD, "half-down", 1234n],
    ["-12.345", USD, "floor", -1235n],
    ["-12.345", USD, "ceiling", -1234n],
    ["-12.341", USD, "up", -1235n],
    ["12.349", USD, "down", 1234n],
    ["12.5", JPY, "half-even", 12n],
    ["13.5", JPY, "half-even", 14n],
    ["0.00005", CLF, "half-up", 1n],
  ] as const)("%s %s %s", (text, c, m, expected) => {
    expect(decimalToMinor(new Reference(text), c, m)).toBe(expected);
  });

  it("reads values made with any decimal.js configuration, even exponential notation", () => {
    const Tiny = Decimal.clone({ precision: 5, toExpNeg: -2, toExpPos: 2 });
    expect(decimalToMinor(new Tiny("1e-7"), USD, "up")).toBe(1n);
    expect(decimalToMinor(new Tiny("12345"), USD, "down")).toBe(1234500n);
  });

  it("does not depend on the global Decimal configuration", () => {
    const saved = { precision: Decimal.precision, rounding: Decimal.rounding };
    Decimal.set({ precision: 3, rounding: Decimal.ROUND_DOWN });
    try {
      expect(convertAmount(123456789n, USD, rate("1.23456789"), EUR, "half-even")).toBe(152415788n); // 1524157.8750190521 exactly
      expect(minorToDecimal(123456789n, USD).toString()).toBe("1234567.89");
    } finally {
      Decimal.set(saved);
    }
  });

  it("minorToDecimal then decimalToMinor is the identity in every mode", () => {
    fc.assert(
      fc.property(anyCurrency, minor, mode, (c, m, rounding) => {
        expect(decimalToMinor(minorToDecimal(m, c), c, rounding)).toBe(m);
      }),
    );
  });

  it("decimalToMinor agrees with the reference rounding", () => {
    const value = fc
      .tuple(minor, fc.integer({ min: 0, max: 25 }))
      .map(([digits, scale]) => new Reference(digits.toString()).div(new Reference(10).pow(scale)));
    fc.assert(
      fc.property(anyCurrency, value, mode, (c, v, m) => {
        expect(decimalToMinor(v, c, m)).toBe(referenceRound(v, c.exponent, m));
      }),
    );
  });
});

describe("convertAmount", () => {
  it.each([
    [10000n, EUR, "1.0834", USD, "half-even", 10834n],
    [1000n, JPY, "0.0067", USD, "half-even", 670n],
    [123n, USD, "151.5", JPY, "half-even", 186n],
    [123n, USD, "151.5", JPY, "up", 187n],
    [-123n, USD, "151.5", JPY, "floor", -187n],
    [10000n, USD, "0.30705", KWD, "down", 30705n],
    [1n, KWD, "3.2567", USD, "half-up", 0n],
    [2n, KWD, "3.2567", USD, "half-up", 1n],
  ] as const)("%i %s × %s → %s (%s)", (amount, from, r, to, m, expected) => {
    expect(convertAmount(amount, from, rate(r), to, m)).toBe(expected);
  });

  it("agrees with a high-precision decimal reference", () => {
    fc.assert(
      fc.property(minor, anyCurrency, rateText, anyCurrency, mode, (amount, from, text, to, m) => {
        const exact = new Reference(amount.toString())
          .div(new Reference(10).pow(from.exponent))
          .times(text);
        expect(convertAmount(amount, from, rate(text), to, m)).toBe(
          referenceRound(exact, to.exponent, m),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("treats a rate that is not positive as a programmer error", () => {
    expect(() => convertAmount(1n, USD, new Decimal(0), EUR, "floor")).toThrow(/not positive/);
    expect(() => convertAmount(1n, USD, new Decimal(-1), EUR, "floor")).toThrow(/not positive/);
    expect(() => convertAmount(1n, USD, new Decimal(Number.NaN), EUR, "floor")).toThrow(
      /not positive/,
    );
  });
});

describe("basisPointsOf", () => {
  it.each([
    [10000n, 290n, "half-even", 290n],
    [1999n, 290n, "floor", 57n],
    [1999n, 290n, "ceiling", 58n],
    [1999n, 290n, "half-even", 58n],
    [-1999n, 290n, "floor", -58n],
    [-1999n, 290n, "down", -57n],
    [50n, 100n, "half-even", 0n],
    [50n, 100n, "half-up", 1n],
    [150n, 100n, "half-even", 2n],
  ] as const)("%i × %i bp (%s)", (amount, bp, m, expected) => {
    expect(basisPointsOf(amount, bp, m)).toBe(expected);
  });

  it("agrees with a high-precision decimal reference", () => {
    fc.assert(
      fc.property(minor, fc.bigInt({ min: -20000n, max: 20000n }), mode, (amount, bp, m) => {
        const exact = new Reference(amount.toString()).times(bp.toString()).div(10000);
        expect(basisPointsOf(amount, bp, m)).toBe(referenceRound(exact, 0, m));
      }),
    );
  });
});

describe("proportionOf", () => {
  it.each([
    [30n, 1n, 3n, "half-even", 10n],
    [31n, 1n, 3n, "floor", 10n],
    [31n, 1n, 3n, "ceiling", 11n],
    [31n, 2n, 3n, "half-even", 21n],
    [-31n, 2n, 3n, "half-even", -21n],
    [31n, 3n, 3n, "up", 31n],
  ] as const)("%i × %i / %i (%s)", (amount, part, whole, m, expected) => {
    expect(proportionOf(amount, part, whole, m)).toBe(expected);
  });

  it("agrees with a high-precision decimal reference, and is exact at the ends", () => {
    const whole = fc.bigInt({ min: 1n, max: 10n ** 20n });
    fc.assert(
      fc.property(
        minor,
        whole,
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        mode,
        (amount, w, p, m) => {
          const exact = new Reference(amount.toString()).times(p.toString()).div(w.toString());
          expect(proportionOf(amount, p, w, m)).toBe(referenceRound(exact, 0, m));
          expect(proportionOf(amount, w, w, m)).toBe(amount);
          expect(proportionOf(amount, 0n, w, m)).toBe(0n);
        },
      ),
    );
  });

  it("never refunds more than the fee when refunds of the parts are floored", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 6n }), { minLength: 1, maxLength: 8 }),
        (fee, parts) => {
          const whole = parts.reduce((a, b) => a + b, 0n);
          const refunded = parts.reduce(
            (sum, part) => sum + proportionOf(fee, part, whole, "floor"),
            0n,
          );
          expect(refunded <= fee).toBe(true);
        },
      ),
    );
  });

  it("treats a zero whole as a programmer error", () => {
    expect(() => proportionOf(1n, 1n, 0n, "floor")).toThrow(/whole is zero/);
  });
});
