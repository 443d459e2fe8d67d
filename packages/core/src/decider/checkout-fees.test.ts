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
  it("charges the percentage on every release and the fixed part on the first only", () => {
    expect(releaseFeeLines(schedule(290, 30n), 2_000n, true)).toEqual([
      { kind: "percentage", amount: 58n },
      { kind: "fixed", amount: 30n },
    ]);
    expect(releaseFeeLines(schedule(290, 30n), 1_000n, false)).toEqual([
      { kind: "percentage", amount: 29n },
    ]);
  });
  it("never charges more than the gross: the fixed part is capped at what the percentage leaves, and not carried over", () => {
    expect(releaseFeeLines(schedule(5_000, 300n), 100n, true)).toEqual([
      { kind: "percentage", amount: 50n },
      { kind: "fixed", amount: 50n },
    ]);
    expect(releaseFeeLines(schedule(5_000, 300n), 100n, false)).toEqual([
      { kind: "percentage", amount: 50n },
    ]);
    expect(releaseFeeLines(schedule(10_000, 300n), 7n, true)).toEqual([
      { kind: "percentage", amount: 7n },
    ]);
  });
  it("charges nothing without a schedule", () => {
    expect(releaseFeeLines(undefined, 100n, true)).toEqual([]);
  });
});
