import fc from "fast-check";
import { isLeft, left, right } from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { isoCurrency } from "../testing/money.js";
import { AMOUNT_DIGITS_MAX, formatAmount, parseAmount } from "./amount.js";
import { iso4217 } from "./currency.js";

const JPY = isoCurrency("JPY");
const USD = isoCurrency("USD");
const BHD = isoCurrency("BHD");
const KWD = isoCurrency("KWD");
const JOD = isoCurrency("JOD");
const CLF = isoCurrency("CLF");

const anyCurrency = fc.constantFrom(...iso4217.values());
const limit = 10n ** BigInt(AMOUNT_DIGITS_MAX);
const inRange = fc.bigInt({ min: -(limit - 1n), max: limit - 1n });

describe("parseAmount: accepted", () => {
  it.each([
    ["12", JPY, 12n],
    ["0", JPY, 0n],
    ["12.3", USD, 1230n],
    ["12.30", USD, 1230n],
    ["1.50", USD, 150n],
    ["0.05", USD, 5n],
    ["12", USD, 1200n],
    ["1.5", BHD, 1500n],
    ["0.001", KWD, 1n],
    ["1", KWD, 1000n],
    ["2.345", JOD, 2345n],
    ["0.0001", CLF, 1n],
    ["31.4159", CLF, 314159n],
  ])("%s %s", (text, c, expected) => {
    expect(parseAmount(text, c, "non-negative")).toEqual(right(expected));
  });

  it("reads a negative only when signed", () => {
    expect(parseAmount("-0.05", USD, "signed")).toEqual(right(-5n));
    expect(parseAmount("-1200", JPY, "signed")).toEqual(right(-1200n));
  });

  it("accepts exactly AMOUNT_DIGITS_MAX minor-unit digits", () => {
    expect(parseAmount("9".repeat(30), JPY)).toEqual(right(limit - 1n));
    expect(parseAmount(`${"9".repeat(28)}.99`, USD)).toEqual(right(limit - 1n));
    expect(parseAmount(`0.${"0".repeat(2)}`, KWD, "non-negative")).toEqual(right(0n));
  });
});

describe("parseAmount: rejected", () => {
  it("names an empty input", () => {
    expect(parseAmount("", USD)).toEqual(left({ _tag: "AmountEmpty", input: "" }));
  });

  it.each([
    " 1",
    "1 ",
    " ",
    "+1",
    "1e5",
    "1E5",
    "NaN",
    "Infinity",
    "-Infinity",
    ".5",
    "5.",
    "1,000",
    "1.000,5",
    "0x10",
    "--1",
    "1-",
    "1..2",
    "١٢",
    "１２",
    "1_000",
    "0b1",
    "12 USD",
    "$12",
  ])("malformed: %j", (text) => {
    expect(parseAmount(text, USD)).toEqual(
      left({ _tag: "AmountMalformed", input: text, reason: "not-decimal" }),
    );
  });

  it.each(["007", "00", "00.5", "-01", "012.30"])("leading zero: %j", (text) => {
    expect(parseAmount(text, USD, "signed")).toEqual(
      left({ _tag: "AmountMalformed", input: text, reason: "leading-zero" }),
    );
  });

  it.each(["-0", "-0.00", "-0.0"])("negative zero: %j", (text) => {
    expect(parseAmount(text, USD, "signed")).toEqual(
      left({ _tag: "AmountMalformed", input: text, reason: "negative-zero" }),
    );
  });

  it.each([
    ["12.0", JPY, 1],
    ["1.500", USD, 3],
    ["1.001", USD, 3],
    ["1.0000", BHD, 4],
    ["0.0001", KWD, 4],
    ["1.23456", CLF, 5],
  ])("too precise: %s %s", (text, c, decimals) => {
    expect(parseAmount(text, c)).toEqual(
      left({
        _tag: "AmountTooPrecise",
        input: text,
        currency: c.code,
        exponent: c.exponent,
        decimals,
      }),
    );
  });

  it.each([
    ["1" + "0".repeat(30), JPY],
    ["9".repeat(29), USD],
    ["1" + "0".repeat(28) + ".5", KWD],
    ["-" + "9".repeat(40), JPY],
  ])("too large: %s %s", (text, c) => {
    expect(parseAmount(text, c, "signed")).toEqual(
      left({ _tag: "AmountTooLarge", input: text, currency: c.code, digitsMax: AMOUNT_DIGITS_MAX }),
    );
  });

  it("names a negative amount where none is allowed, with the rule broken", () => {
    expect(parseAmount("-1", USD)).toEqual(
      left({ _tag: "AmountNegative", input: "-1", currency: "USD", sign: "positive" }),
    );
    expect(parseAmount("-1", USD, "non-negative")).toEqual(
      left({ _tag: "AmountNegative", input: "-1", currency: "USD", sign: "non-negative" }),
    );
  });

  it("names a zero amount where a positive one is required", () => {
    expect(parseAmount("0", USD)).toEqual(
      left({ _tag: "AmountZero", input: "0", currency: "USD" }),
    );
    expect(parseAmount("0.00", USD, "positive")).toEqual(
      left({ _tag: "AmountZero", input: "0.00", currency: "USD" }),
    );
    expect(parseAmount("0.00", USD, "signed")).toEqual(right(0n));
  });
});

