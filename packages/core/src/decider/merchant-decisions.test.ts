import { describe, expect, it } from "vitest";
import { isRetryable } from "../rejections/rejection.js";
import {
  checkout,
  DAY,
  deposit,
  openWallet,
  registerMerchant,
  shop,
} from "../testing/checkout-commands.js";
import { given, T0 } from "../testing/given-when-then.js";
import { eur, usd } from "../testing/money.js";

const agreement = (
  extra: {
    perPaymentCap?: ReturnType<typeof usd>;
    perDayCap?: ReturnType<typeof usd>;
    walletId?: string;
    agreementId?: string;
  } = {},
) => ({
  type: "AuthorizeMerchant" as const,
  agreementId: extra.agreementId ?? "a1",
  walletId: extra.walletId ?? "w1",
  merchantId: "m1",
  ...(extra.perPaymentCap === undefined ? {} : { perPaymentCap: extra.perPaymentCap }),
  ...(extra.perDayCap === undefined ? {} : { perDayCap: extra.perDayCap }),
});

describe("merchants", () => {
  it("registers a merchant with its settlement currency and negative-balance setting", () => {
    const [event] = given().when(registerMerchant("m1", true)).thenEvents();
    expect(event).toEqual({
      type: "MerchantRegistered",
      merchantId: "m1",
      settlementCurrency: "USD",
      allowNegativeBalance: true,
      postings: [],
    });
  });

  it("rejects a merchant registered twice, and an unknown settlement currency", () => {
    given(registerMerchant()).when(registerMerchant()).thenRejects("MerchantAlreadyExists");
    given()
      .when({
        type: "RegisterMerchant",
        merchantId: "m1",
        settlementCurrency: "XXZ",
        allowNegativeBalance: false,
      })
      .thenRejects("CurrencyUnknown");
  });

  it("changes whether the balance may go negative", () => {
    const scenario = given(registerMerchant());
    expect(
      scenario
        .when({ type: "SetMerchantNegativeBalance", merchantId: "m1", allowed: true })
        .thenEvents()[0]?.type,
    ).toBe("MerchantNegativeBalanceSet");
    given()
      .when({ type: "SetMerchantNegativeBalance", merchantId: "m9", allowed: true })
      .thenRejects("MerchantNotFound");
  });

  it("sets a fee schedule per currency and rejects a rate above 100%", () => {
    const base = {
      type: "SetFeeSchedule" as const,
      merchantId: "m1",
      fixed: usd("0.30"),
      rounding: "half-up" as const,
      refundFee: "none" as const,
    };
    expect(
      given(registerMerchant())
        .when({ ...base, basisPoints: 290 })
        .thenEvents()[0],
    ).toMatchObject({ type: "FeeScheduleSet", basisPoints: 290 });
    given(registerMerchant())
      .when({ ...base, basisPoints: 10_001 })
      .thenRejects("FeeRateOutOfRange");
    given()
      .when({ ...base, basisPoints: 290 })
      .thenRejects("MerchantNotFound");
  });
});

