/**
 * Rates on the wire and in memory: the decimal string itself ("7.2345", "0.0068"), checked
 * by `parseRate` at the edge. A rate is never a JSON number, so no digit is lost to a float
 * between the rate provider and the ledger.
 */
import * as t from "io-ts";
import { parseRate } from "../money/index.js";

export const RateText = new t.Type<string, string, unknown>(
  "Rate",
  (u): u is string => typeof u === "string" && parseRate(u)._tag === "Right",
  (u, c) => {
    if (typeof u !== "string")
      return t.failure(u, c, 'a rate as a decimal string such as "7.2345"');
    const parsed = parseRate(u);
    return parsed._tag === "Right"
      ? t.success(u)
      : t.failure(u, c, `a positive decimal rate (${parsed.left._tag})`);
  },
  t.identity,
);