describe("formatAmount", () => {
  it.each([
    [1230n, USD, "12.30"],
    [-5n, USD, "-0.05"],
    [0n, USD, "0.00"],
    [1200n, JPY, "1200"],
    [-1n, JPY, "-1"],
    [1000n, KWD, "1.000"],
    [1n, BHD, "0.001"],
    [-123456n, JOD, "-123.456"],
    [1n, CLF, "0.0001"],
    [10000n, CLF, "1.0000"],
  ])("%i %s", (minor, c, expected) => {
    expect(formatAmount(minor, c)).toBe(expected);
  });
});

describe("round trips, for every ISO 4217 currency", () => {
  it("parseAmount reads back whatever formatAmount writes", () => {
    fc.assert(
      fc.property(anyCurrency, inRange, (c, minor) => {
        expect(parseAmount(formatAmount(minor, c), c, "signed")).toEqual(right(minor));
      }),
      { numRuns: 3000 },
    );
  });

  it("formatAmount writes back any canonical text parseAmount reads", () => {
    // Arbitraries are built once, outside `chain`: building a regex arbitrary for every
    // generated value made this one property take 40 s.
    const whole = fc.stringMatching(/^(0|[1-9][0-9]{0,25})$/);
    const digit = fc.constantFrom(..."0123456789");
    const digits = (count: number) =>
      fc.array(digit, { minLength: count, maxLength: count }).map((ds) => ds.join(""));
    const text = anyCurrency.chain((c) =>
      fc.tuple(fc.boolean(), whole, digits(c.exponent)).map(([negative, whole, fraction]) => {
        const unsigned = c.exponent === 0 ? whole : `${whole}.${fraction}`;
        const isZero = /^[0.]*$/.test(unsigned);
        return { c, text: negative && !isZero ? `-${unsigned}` : unsigned };
      }),
    );
    fc.assert(
      fc.property(text, ({ c, text }) => {
        const parsed = parseAmount(text, c, "signed");
        if (isLeft(parsed)) throw new Error(`rejected ${text} ${c.code}: ${parsed.left._tag}`);
        expect(formatAmount(parsed.right, c)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it("trailing zeros up to the exponent do not change the value; one more is refused", () => {
    fc.assert(
      fc.property(
        anyCurrency,
        fc.stringMatching(/^[1-9][0-9]{0,10}$/),
        fc.nat({ max: 4 }),
        (c, whole, extra) => {
          const plain = parseAmount(whole, c);
          const zeros = Math.min(extra, c.exponent);
          if (zeros > 0) expect(parseAmount(`${whole}.${"0".repeat(zeros)}`, c)).toEqual(plain);
          const tooMany = parseAmount(`${whole}.${"0".repeat(c.exponent + 1)}`, c);
          expect(isLeft(tooMany) && tooMany.left._tag).toBe("AmountTooPrecise");
        },
      ),
    );
  });
});
