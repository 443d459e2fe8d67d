import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CommandOf, LedgerCommand } from "../commands/ledger-command.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import { balanceOf } from "../ledger/balances.js";
import { ledgerTrialBalance } from "../projections/trial-balance.js";
import {
  capture,
  checkout,
  confirm,
  DAY,
  deposit,
  openWallet,
  refund,
  registerMerchant,
  shop,
} from "../testing/checkout-commands.js";
import { QUOTE_EXPIRES_AT, quoteFx } from "../testing/fx-commands.js";
import { currencyLegs, given, T0 } from "../testing/given-when-then.js";
import { jpy, usd } from "../testing/money.js";
import { evolve } from "../state/evolve.js";
import type { LedgerState } from "../state/ledger-state.js";

const promotion = (
  promotionId: string,
  discount:
    { kind: "fixed"; amount: ReturnType<typeof usd> } | { kind: "percentage"; basisPoints: number },
  budget = usd("7.00"),
): LedgerCommand => ({ type: "CreatePromotion", promotionId, discount, budget });
const fixed5 = promotion("p1", { kind: "fixed", amount: usd("5.00") });
const promoted = (
  orderId: string,
  price: string,
  extra: { promotionId?: string; quoteId?: string; strongAuthentication?: boolean } = {
    promotionId: "p1",
  },
): LedgerCommand => ({
  ...(checkout(orderId, usd(price)) as CommandOf<"Checkout">),
  ...extra,
});
/** Refunds of an order in USD, one after another, named r1, r2, … */
const refundsInParts = (orderId: string, ...amounts: string[]): LedgerCommand[] =>
  amounts.map((amount, index) => refund(orderId, usd(amount), `r${index + 1}`));
const available = (state: LedgerState, currency: string, walletId = "w1") =>
  -balanceOf(state.balances, `liabilities:wallets:${walletId}:available`, currency);
const account = (state: LedgerState, address: string, currency: string) =>
  balanceOf(state.balances, address, currency);

