/**
 * Money: currencies and assets, amounts as bigint minor units, rounding and rates.
 *
 * Only what other modules need is exported here; `assert.ts` and the internal
 * `assertCurrency` stay private to the module.
 */

export {
  ASSET_CODE_PATTERN,
  ASSET_EXPONENT_MAX,
  iso4217,
  lookupCurrency,
  registerAsset,
  type AssetRejection,
  type Currency,
  type CurrencyRegistry,
  type UnknownCurrency,
} from "./currency.js";
export {
  AMOUNT_DIGITS_MAX,
  formatAmount,
  parseAmount,
  type AmountError,
  type AmountMalformedReason,
  type AmountSign,
} from "./amount.js";
export { divideRounded } from "./bigint-division.js";
export { ROUNDING_MODES, type RoundingMode } from "./rounding-mode.js";
export {
  BASIS_POINTS_PER_UNIT,
  DECIMAL_ROUNDING,
  RATE_DIGITS_MAX,
  basisPointsOf,
  convertAmount,
  decimalToMinor,
  minorToDecimal,
  parseRate,
  proportionOf,
  type RateError,
  type RateMalformedReason,
} from "./rounding.js";
