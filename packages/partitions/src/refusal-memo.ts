/**
 * The refusal a return leg answers for, kept in the return leg's metadata
 * (`pacioli.partitions.refusal`), so that a retry of a reversed transfer gets the same
 * refusal again instead of trying the receive a second time (which, if the target had been
 * reopened meanwhile, would receive money the return already gave back).
 *
 * The memo is JSON with every bigint written as `{"$bigint":"123"}`. Reading it back checks
 * only what the answer needs (an object with a string `_tag`); anything else is not a memo.
 */
import type { Rejection } from "@pacioli/core";

export function encodeRefusal(rejection: Rejection): string {
  return JSON.stringify(rejection, (_, value: unknown) =>
    typeof value === "bigint" ? { $bigint: value.toString() } : value,
  );
}

export function decodeRefusal(text: string): Rejection | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_, value: unknown) => {
      if (typeof value === "object" && value !== null && "$bigint" in value) {
        const digits = (value as { $bigint: unknown }).$bigint;
        if (typeof digits === "string" && /^-?[0-9]+$/.test(digits)) return BigInt(digits);
      }
      return value;
    });
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const tag = (parsed as { _tag?: unknown })._tag;
  return typeof tag === "string" ? (parsed as Rejection) : undefined;
}
