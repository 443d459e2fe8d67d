import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import { ledgerEventCodec, type EventOf } from "../events/ledger-event.js";
import { unbalancedCurrencies } from "../ledger/entry.js";
import { iso4217, lookupCurrency } from "../money/index.js";
import { QUOTE_EXPIRES_AT, quoteFx } from "../testing/fx-commands.js";
import { currencyLegs, given, T0 } from "../testing/given-when-then.js";
import { jpy, kwd, usd } from "../testing/money.js";
import { priceConversion, grossForTarget } from "./fx-pricing.js";
import type { FxQuote } from "../state/fx-state.js";

const convert = (
  amount: { currency: string; amount: bigint },
  quoteId = "q1",
  conversionId = "x1",
): LedgerCommand => ({ type: "ConvertCurrency", conversionId, walletId: "w1", quoteId, amount });
const funded = (...amounts: { currency: string; amount: bigint }[]): LedgerCommand[] => [
  { type: "OpenWallet", walletId: "w1", ownerId: "alice" },
  ...amounts.map((amount): LedgerCommand => ({
    type: "DepositFunds",
    walletId: "w1",
    amount,
    channel: "card",
  })),
];

describe("FX quotes", () => {
  it("records the pair, the rate as its decimal string, the fee, and issued-at as the command's time", () => {
    const [event] = given()
      .when(quoteFx("q1", "USD", "JPY", "149.237", 50), T0 + 5)
      .thenEvents();
    expect(event).toEqual({
      type: "FxQuoted",
      quoteId: "q1",
      sourceCurrency: "USD",
      targetCurrency: "JPY",
      rate: "149.237",
      feeBasisPoints: 50,
      issuedAt: T0 + 5,
      expiresAt: QUOTE_EXPIRES_AT,
      postings: [],
    });
  });

  it("refuses a pair of one currency, a malformed or non-positive rate, a whole-amount fee, an expiry in the past and a reused id", () => {
    given()
      .when(quoteFx("q1", "USD", "USD", "1"))
      .thenRejects("FxPairInvalid");
    for (const rate of ["1e3", "-1.2", "0", "0.000", " 1.2", ""])
      expect(
        given()
          .when(quoteFx("q1", "USD", "JPY", rate))
          .thenRejects("RateInvalid").rate,
      ).toBe(rate);
    given()
      .when(quoteFx("q1", "USD", "JPY", "150", 10_000))
      .thenRejects("FeeRateOutOfRange");
    given()
      .when(quoteFx("q1", "USD", "JPY", "150"), QUOTE_EXPIRES_AT)
      .thenRejects("QuoteExpired");
    given(quoteFx("q1", "USD", "JPY", "150"))
      .when(quoteFx("q1", "USD", "EUR", "0.9"))
      .thenRejects("FxQuoteAlreadyExists");
    given()
      .when(quoteFx("q1", "USD", "QQQ", "1.5"))
      .thenRejects("CurrencyUnknown");
  });
});

