/**
 * Scalar codecs the merchant and checkout families share: a currency code known to the
 * ledger, basis points, a named rounding mode, a fee refund policy and the optional caps of
 * an authorisation. Built per registry where a currency must be known, like `money`.
 */
import * as t from "io-ts";
import { textCodec } from "./primitives.js";
import {
  BASIS_POINTS_PER_UNIT,
  ROUNDING_MODES,
  type CurrencyRegistry,
  type RoundingMode as RoundingModeValue,
} from "../money/index.js";

/** A currency code the ledger's registry knows (a settlement currency, a schedule's currency). */
export const currencyCodeCodec = (registry: CurrencyRegistry): t.Type<string, string, unknown> =>
  textCodec("CurrencyCode", (code) => registry.has(code), "a currency known to this ledger");

/** 0 to 10 000 basis points (0% to 100%), an integer carried as a JSON number (never money). */
export const BasisPoints = new t.Type<number, number, unknown>(
  "BasisPoints",
  (u): u is number => isBasisPoints(u),
  (u, c) =>
    isBasisPoints(u)
      ? t.success(u)
      : t.failure(u, c, "an integer number of basis points from 0 to 10000"),
  t.identity,
);

export function isBasisPoints(u: unknown): u is number {
  return (
    typeof u === "number" && Number.isSafeInteger(u) && u >= 0 && BigInt(u) <= BASIS_POINTS_PER_UNIT
  );
}

export const RoundingModeCodec = new t.Type<RoundingModeValue, string, unknown>(
  "RoundingMode",
  (u): u is RoundingModeValue =>
    typeof u === "string" && (ROUNDING_MODES as readonly string[]).includes(u),
  (u, c) =>
    typeof u === "string" && (ROUNDING_MODES as readonly string[]).includes(u)
      ? t.success(u as RoundingModeValue)
      : t.failure(u, c, `a rounding mode (${ROUNDING_MODES.join(", ")})`),
  t.identity,
);

/** Whether a refund gives the merchant back the matching share of the fee it paid. */
export const FeeRefundPolicy = t.union([t.literal("proportional"), t.literal("none")]);
export type FeeRefundPolicy = t.TypeOf<typeof FeeRefundPolicy>;

/** Who started a payment: the buyer at checkout, or the merchant under an authorisation. */
export const PaymentInitiator = t.union([t.literal("buyer"), t.literal("merchant")]);
export type PaymentInitiator = t.TypeOf<typeof PaymentInitiator>;

/** What released escrow to the merchant. */
export const EscrowReleaseTrigger = t.union([
  t.literal("receipt-confirmed"),
  t.literal("protection-ended"),
  t.literal("dispute-resolved"),
]);
export type EscrowReleaseTrigger = t.TypeOf<typeof EscrowReleaseTrigger>;

export const DisputeOutcome = t.union([t.literal("buyer"), t.literal("merchant")]);
export type DisputeOutcome = t.TypeOf<typeof DisputeOutcome>;
