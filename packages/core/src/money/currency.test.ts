import fc from "fast-check";
import { isLeft, isRight, left, right } from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import {
  iso4217,
  lookupCurrency,
  registerAsset,
  type Currency,
  type CurrencyRegistry,
} from "./currency.js";

function exponentOf(code: string): number | undefined {
  return iso4217.get(code)?.exponent;
}

function contents(registry: CurrencyRegistry): Array<[string, Currency]> {
  return [...registry.entries()].sort(([a], [b]) => a.localeCompare(b));
}

describe("iso4217", () => {
  it.each([
    ["JPY", 0],
    ["KRW", 0],
    ["CLP", 0],
    ["ISK", 0],
    ["VND", 0],
    ["XAF", 0],
    ["XOF", 0],
    ["XPF", 0],
    ["UGX", 0],
    ["PYG", 0],
    ["UYI", 0],
    ["USD", 2],
    ["EUR", 2],
    ["CNY", 2],
    ["GBP", 2],
    ["XCG", 2],
    ["ZWG", 2],
    ["SLE", 2],
    ["VED", 2],
    ["XAD", 2],
    ["BHD", 3],
    ["KWD", 3],
    ["JOD", 3],
    ["OMR", 3],
    ["TND", 3],
    ["IQD", 3],
    ["LYD", 3],
    ["CLF", 4],
    ["UYW", 4],
  ])("%s has exponent %i", (code, exponent) => {
    expect(exponentOf(code)).toBe(exponent);
  });

  it.each([
    "XAU",
    "XAG",
    "XPT",
    "XPD",
    "XBA",
    "XBB",
    "XBC",
    "XBD",
    "XDR",
    "XSU",
    "XUA",
    "XTS",
    "XXX",
  ])("excludes %s, whose minor unit is N.A.", (code) => {
    expect(iso4217.has(code)).toBe(false);
  });

  it.each(["ANG", "CUC", "HRK", "SLL", "VEF", "ZWL", "MRO", "STD", "LTL"])(
    "excludes withdrawn %s",
    (code) => {
      expect(iso4217.has(code)).toBe(false);
    },
  );

  it("keys every currency by its own three-letter code, with a small integer exponent", () => {
    expect(iso4217.size).toBe(166);
    for (const [code, currency] of iso4217) {
      expect(currency.code).toBe(code);
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(currency.exponent);
    }
  });
});

describe("lookupCurrency", () => {
  it("finds a known code and names an unknown one", () => {
    expect(lookupCurrency(iso4217, "KWD")).toEqual(right({ code: "KWD", exponent: 3 }));
    expect(lookupCurrency(iso4217, "usd")).toEqual(left({ _tag: "UnknownCurrency", code: "usd" }));
    expect(lookupCurrency(iso4217, "XAU")).toEqual(left({ _tag: "UnknownCurrency", code: "XAU" }));
  });
});

describe("registerAsset", () => {
  it.each(["usd", "US", "1AB", "_AB", "US-D", "USD ", "", "A".repeat(17), "ÜSD"])(
    "rejects code %j",
    (code) => {
      expect(registerAsset(iso4217, { code, exponent: 2 })).toEqual(
        left({ _tag: "AssetCodeInvalid", code }),
      );
    },
  );

  it.each([-1, 19, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects exponent %s",
    (exponent) => {
      expect(registerAsset(iso4217, { code: "POINTS", exponent })).toEqual(
        left({ _tag: "AssetExponentInvalid", code: "POINTS", exponent }),
      );
    },
  );

  it("adds a new asset to a new registry and leaves the old one untouched", () => {
    const result = registerAsset(iso4217, { code: "XAU_MG", exponent: 0 });
    expect(isRight(result)).toBe(true);
    if (isLeft(result)) return;
    expect(lookupCurrency(result.right, "XAU_MG")).toEqual(right({ code: "XAU_MG", exponent: 0 }));
    expect(result.right.size).toBe(iso4217.size + 1);
    expect(iso4217.has("XAU_MG")).toBe(false);
  });

  it("accepts the bounds: 3 and 16 characters, exponents 0 and 18", () => {
    expect(isRight(registerAsset(iso4217, { code: "ABC", exponent: 0 }))).toBe(true);
    expect(isRight(registerAsset(iso4217, { code: "A".repeat(16), exponent: 18 }))).toBe(true);
  });

  it("accepts an identical re-registration and rejects a different exponent", () => {
    expect(registerAsset(iso4217, { code: "USD", exponent: 2 })).toEqual(right(iso4217));
    expect(registerAsset(iso4217, { code: "USD", exponent: 6 })).toEqual(
      left({ _tag: "AssetAlreadyDefined", code: "USD", exponent: 6, existingExponent: 2 }),
    );
  });

  it("does not let the caller's object change the registry afterwards", () => {
    const asset = { code: "USDC", exponent: 6 };
    const result = registerAsset(iso4217, asset);
    if (isLeft(result)) throw new Error("expected a registry");
    asset.exponent = 2;
    expect(result.right.get("USDC")?.exponent).toBe(6);
  });

  it("accepts a code if and only if it has the asset-code shape", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (code) => {
        const accepted = isRight(registerAsset(new Map(), { code, exponent: 2 }));
        const shaped =
          code.length >= 3 && code.length <= 16 && /^[A-Z]/.test(code) && /^[A-Z0-9_]+$/.test(code);
        expect(accepted).toBe(shaped);
      }),
    );
  });

  it("registers any valid asset exactly once; a second identical call changes nothing", () => {
    const code = fc.stringMatching(/^[A-Z][A-Z0-9_]{2,15}$/).filter((c) => !iso4217.has(c));
    fc.assert(
      fc.property(
        code,
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 18 }),
        (c, exponent, other) => {
          const once = registerAsset(iso4217, { code: c, exponent });
          if (isLeft(once)) throw new Error("expected a registry");
          const twice = registerAsset(once.right, { code: c, exponent });
          if (isLeft(twice)) throw new Error("expected a registry");
          expect(contents(twice.right)).toEqual(contents(once.right));
          const changed = registerAsset(once.right, { code: c, exponent: other });
          expect(isRight(changed)).toBe(other === exponent);
        },
      ),
    );
  });
});