describe("platform-funded promotions at checkout", () => {
  it("holds the full price: the buyer pays price less discount, the promotion expense pays the discount", () => {
    const [event] = given(...shop(), fixed5)
      .when(promoted("o1", "20.00"))
      .thenEvents();
    expect(event).toMatchObject({
      type: "CheckoutStarted",
      amount: usd("20.00"),
      promotion: { promotionId: "p1", discount: usd("5.00") },
    });
    expect(currencyLegs(event)).toEqual([
      ["liabilities:wallets:w1:available", "USD", 1500n],
      ["liabilities:wallets:w1:held", "USD", -1500n],
      ["expenses:promotions:p1", "USD", 500n],
      ["liabilities:wallets:w1:held", "USD", -500n],
    ]);
  });

  it("pays the merchant the full price from escrow", () => {
    const [released] = given(
      ...shop(),
      fixed5,
      promoted("o1", "20.00"),
      capture("o1", usd("20.00"), true),
    )
      .when(confirm("o1"))
      .thenEvents();
    expect(released).toMatchObject({ type: "EscrowReleased", gross: usd("20.00") });
  });

  it("rounds a percentage discount down (the platform funds no fraction of a cent)", () => {
    const [event] = given(...shop(), promotion("p2", { kind: "percentage", basisPoints: 1500 }))
      .when(promoted("o1", "19.99", { promotionId: "p2" }))
      .thenEvents();
    expect(event).toMatchObject({ promotion: { discount: usd("2.99") } }); // 15% of 19.99 = 2.9985
  });

  it("makes an ordinary checkout of a percentage discount that rounds to nothing (recipe §6)", () => {
    const [event] = given(...shop(), promotion("p2", { kind: "percentage", basisPoints: 1000 }))
      .when(promoted("o1", "0.09", { promotionId: "p2" }))
      .thenEvents();
    expect(event).not.toHaveProperty("promotion"); // 10% of 0.09 = 0.009 → 0.00
    expect(currencyLegs(event)).toEqual([
      ["liabilities:wallets:w1:available", "USD", 9n],
      ["liabilities:wallets:w1:held", "USD", -9n],
    ]);
  });

  it("checks strong authentication on the price less the discount (recipe §6–7)", () => {
    const threshold = (amount: string): LedgerCommand => ({
      type: "SetStrongAuthenticationThreshold",
      threshold: usd(amount),
    });
    given(...shop(), fixed5, threshold("15.00"))
      .when(promoted("o1", "20.00"))
      .thenEvents(); // pays 15.00: not above the threshold
    expect(
      given(...shop(), fixed5, threshold("14.99"))
        .when(promoted("o1", "20.00"))
        .thenRejects("StrongAuthenticationRequired"),
    ).toMatchObject({ requested: 1500n });
  });

  it("gives the promotion 1.25 and the buyer 3.75 of a 5.00 refund of a 20.00 order with 5.00 off (recipe §6)", () => {
    const story = [...shop(), fixed5, promoted("o1", "20.00"), capture("o1", usd("20.00"), true)];
    const events = given(...story)
      .when(refund("o1", usd("5.00")))
      .thenEvents();
    expect(events[1]).toMatchObject({ returned: usd("5.00"), promotionShare: usd("1.25") });
  });

  it("never lets the budget go negative", () => {
    const rejection = given(...shop(), fixed5, promoted("o1", "20.00"))
      .when(promoted("o2", "20.00"))
      .thenRejects("PromotionBudgetExhausted");
    expect(rejection).toEqual({
      _tag: "PromotionBudgetExhausted",
      promotionId: "p1",
      remaining: 200n,
      requested: 500n,
    });
  });

  it("refuses a discount of the whole price, an unknown promotion, another currency, and bad terms", () => {
    given(...shop(), fixed5)
      .when(promoted("o1", "5.00"))
      .thenRejects("DiscountNotBelowPrice");
    given(...shop())
      .when(promoted("o1", "20.00"))
      .thenRejects("PromotionNotFound");
    given(...shop(), promotion("pj", { kind: "fixed", amount: jpy("100") }, jpy("1000")))
      .when(promoted("o1", "20.00", { promotionId: "pj" }))
      .thenRejects("CurrencyMismatch");
    given()
      .when(promotion("p3", { kind: "percentage", basisPoints: 10_000 }))
      .thenRejects("FeeRateOutOfRange");
    given()
      .when(promotion("p3", { kind: "fixed", amount: jpy("100") }))
      .thenRejects("CurrencyMismatch");
    given(fixed5).when(fixed5).thenRejects("PromotionAlreadyExists");
  });

  it("on a full refund gives the buyer what they paid and the promotion its discount and budget back", () => {
    const story = [...shop(), fixed5, promoted("o1", "20.00"), capture("o1", usd("20.00"), true)];
    const events = given(...story)
      .when(refund("o1", usd("20.00")))
      .thenEvents();
    expect(events.map((event) => event.type)).toEqual(["OrderRefunded", "CheckoutFundingReturned"]);
    expect(events[1]).toMatchObject({ returned: usd("20.00"), promotionShare: usd("5.00") });
    expect(currencyLegs(events[1])).toEqual([
      ["liabilities:wallets:w1:available", "USD", 500n],
      ["expenses:promotions:p1", "USD", -500n],
    ]);
    const after = given(...story, refund("o1", usd("20.00")));
    expect(available(after.state, "USD")).toBe(10_000n);
    expect(account(after.state, "expenses:promotions:p1", "USD")).toBe(0n);
    after.when(promoted("o2", "20.00")).thenEvents(); // the budget is back
  });

  it("splits a partial refund in proportion, the promotion's share rounded up, and partial refunds add up to the whole", () => {
    const story = [...shop(), fixed5, promoted("o1", "20.00"), capture("o1", usd("20.00"), true)];
    expect(
      given(...story)
        .when(refund("o1", usd("0.03")))
        .thenEvents()[1],
    ).toMatchObject({ promotionShare: usd("0.01") }); // 0.0075 → 0.01
    const after = given(...story, ...refundsInParts("o1", "0.03", "10.00", "9.97"));
    expect(available(after.state, "USD")).toBe(10_000n);
    expect(account(after.state, "expenses:promotions:p1", "USD")).toBe(0n);
  });

  it("records no CheckoutFundingReturned when nothing goes back, yet later shares still count that credit", () => {
    const story = [...shop(), fixed5, promoted("o1", "20.00"), capture("o1", usd("20.00"), true)];
    // 0.01 of 20.00 is 0.0025 of the discount: rounded up to 0.01 the first time, 0 more the second.
    const second = given(...story, refund("o1", usd("0.01"), "r1"))
      .when(refund("o1", usd("0.01"), "r2"))
      .thenEvents();
    expect(second.map((event) => event.type)).toEqual(["OrderRefunded"]);
    // The promotion's share fully returned: a last credit moves nothing back either.
    const allBack = given(...story, refund("o1", usd("19.99"), "r1"));
    expect(allBack.state.orderFunding.get("o1")).toMatchObject({
      returned: 1999n,
      promotionReturned: 500n,
    });
    expect(
      allBack
        .when(refund("o1", usd("0.01"), "r2"))
        .thenEvents()
        .map((event) => event.type),
    ).toEqual(["OrderRefunded"]);
    const after = given(
      ...story,
      refund("o1", usd("0.01"), "r1"),
      refund("o1", usd("0.01"), "r2"),
      refund("o1", usd("19.98"), "r3"),
    );
    expect(after.state.orderFunding.get("o1")).toMatchObject({
      returned: 2000n,
      promotionReturned: 500n,
    });
    expect(available(after.state, "USD")).toBe(10_000n);
    expect(account(after.state, "expenses:promotions:p1", "USD")).toBe(0n);
  });

  it("refuses to grow the hold of a promoted checkout (its price is fixed)", () => {
    given(...shop(), fixed5, promoted("o1", "20.00"))
      .when({ type: "IncreaseHold", holdId: "h-o1", amount: usd("1.00") })
      .thenRejects("HoldBelongsToOrder");
    given(...shop(), checkout("o1", usd("20.00")))
      .when({ type: "IncreaseHold", holdId: "h-o1", amount: usd("1.00") })
      .thenEvents();
  });

  it("returns the discount to the promotion when the hold is released or expires", () => {
    const released = given(...shop(), fixed5, promoted("o1", "20.00"), {
      type: "ReleaseHold",
      holdId: "h-o1",
    });
    expect(available(released.state, "USD")).toBe(10_000n);
    expect(account(released.state, "expenses:promotions:p1", "USD")).toBe(0n);
    const expired = given(...shop(), fixed5, promoted("o1", "20.00"), {
      command: { type: "ExpireHold", holdId: "h-o1" },
      at: T0 + 8 * DAY,
    });
    expect(available(expired.state, "USD")).toBe(10_000n);
  });
});