describe("converting currency", () => {
  it("USD → JPY: source to USD liquidity, fee as its own posting (rounded up), JPY from JPY liquidity (rounded down)", () => {
    // fee = ceil(100.00 × 0.5%) = 0.50; net 99.50 × 149.237 = 14 849.0815 JPY → 14 849
    const [event] = given(...funded(usd("100.00")), quoteFx("q1", "USD", "JPY", "149.237", 50))
      .when(convert(usd("100.00")))
      .thenEvents();
    expect(event).toMatchObject({
      type: "CurrencyConverted",
      rate: "149.237",
      feeBasisPoints: 50,
      source: usd("100.00"),
      fee: usd("0.50"),
      target: jpy("14849"),
      rounding: { fee: "ceiling", target: "floor" },
    });
    expect(currencyLegs(event)).toEqual([
      ["liabilities:wallets:w1:available", "USD", 9950n],
      ["assets:fx-liquidity:USD", "USD", -9950n],
      ["liabilities:wallets:w1:available", "USD", 50n],
      ["income:fees:fx", "USD", -50n],
      ["assets:fx-liquidity:JPY", "JPY", 14849n],
      ["liabilities:wallets:w1:available", "JPY", -14849n],
    ]);
  });

  it("KWD (3 decimals) → JPY (0 decimals): a fee of 3.085 fils rounds up to 4, 598.7025 yen rounds down to 598", () => {
    const [event] = given(...funded(kwd("5.000")), quoteFx("q1", "KWD", "JPY", "486.75", 25))
      .when(convert(kwd("1.234")))
      .thenEvents();
    expect(event).toMatchObject({ source: kwd("1.234"), fee: kwd("0.004"), target: jpy("598") });
  });

  it("JPY → KWD: 333 yen at 0.002057 is 0.684981 KWD, paid as 0.684; no fee posting when the fee is zero", () => {
    const [event] = given(...funded(jpy("1000")), quoteFx("q1", "JPY", "KWD", "0.002057"))
      .when(convert(jpy("333")))
      .thenEvents();
    expect(event).toMatchObject({ fee: jpy("0"), target: kwd("0.684") });
    expect(currencyLegs(event)).toEqual([
      ["liabilities:wallets:w1:available", "JPY", 333n],
      ["assets:fx-liquidity:JPY", "JPY", -333n],
      ["assets:fx-liquidity:KWD", "KWD", 684n],
      ["liabilities:wallets:w1:available", "KWD", -684n],
    ]);
  });

  it("executes a quote until just before it expires, not at or after", () => {
    const setup = [...funded(usd("10.00")), quoteFx("q1", "USD", "JPY", "150")];
    given(...setup)
      .when(convert(usd("1.00")), QUOTE_EXPIRES_AT - 1)
      .thenEvents();
    expect(
      given(...setup)
        .when(convert(usd("1.00")), QUOTE_EXPIRES_AT)
        .thenRejects("QuoteExpired"),
    ).toEqual({
      _tag: "QuoteExpired",
      quoteId: "q1",
      expiresAt: QUOTE_EXPIRES_AT,
      at: QUOTE_EXPIRES_AT,
    });
  });

  it("refuses an unknown quote, the wrong source currency, an amount worth less than one target unit, a reused id", () => {
    const setup = [
      ...funded(usd("10.00"), jpy("100")),
      quoteFx("q1", "USD", "JPY", "150"),
      quoteFx("q2", "JPY", "USD", "0.0067"),
    ];
    given(...setup)
      .when(convert(usd("1.00"), "q9"))
      .thenRejects("FxQuoteNotFound");
    given(...setup)
      .when(convert(jpy("100")))
      .thenRejects("CurrencyMismatch");
    expect(
      given(...setup)
        .when(convert(jpy("1"), "q2"))
        .thenRejects("ConversionTooSmall").amount,
    ).toBe(1n);
    given(...setup, convert(usd("1.00")))
      .when(convert(usd("1.00")))
      .thenRejects("ConversionAlreadyExists");
  });

  it("round-trips through the event codec with the rate as a decimal string on the wire", () => {
    const [event] = given(...funded(kwd("5.000")), quoteFx("q1", "KWD", "JPY", "486.75", 25))
      .when(convert(kwd("1.234")))
      .thenEvents();
    const codec = ledgerEventCodec(iso4217);
    const json = JSON.parse(JSON.stringify(codec.encode(event!))) as Record<string, unknown>;
    expect(json).toMatchObject({
      rate: "486.75",
      source: { currency: "KWD", amount: "1.234" },
      fee: { amount: "0.004" },
      target: { currency: "JPY", amount: "598" },
    });
    expect(codec.decode(json)).toEqual({ _tag: "Right", right: event });
    expect(codec.decode({ ...json, rate: 486.75 })._tag).toBe("Left");
  });

  it("refuses to convert more than is available, or on a frozen wallet", () => {
    const setup = [...funded(usd("10.00")), quoteFx("q1", "USD", "JPY", "150")];
    given(...setup)
      .when(convert(usd("10.01")))
      .thenRejects("InsufficientFunds");
    given(...setup, { type: "FreezeWallet", walletId: "w1", reason: "review" })
      .when(convert(usd("1.00")))
      .thenRejects("WalletFrozen");
  });
});