describe("authorisations", () => {
  it("a wallet authorises a merchant, with caps", () => {
    const [event] = given(...shop())
      .when(agreement({ perPaymentCap: usd("20.00"), perDayCap: usd("30.00") }))
      .thenEvents();
    expect(event).toMatchObject({
      type: "MerchantAuthorized",
      agreementId: "a1",
      perPaymentCap: usd("20.00"),
      perDayCap: usd("30.00"),
    });
  });

  it("rejects a duplicate agreement, an unknown wallet or merchant, and a cap that is not positive", () => {
    given(...shop(), agreement())
      .when(agreement())
      .thenRejects("AgreementAlreadyExists");
    given(...shop())
      .when(agreement({ walletId: "w9" }))
      .thenRejects("WalletNotFound");
    given(openWallet()).when(agreement()).thenRejects("MerchantNotFound");
    given(...shop())
      .when(agreement({ perPaymentCap: usd("0") }))
      .thenRejects("AmountNotPositive");
  });

  it("revokes once; an unknown agreement is not found", () => {
    expect(
      given(...shop(), agreement())
        .when({ type: "RevokeAuthorization", agreementId: "a1" })
        .thenEvents()[0]?.type,
    ).toBe("AuthorizationRevoked");
    given(...shop(), agreement(), { type: "RevokeAuthorization", agreementId: "a1" })
      .when({ type: "RevokeAuthorization", agreementId: "a1" })
      .thenRejects("AgreementRevoked");
    given()
      .when({ type: "RevokeAuthorization", agreementId: "a9" })
      .thenRejects("AgreementNotFound");
  });

  it("a merchant-initiated checkout needs an active agreement of this wallet with this merchant", () => {
    given(...shop())
      .when(checkout("o1", usd("10.00"), { initiatedBy: "merchant" }))
      .thenRejects("MerchantNotAuthorized");
    given(...shop())
      .when(checkout("o1", usd("10.00"), { agreementId: "a1" }))
      .thenRejects("MerchantNotAuthorized");
    given(...shop(), openWallet("w2"), agreement({ walletId: "w2" }))
      .when(checkout("o1", usd("10.00"), { agreementId: "a1" }))
      .thenRejects("MerchantNotAuthorized");
    given(...shop(), agreement(), { type: "RevokeAuthorization", agreementId: "a1" })
      .when(checkout("o1", usd("10.00"), { agreementId: "a1" }))
      .thenRejects("AgreementRevoked");
    const [event] = given(...shop(), agreement())
      .when(checkout("o1", usd("10.00"), { agreementId: "a1" }))
      .thenEvents();
    expect(event).toMatchObject({
      type: "CheckoutStarted",
      initiatedBy: "merchant",
      agreementId: "a1",
    });
  });

  it("a buyer-initiated checkout needs no agreement", () => {
    expect(
      given(...shop())
        .when(checkout("o1", usd("10.00")))
        .thenEvents()[0]?.type,
    ).toBe("CheckoutStarted");
  });

  it("enforces the per-payment cap in the cap's currency", () => {
    const scenario = given(...shop(), agreement({ perPaymentCap: usd("20.00") }));
    expect(
      scenario.when(checkout("o1", usd("20.00"), { agreementId: "a1" })).thenEvents(),
    ).toHaveLength(1);
    const rejection = scenario
      .when(checkout("o1", usd("20.01"), { agreementId: "a1" }))
      .thenRejects("PaymentCapExceeded");
    expect(rejection).toMatchObject({ cap: 2000n, requested: 2001n });
    expect(isRetryable(rejection)).toBe(false);
    scenario
      .when(checkout("o1", eur("1.00"), { agreementId: "a1" }))
      .thenRejects("CurrencyMismatch");
  });

  it("enforces the per-day cap per UTC day of the command's time", () => {
    // T0 is 2026-09-21T…; find the next UTC midnight so the boundary is exact.
    const midnight = Math.ceil(T0 / DAY) * DAY;
    const lastMinute = midnight - 60_000;
    const scenario = given(...shop(), agreement({ perDayCap: usd("30.00") }), {
      command: checkout("o1", usd("20.00"), { agreementId: "a1", expiresAt: midnight + 7 * DAY }),
      at: lastMinute,
    });
    const sameDay = scenario
      .when(
        checkout("o2", usd("10.01"), { agreementId: "a1", expiresAt: midnight + 7 * DAY }),
        midnight - 1,
      )
      .thenRejects("DailyCapExceeded");
    expect(sameDay).toMatchObject({ cap: 3000n, usedToday: 2000n, requested: 1001n });
    expect(isRetryable(sameDay)).toBe(true);
    expect(
      scenario
        .when(
          checkout("o2", usd("10.00"), { agreementId: "a1", expiresAt: midnight + 7 * DAY }),
          midnight - 1,
        )
        .thenEvents(),
    ).toHaveLength(1);
    expect(
      scenario
        .when(
          checkout("o2", usd("30.00"), { agreementId: "a1", expiresAt: midnight + 7 * DAY }),
          midnight,
        )
        .thenEvents(),
    ).toHaveLength(1);
  });

  it("revoking does not cancel holds already placed: they can still be captured", () => {
    const scenario = given(
      ...shop(),
      deposit(usd("1.00")),
      agreement(),
      checkout("o1", usd("10.00"), { agreementId: "a1" }),
      { type: "RevokeAuthorization", agreementId: "a1" },
    );
    expect(scenario.state.holds.get("h-o1")?.status).toBe("open");
    expect(
      scenario
        .when({ type: "CaptureHold", holdId: "h-o1", amount: usd("10.00"), final: true })
        .thenEvents()[0]?.type,
    ).toBe("HoldCaptured");
  });
});
