/**
 * Currencies and custom assets: a code and the number of decimal places of its minor unit.
 *
 * An amount is only meaningful next to its exponent (1234n is 12.34 USD, 1234 JPY, 1.234 KWD),
 * so every amount operation takes a `Currency`, and currencies come from a registry that the
 * ledger owns. The registry is an immutable value: `registerAsset` returns a new one, so a
 * registry can sit in decided state and be folded by events like anything else, and replaying
 * the same events always yields the same registry.
 *
 * `iso4217` starts every ledger with the standard's currencies (see `iso4217-table.ts` for
 * what is included and why). Custom assets (loyalty points, stablecoins, gold in grams)
 * declare their own exponent, up to 18 decimal places, which covers ERC-20 tokens.
 */

import { left, right, type Either } from "fp-ts/lib/Either.js";
import { assert } from "../assertion.js";
import { ISO_4217_EXPONENTS } from "./iso4217-table.js";

// ---------------------------------------------------------------------------------------------
// model

export interface Currency {
  readonly code: string;
  /** Decimal places of the minor unit: 2 for USD (cents), 0 for JPY, 3 for KWD (fils). */
  readonly exponent: number;
}

/** Code → currency. Read-only by type; change it only through `registerAsset`. */
export type CurrencyRegistry = ReadonlyMap<string, Currency>;

export type AssetRejection =
  | { readonly _tag: "AssetCodeInvalid"; readonly code: string }
  | { readonly _tag: "AssetExponentInvalid"; readonly code: string; readonly exponent: number }
  | {
      readonly _tag: "AssetAlreadyDefined";
      readonly code: string;
      readonly exponent: number;
      readonly existingExponent: number;
    };

export interface UnknownCurrency {
  readonly _tag: "UnknownCurrency";
  readonly code: string;
}

// ---------------------------------------------------------------------------------------------
// limits

/**
 * Upper-case letter first, then 2 to 15 upper-case letters, digits or underscores: ISO codes
 * fit, as do `USDC`, `POINTS` and `XAU_MG`; lower case and punctuation are out so that a code
 * reads the same in every journal export (hledger, beancount) and never needs quoting.
 */
export const ASSET_CODE_PATTERN = /^[A-Z][A-Z0-9_]{2,15}$/;

/** 18 decimal places covers ERC-20 tokens (wei); more would add nothing a ledger books. */
export const ASSET_EXPONENT_MAX = 18;

// ---------------------------------------------------------------------------------------------
// constructors

function buildIso4217(): CurrencyRegistry {
  const registry = new Map<string, Currency>();
  for (const [code, exponent] of Object.entries(ISO_4217_EXPONENTS)) {
    assert(isValidExponent(exponent), `iso4217 table: bad exponent for ${code}`);
    registry.set(code, Object.freeze({ code, exponent }));
  }
  return registry;
}

/** Every active ISO 4217 currency with a minor unit. */
export const iso4217: CurrencyRegistry = buildIso4217();

/**
 * Adds a custom asset (or re-states an existing one) and returns the new registry. The given
 * registry is never changed. Re-registering the exact definition already present succeeds and
 * returns the registry unchanged, so replaying an `AssetRegistered` event twice is harmless;
 * changing an existing exponent is rejected, because it would silently rescale every balance
 * already booked in that code.
 */
export function registerAsset(
  registry: CurrencyRegistry,
  asset: Currency,
): Either<AssetRejection, CurrencyRegistry> {
  if (!ASSET_CODE_PATTERN.test(asset.code)) {
    return left({ _tag: "AssetCodeInvalid", code: asset.code });
  }
  if (!isValidExponent(asset.exponent)) {
    return left({ _tag: "AssetExponentInvalid", code: asset.code, exponent: asset.exponent });
  }
  const existing = registry.get(asset.code);
  if (existing !== undefined) {
    return existing.exponent === asset.exponent
      ? right(registry)
      : left({
          _tag: "AssetAlreadyDefined",
          code: asset.code,
          exponent: asset.exponent,
          existingExponent: existing.exponent,
        });
  }
  const next = new Map(registry);
  // Copy so that a caller mutating its own object later cannot change the registry.
  next.set(asset.code, Object.freeze({ code: asset.code, exponent: asset.exponent }));
  return right(next);
}

// ---------------------------------------------------------------------------------------------
// utils

export function lookupCurrency(
  registry: CurrencyRegistry,
  code: string,
): Either<UnknownCurrency, Currency> {
  const currency = registry.get(code);
  return currency === undefined ? left({ _tag: "UnknownCurrency", code }) : right(currency);
}

function isValidExponent(exponent: number): boolean {
  return Number.isInteger(exponent) && exponent >= 0 && exponent <= ASSET_EXPONENT_MAX;
}

/**
 * Internal (not exported from the package): a `Currency` reaching arithmetic must have come
 * from a registry, so a bad exponent here is a bug, not input.
 */
export function assertCurrency(currency: Currency): void {
  assert(
    isValidExponent(currency.exponent),
    `currency ${currency.code}: bad exponent ${currency.exponent}`,
  );
}
