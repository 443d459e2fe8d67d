import { describe, expect, it } from "vitest";
import { given, T0 } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";

describe("a first slice", () => {
  it("deposits, holds and captures", () => {
    const events = given(
      { type: "OpenWallet", walletId: "w1", ownerId: "alice" },
      { type: "DepositFunds", walletId: "w1", amount: usd("100.00"), channel: "card" },
      { type: "PlaceHold", holdId: "h1", walletId: "w1", merchantId: "m1", amount: usd("30.00"), expiresAt: T0 + 1000 },
    )
      .when({ type: "CaptureHold", holdId: "h1", amount: usd("20.00"), final: true })
      .thenEvents();
    expect(events[0]?.postings.map((p) => [p.account, p.amount])).toEqual([
      ["liabilities:wallets:w1:held", 2000n],
      ["liabilities:merchants:m1", -2000n],
      ["liabilities:wallets:w1:held", 1000n],
      ["liabilities:wallets:w1:available", -1000n],
    ]);
  });
});
