import { describe, expect, it } from "vitest";
import type { CommandOf } from "../commands/ledger-command.js";
import { dueCommands } from "../projections/due-work.js";
import {
  capture,
  checkout,
  DAY,
  escrowed,
  openWallet,
  registerMerchant,
  shop,
} from "../testing/checkout-commands.js";
import { given, legs, T0 } from "../testing/given-when-then.js";
import { eur, usd } from "../testing/money.js";

describe("checkout", () => {
  it("places a hold on the buyer's wallet for the order amount", () => {
    const [event] = given(...shop())
      .when(checkout("o1", usd("50.00")))
      .thenEvents();
    expect(event).toMatchObject({
      type: "CheckoutStarted",
      orderId: "o1",
      holdId: "h-o1",
      initiatedBy: "buyer",
    });
    expect(legs(event)).toEqual([
      ["liabilities:wallets:w1:available", 5000n],
      ["liabilities:wallets:w1:held", -5000n],
    ]);
  });

  it("rejects by precedence: ids, wallet, merchant, lifecycle, deadline, currency, funds", () => {
    given(...shop(), checkout("o1", usd("1.00")))
      .when(checkout("o1", usd("1.00")))
      .thenRejects("OrderAlreadyExists");
    given(...shop(), checkout("o1", usd("1.00")))
      .when({ ...(checkout("o2", usd("1.00")) as CommandOf<"Checkout">), holdId: "h-o1" })
      .thenRejects("HoldAlreadyExists");
    given(...shop())
      .when(checkout("o1", usd("1.00"), { walletId: "w9" }))
      .thenRejects("WalletNotFound");
    given(openWallet())
      .when(checkout("o1", usd("1.00")))
      .thenRejects("MerchantNotFound");
    given(...shop(), { type: "FreezeWallet", walletId: "w1", reason: "review" })
      .when(checkout("o1", usd("1.00")))
      .thenRejects("WalletFrozen");
    given(...shop())
      .when(checkout("o1", usd("1.00"), { expiresAt: T0 }))
      .thenRejects("HoldExpired");
    given(...shop())
      .when(checkout("o1", eur("1.00")))
      .thenRejects("CurrencyMismatch");
    given(...shop())
      .when(checkout("o1", usd("100.01")))
      .thenRejects("InsufficientFunds");
    given(...shop())
      .when(checkout("o1", usd("0")))
      .thenRejects("AmountNotPositive");
  });

  it("captures into the order's escrow, not to the merchant", () => {
    const [event] = given(...shop(), checkout("o1", usd("50.00")))
      .when(capture("o1", usd("20.00")))
      .thenEvents();
    expect(legs(event)).toEqual([
      ["liabilities:wallets:w1:held", 2000n],
      ["liabilities:escrow:o1", -2000n],
    ]);
  });

  it("captures partially and several times; a final capture returns the remainder", () => {
    const scenario = given(...shop(), checkout("o1", usd("50.00")), capture("o1", usd("20.00")));
    const [event] = scenario.when(capture("o1", usd("10.00"), true)).thenEvents();
    expect(event).toMatchObject({ type: "HoldCaptured", final: true, released: usd("20.00") });
    expect(legs(event)).toEqual([
      ["liabilities:wallets:w1:held", 1000n],
      ["liabilities:escrow:o1", -1000n],
      ["liabilities:wallets:w1:held", 2000n],
      ["liabilities:wallets:w1:available", -2000n],
    ]);
    scenario.when(capture("o1", usd("30.01"))).thenRejects("CaptureExceedsHold");
  });

  it("a capture after the deadline is rejected, and the expired hold's funds return", () => {
    const scenario = given(
      ...shop(),
      checkout("o1", usd("50.00"), { expiresAt: T0 + DAY }),
      capture("o1", usd("20.00")),
    );
    scenario.when(capture("o1", usd("10.00")), T0 + DAY).thenRejects("HoldExpired");
    expect(dueCommands(scenario.state, T0 + DAY - 1).map((due) => due.command.type)).not.toContain(
      "ExpireHold",
    );
    expect(dueCommands(scenario.state, T0 + DAY)).toContainEqual({
      idempotencyKey: "expire-hold:h-o1",
      command: { type: "ExpireHold", holdId: "h-o1" },
    });
    const [expired] = scenario.when({ type: "ExpireHold", holdId: "h-o1" }, T0 + DAY).thenEvents();
    expect(expired).toMatchObject({ type: "HoldExpired", released: usd("30.00") });
    expect(legs(expired)).toEqual([
      ["liabilities:wallets:w1:held", 3000n],
      ["liabilities:wallets:w1:available", -3000n],
    ]);
  });

  it("an order's hold is refunded only through its order (RefundCapture cannot bypass escrow and fee accounting)", () => {
    const rejection = given(...escrowed())
      .when({ type: "RefundCapture", refundId: "r1", holdId: "h-o1", amount: usd("1.00") })
      .thenRejects("HoldBelongsToOrder");
    expect(rejection.orderId).toBe("o1");
  });

  it("direct holds still pay the merchant on capture", () => {
    const [event] = given(...shop(), {
      type: "PlaceHold",
      holdId: "h1",
      walletId: "w1",
      merchantId: "m1",
      amount: usd("5.00"),
      expiresAt: T0 + DAY,
    })
      .when({ type: "CaptureHold", holdId: "h1", amount: usd("5.00"), final: true })
      .thenEvents();
    expect(legs(event)).toEqual([
      ["liabilities:wallets:w1:held", 500n],
      ["liabilities:merchants:m1", -500n],
    ]);
  });

  it("checkout needs the merchant registered; another merchant's currency is its own", () => {
    const scenario = given(
      openWallet(),
      { type: "DepositFunds", walletId: "w1", amount: eur("10.00"), channel: "card" },
      {
        type: "RegisterMerchant",
        merchantId: "m2",
        settlementCurrency: "EUR",
        allowNegativeBalance: false,
      },
    );
    expect(
      scenario.when(checkout("o1", eur("10.00"), { merchantId: "m2" })).thenEvents(),
    ).toHaveLength(1);
    given(registerMerchant(), openWallet())
      .when(checkout("o1", usd("1.00"), { merchantId: "m2" }))
      .thenRejects("MerchantNotFound");
  });
});