// ---------------------------------------------------------------------------------------------

const jpyToUsd = quoteFx("q1", "JPY", "USD", "0.0067", 100);
const yenShop: LedgerCommand[] = [
  openWallet(),
  deposit(jpy("20000")),
  registerMerchant(),
  jpyToUsd,
];
const paidInYen = (orderId = "o1", price = "20.00"): LedgerCommand =>
  promoted(orderId, price, { quoteId: "q1" });

describe("cross-currency checkout", () => {
  it("converts the least yen that covers the dollar price, in the checkout's one entry", () => {
    // net 2 986 JPY × 0.0067 = 20.0062 → 20.00 USD (2 985 would give 19.99); gross 3 017 with a 1% fee of 31 (30.17 rounded up)
    const events = given(...yenShop)
      .when(paidInYen())
      .thenEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      amount: usd("20.00"),
      conversion: {
        quoteId: "q1",
        rate: "0.0067",
        source: jpy("3017"),
        fee: jpy("31"),
        target: usd("20.00"),
        rounding: { fee: "ceiling", target: "floor" },
      },
    });
    expect(currencyLegs(events[0])).toEqual([
      ["liabilities:wallets:w1:available", "JPY", 2986n],
      ["assets:fx-liquidity:JPY", "JPY", -2986n],
      ["liabilities:wallets:w1:available", "JPY", 31n],
      ["income:fees:fx", "JPY", -31n],
      ["assets:fx-liquidity:USD", "USD", 2000n],
      ["liabilities:wallets:w1:held", "USD", -2000n],
    ]);
  });

  it("refuses without enough of the source currency, with an expired quote, a quote of another pair, and without a quote", () => {
    expect(
      given(openWallet(), deposit(jpy("3016")), registerMerchant(), jpyToUsd)
        .when(paidInYen())
        .thenRejects("InsufficientFunds"),
    ).toMatchObject({ currency: "JPY", requested: 3017n });
    given(...yenShop)
      .when(paidInYen(), QUOTE_EXPIRES_AT)
      .thenRejects("QuoteExpired");
    given(...yenShop, quoteFx("q2", "JPY", "EUR", "0.0061", 100))
      .when(promoted("o1", "20.00", { quoteId: "q2" }))
      .thenRejects("CurrencyMismatch");
    given(...yenShop)
      .when(checkout("o1", usd("20.00")))
      .thenRejects("InsufficientFunds");
  });

  it("refunds at the original terms by default: a full refund gives back every yen paid", () => {
    const story = [...yenShop, paidInYen(), capture("o1", usd("20.00"), true)];
    const events = given(...story)
      .when(refund("o1", usd("20.00")))
      .thenEvents();
    expect(events[1]).toMatchObject({
      type: "CheckoutFundingReturned",
      conversion: {
        basis: "original",
        quoteId: "q1",
        rate: "0.0067",
        source: jpy("3017"),
        fee: jpy("31"),
      },
    });
    const after = given(...story, refund("o1", usd("20.00")));
    expect(available(after.state, "JPY")).toBe(20_000n);
    expect(available(after.state, "USD")).toBe(0n);
  });

  it("rounds a partial refund at the original terms down, and partial refunds add up to the whole", () => {
    const story = [...yenShop, paidInYen(), capture("o1", usd("20.00"), true)];
    // 5.00 of 20.00: net 2 986 × ¼ = 746.5 → 746, fee 31 × ¼ = 7.75 → 7
    expect(
      given(...story)
        .when(refund("o1", usd("5.00")))
        .thenEvents()[1],
    ).toMatchObject({ conversion: { source: jpy("753"), fee: jpy("7") } });
    const after = given(...story, ...refundsInParts("o1", "5.00", "5.00", "10.00"));
    expect(available(after.state, "JPY")).toBe(20_000n);
  });

  it("refunds at a new quote when the refund names one, and says so", () => {
    const usdToJpy = quoteFx("q2", "USD", "JPY", "150");
    const events = given(...yenShop, paidInYen(), capture("o1", usd("20.00"), true), usdToJpy)
      .when({
        type: "RefundOrder",
        refundId: "r1",
        orderId: "o1",
        amount: usd("20.00"),
        quoteId: "q2",
      })
      .thenEvents();
    expect(events[1]).toMatchObject({
      conversion: { basis: "quote", quoteId: "q2", rate: "150", source: jpy("3000") },
    });
    given(...yenShop, paidInYen(), capture("o1", usd("20.00"), true))
      .when({
        type: "RefundOrder",
        refundId: "r1",
        orderId: "o1",
        amount: usd("20.00"),
        quoteId: "q1",
      })
      .thenRejects("CurrencyMismatch");
  });

  it("returns an expired hold's money in the currency it came from", () => {
    const after = given(...yenShop, paidInYen(), {
      command: { type: "ExpireHold", holdId: "h-o1" },
      at: T0 + 8 * DAY,
    });
    expect(available(after.state, "JPY")).toBe(20_000n);
    expect(available(after.state, "USD")).toBe(0n);
  });

  it("checks limits and strong authentication on what the wallet pays, in its currency", () => {
    const tier: LedgerCommand[] = [
      {
        type: "DefineVerificationTier",
        tierId: "t",
        limits: [{ perTransaction: jpy("3000"), perDay: jpy("10000") }],
      },
      { type: "AssignVerificationTier", walletId: "w1", tierId: "t" },
    ];
    expect(
      given(...yenShop, ...tier)
        .when(paidInYen())
        .thenRejects("SpendingLimitExceeded"),
    ).toMatchObject({ currency: "JPY", requested: 3017n });
    const threshold: LedgerCommand = {
      type: "SetStrongAuthenticationThreshold",
      threshold: jpy("3000"),
    };
    given(...yenShop, threshold)
      .when(paidInYen())
      .thenRejects("StrongAuthenticationRequired");
    given(...yenShop, threshold)
      .when(promoted("o1", "20.00", { quoteId: "q1", strongAuthentication: true }))
      .thenEvents();
  });
});