// ---------------------------------------------------------------------------------------------
// properties

const FX_CURRENCIES = ["USD", "JPY", "KWD", "EUR"] as const;
const exponentOf = (code: string): number => {
  const found = lookupCurrency(iso4217, code);
  if (found._tag === "Left") throw new Error(code);
  return found.right.exponent;
};

/** A rate as a decimal string: 1-12 significant digits, 0-10 decimals. */
const rateText = fc
  .tuple(fc.bigInt(1n, 999_999_999_999n), fc.integer({ min: 0, max: 10 }))
  .map(([digits, scale]) => {
    const text = digits.toString().padStart(scale + 1, "0");
    return scale === 0
      ? text
      : `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`;
  });
const pair = fc
  .tuple(fc.constantFrom(...FX_CURRENCIES), fc.constantFrom(...FX_CURRENCIES))
  .filter(([source, target]) => source !== target);

/** A conversion's terms: a pair, a rate, a fee of up to 5% and an amount from 1 to `amountMax`. */
const conversionTerms = (amountMax: bigint) =>
  fc.tuple(pair, rateText, fc.integer({ min: 0, max: 500 }), fc.bigInt(1n, amountMax));

/** rate = numerator / 10^scale, read exactly from its text. */
function fraction(rate: string): { numerator: bigint; scale: number } {
  const [whole = "", decimals = ""] = rate.split(".");
  return { numerator: BigInt(whole + decimals), scale: decimals.length };
}

describe("conversion properties", () => {
  it("conserve value in each currency, and rounding never favours the customer (fee ≥ exact, target ≤ exact, each by < 1 unit)", () => {
    fc.assert(
      fc.property(
        conversionTerms(10n ** 15n),
        ([[source, target], rate, feeBasisPoints, gross]) => {
          const decision = given(
            ...funded({ currency: source, amount: gross }),
            quoteFx("q1", source, target, rate, feeBasisPoints),
          ).when(convert({ currency: source, amount: gross }));
          let event: EventOf<"CurrencyConverted">;
          try {
            event = decision.thenEvents()[0] as EventOf<"CurrencyConverted">;
          } catch {
            decision.thenRejects("ConversionTooSmall");
            return;
          }
          expect(unbalancedCurrencies(event.postings).size).toBe(0);
          // What left the wallet in the source currency is exactly liquidity plus fee.
          const sourceIn = event.postings
            .filter(
              (p) => p.currency === source && p.account !== "liabilities:wallets:w1:available",
            )
            .reduce((sum, p) => sum - p.amount, 0n);
          expect(sourceIn).toBe(gross);
          const fee = event.fee.amount;
          // fee ≥ gross × bp / 10 000, by less than one unit
          expect(fee * 10_000n >= gross * BigInt(feeBasisPoints)).toBe(true);
          expect((fee - 1n) * 10_000n < gross * BigInt(feeBasisPoints)).toBe(true);
          // target ≤ net × rate exactly, by less than one unit: compare as integers
          const { numerator, scale } = fraction(rate);
          const exact = (gross - fee) * numerator * 10n ** BigInt(exponentOf(target));
          const unit = 10n ** BigInt(scale + exponentOf(source));
          expect(event.target.amount * unit <= exact).toBe(true);
          expect((event.target.amount + 1n) * unit > exact).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("grossForTarget finds the least source amount whose conversion covers a price", () => {
    fc.assert(
      fc.property(conversionTerms(10n ** 9n), ([[source, target], rate, feeBasisPoints, price]) => {
        const fxQuote: FxQuote = {
          id: "q",
          sourceCurrency: source,
          targetCurrency: target,
          rate,
          feeBasisPoints,
          issuedAt: T0,
          expiresAt: QUOTE_EXPIRES_AT,
        };
        const found = grossForTarget(iso4217, fxQuote, price);
        if (found === undefined) return;
        expect(found.target >= price).toBe(true);
        expect(
          found.gross === 1n || priceConversion(iso4217, fxQuote, found.gross - 1n).target < price,
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
