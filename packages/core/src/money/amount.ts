/**
 * Amounts: decimal strings at the edge, bigint minor units inside.
 *
 * `parseAmount` is the only way text becomes money, so it is strict on purpose. It accepts one
 * canonical shape, `-?digits(.digits)?`, and rejects everything a float parser would "helpfully"
 * accept (" 1", "+1", "1e5", ".5", "5.", "1,000", "0x10", "NaN", "Infinity"), because an amount
 * that was guessed at is worse than an amount that was refused. Choices:
 * - Leading zeros are rejected ("007", "00.5"): a single "0" before the point is the only
 *   zero allowed there, so one value has one spelling in the integer part.
 * - "-0" and "-0.00" are rejected: negative zero is not a value and `formatAmount` never
 *   writes it.
 * - Fewer decimals than the currency has are fine ("12.3" USD is 1230n); more are rejected
 *   even when the extra digits are zeros ("1.500" USD): the caller sent a precision the
 *   currency does not have, which usually means the wrong currency, and we never round.
 * - The sign rule is explicit: "positive" (the default: payments, holds, refunds),
 *   "non-negative" (limits, balances), or "signed" (adjustments).
 *
 * `formatAmount` is the inverse: always exactly `exponent` decimals, so `parseAmount` reads
 * back every string it writes.
 */

import { left, right, type Either } from "fp-ts/lib/Either.js";
import { assertCurrency, type Currency } from "./currency.js";

// ---------------------------------------------------------------------------------------------
// model

export type AmountSign = "positive" | "non-negative" | "signed";

export type AmountError =
  | { readonly _tag: "AmountEmpty"; readonly input: string }
  | {
      readonly _tag: "AmountMalformed";
      readonly input: string;
      readonly reason: AmountMalformedReason;
    }
  | {
      readonly _tag: "AmountTooPrecise";
      readonly input: string;
      readonly currency: string;
      /** Decimal places the currency allows. */
      readonly exponent: number;
      /** Decimal places the input has. */
      readonly decimals: number;
    }
  | {
      readonly _tag: "AmountTooLarge";
      readonly input: string;
      readonly currency: string;
      readonly digitsMax: number;
    }
  | {
      readonly _tag: "AmountNegative";
      readonly input: string;
      readonly currency: string;
      readonly sign: AmountSign;
    }
  | { readonly _tag: "AmountZero"; readonly input: string; readonly currency: string };

/**
 * - "not-decimal": not of the shape `-?digits(.digits)?` (signs, exponents, spaces, commas...).
 * - "leading-zero": an integer part with a leading zero, such as "007".
 * - "negative-zero": "-0" or "-0.00".
 */
export type AmountMalformedReason = "not-decimal" | "leading-zero" | "negative-zero";

// ---------------------------------------------------------------------------------------------
// limits

/**
 * At most 30 digits in an amount's minor units (below 10^30 minor units). That is far above
 * any real balance (world GDP is about 10^17 US cents; 10^29 wei is a hundred billion ether)
 * and far below where anything degrades: an amount times a rate (at most 20 significant
 * digits) has at most 50 digits, inside the 60-digit precision of the module's decimal
 * arithmetic, so decimal work on amounts is exact until its one explicit rounding; journal
 * exports stay readable; and a hostile megabyte of digits is refused before any big-number
 * work is done.
 */
export const AMOUNT_DIGITS_MAX = 30;

const AMOUNT_SHAPE = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

// ---------------------------------------------------------------------------------------------
// constructors

/** Reads a decimal string as minor units of `currency`, or says exactly why it cannot. */
export function parseAmount(
  text: string,
  currency: Currency,
  sign: AmountSign = "positive",
): Either<AmountError, bigint> {
  assertCurrency(currency);
  if (text === "") {
    return left({ _tag: "AmountEmpty", input: text });
  }
  const match = AMOUNT_SHAPE.exec(text);
  if (match === null) {
    return left({ _tag: "AmountMalformed", input: text, reason: "not-decimal" });
  }
  const negative = match[1] === "-";
  const integerDigits = match[2] ?? "";
  const fractionDigits = match[3] ?? "";
  return parseDigits({ text, currency, sign, negative, integerDigits, fractionDigits });
}

interface AmountParts {
  readonly text: string;
  readonly currency: Currency;
  readonly sign: AmountSign;
  readonly negative: boolean;
  readonly integerDigits: string;
  readonly fractionDigits: string;
}

function parseDigits(parts: AmountParts): Either<AmountError, bigint> {
  const { text, currency, integerDigits, fractionDigits } = parts;
  if (integerDigits.length > 1 && integerDigits.startsWith("0")) {
    return left({ _tag: "AmountMalformed", input: text, reason: "leading-zero" });
  }
  if (fractionDigits.length > currency.exponent) {
    return left({
      _tag: "AmountTooPrecise",
      input: text,
      currency: currency.code,
      exponent: currency.exponent,
      decimals: fractionDigits.length,
    });
  }
  // Minor-unit digits without leading zeros; counted before BigInt sees them, so a huge input
  // costs a string scan and nothing more.
  const minorDigits = (integerDigits + fractionDigits.padEnd(currency.exponent, "0")).replace(
    /^0+/,
    "",
  );
  if (minorDigits.length > AMOUNT_DIGITS_MAX) {
    return left({
      _tag: "AmountTooLarge",
      input: text,
      currency: currency.code,
      digitsMax: AMOUNT_DIGITS_MAX,
    });
  }
  return checkSign(parts, minorDigits === "" ? 0n : BigInt(minorDigits));
}

function checkSign(parts: AmountParts, magnitude: bigint): Either<AmountError, bigint> {
  const { text, currency, sign, negative } = parts;
  if (negative && magnitude === 0n) {
    return left({ _tag: "AmountMalformed", input: text, reason: "negative-zero" });
  }
  if (negative && sign !== "signed") {
    return left({ _tag: "AmountNegative", input: text, currency: currency.code, sign });
  }
  if (magnitude === 0n && sign === "positive") {
    return left({ _tag: "AmountZero", input: text, currency: currency.code });
  }
  return right(negative ? -magnitude : magnitude);
}

// ---------------------------------------------------------------------------------------------
// utils

/** Writes minor units as a decimal string with exactly `exponent` decimals: "12.30", "-0.05", "1200". */
export function formatAmount(minor: bigint, currency: Currency): string {
  assertCurrency(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(currency.exponent + 1, "0");
  const integerPart = digits.slice(0, digits.length - currency.exponent);
  const fractionPart = digits.slice(digits.length - currency.exponent);
  const unsigned = currency.exponent === 0 ? integerPart : `${integerPart}.${fractionPart}`;
  return negative ? `-${unsigned}` : unsigned;
}