describe("checkout funding properties", () => {
  it("returns never give the buyer more than they paid, and a full return restores every account", () => {
    const refundParts = fc.array(fc.bigInt(1n, 1_500n), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.bigInt(600n, 5_000n),
        fc.boolean(),
        fc.boolean(),
        refundParts,
        (price, withPromotion, withQuote, parts) => {
          const extra = {
            ...(withPromotion ? { promotionId: "p1" } : {}),
            ...(withQuote ? { quoteId: "q1" } : {}),
          };
          const setup: LedgerCommand[] = [
            openWallet(),
            deposit(jpy("20000000")),
            deposit(usd("1000.00")),
            registerMerchant(),
            jpyToUsd,
            fixed5,
          ];
          const order: LedgerCommand = {
            ...(checkout("o1", { currency: "USD", amount: price }) as CommandOf<"Checkout">),
            ...extra,
          };
          const scenario = given(
            ...setup,
            order,
            capture("o1", { currency: "USD", amount: price }, true),
          );
          const before = { jpy: 20_000_000n, usd: 100_000n };
          let refunded = 0n;
          for (const [index, part] of parts.entries()) {
            const amount = part < price - refunded ? part : price - refunded;
            if (amount <= 0n) break;
            const outcome = scenario.when(refund("o1", { currency: "USD", amount }, `r${index}`));
            refunded += amount;
            foldInto(scenario.state, outcome.thenEvents());
            expect(available(scenario.state, "JPY") <= before.jpy).toBe(true);
            expect(available(scenario.state, "USD") <= before.usd).toBe(true);
          }
          if (refunded < price)
            foldInto(
              scenario.state,
              scenario
                .when(refund("o1", { currency: "USD", amount: price - refunded }, "last"))
                .thenEvents(),
            );
          expect(available(scenario.state, "JPY")).toBe(before.jpy);
          expect(available(scenario.state, "USD")).toBe(before.usd);
          expect(account(scenario.state, "expenses:promotions:p1", "USD")).toBe(0n);
          expect([...ledgerTrialBalance(scenario.state).values()].every((sum) => sum === 0n)).toBe(
            true,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Folds a decision's events into the scenario's state, as the single writer would. */
function foldInto(state: LedgerState, events: LedgerEvent[]): void {
  for (const [index, event] of events.entries()) {
    evolve(state, {
      sequence: state.sequence + 1,
      recordedAt: T0,
      commandId: "prop",
      idempotencyKey: `prop-${state.sequence}`,
      digest: "d",
      indexInCommand: index,
      eventsInCommand: events.length,
      event,
    });
  }
}
