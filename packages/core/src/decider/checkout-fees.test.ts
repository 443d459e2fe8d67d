/** The fee rules docs/reference/commands.md ("Checkout fees, exactly") states, one example each. */
import { describe, expect, it } from "vitest";
import { releaseFeeLines } from "./checkout-fees.js";

const schedule = (basisPoints: number, fixed: bigint) => ({
  currency: "USD",
  basisPoints,
  fixed,
  rounding: "half-up" as const,
  refundFee: "proportional" as const,
});

describe("releaseFeeLines", () => {
  // The percentage is charged on every release, the fixed part on the first only; neither
  // takes more than the gross: the fixed part is capped at what the percentage leaves, and a
  // cut fixed part is not carried over to the next release.
  it.each([
    // [case, basis points, fixed, gross, first release, percentage charged, fixed charged]
    ["first release: both parts", 290, 30n, 2_000n, true, 58n, 30n],
    ["later release: the percentage only", 290, 30n, 1_000n, false, 29n, undefined],
    ["fixed part capped at what the percentage leaves", 5_000, 300n, 100n, true, 50n, 50n],
    ["the cut fixed part not carried over", 5_000, 300n, 100n, false, 50n, undefined],
    ["percentage takes the whole gross: no fixed part", 10_000, 300n, 7n, true, 7n, undefined],
  ] as const)("%s", (_case, basisPoints, fixed, gross, first, percentage, fixedCharged) => {
    expect(releaseFeeLines(schedule(basisPoints, fixed), gross, first)).toEqual([
      { kind: "percentage", amount: percentage },
      ...(fixedCharged === undefined ? [] : [{ kind: "fixed", amount: fixedCharged }]),
    ]);
  });
  it("charges nothing without a schedule", () => {
    expect(releaseFeeLines(undefined, 100n, true)).toEqual([]);
  });
});
