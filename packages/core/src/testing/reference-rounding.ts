/**
 * decimal.js's rounding constants for each rounding mode, written out by number rather than
 * taken from `DECIMAL_ROUNDING` in the code under test, so tests that round through decimal.js
 * as an independent reference cannot share a mistake with it.
 */
import type { Decimal } from "decimal.js";
import type { RoundingMode } from "../money/index.js";

export const REFERENCE_ROUNDING: Readonly<Record<RoundingMode, Decimal.Rounding>> = {
  up: 0,
  down: 1,
  ceiling: 2,
  floor: 3,
  "half-up": 4,
  "half-down": 5,
  "half-even": 6,
};
