import { describe, expect, it } from "vitest";
import { isRetryable } from "../rejections/rejection.js";
import { dueCommands } from "../projections/due-work.js";
import { MerchantBalanceTransactions } from "../projections/merchant-balance-transactions.js";
import { execute } from "./handle.js";
import { initialState } from "../state/ledger-state.js";
import {
  at,
  capture,
  checkout,
  confirm,
  DAY,
  dispute,
  escrowed,
  refund,
  releaseEscrow,
  ship,
  shop,
} from "../testing/checkout-commands.js";
import { envelope, given, legs, T0 } from "../testing/given-when-then.js";
import { eur, usd } from "../testing/money.js";
import { balanceOf } from "../ledger/balances.js";

const WINDOW_END = T0 + 10 * DAY;

describe("escrow release", () => {
  it("releases escrow to the merchant on confirmed receipt, charging 2.9% + 0.30 to platform revenue", () => {
    const [event] = given(...escrowed())
      .when(confirm("o1"))
      .thenEvents();
    expect(event).toMatchObject({
      type: "EscrowReleased",
      trigger: "receipt-confirmed",
      gross: usd("50.00"),
      fees: [
        { kind: "percentage", amount: usd("1.45") },
        { kind: "fixed", amount: usd("0.30") },
      ],
      net: usd("48.25"),
      feeRefund: "proportional",
    });
    expect(legs(event)).toEqual([
      ["liabilities:escrow:o1", 5000n],
      ["liabilities:merchants:m1", -5000n],
      ["liabilities:merchants:m1", 175n],
      ["income:fees:checkout", -175n],
    ]);
  });

  it("rounds the percentage with the schedule's mode", () => {
    // 2.9% of 10.01 is 0.29029: half-up gives 0.29.
    const [event] = given(
      ...shop(),
      checkout("o1", usd("10.01")),
      capture("o1", usd("10.01"), true),
    )
      .when(confirm("o1"))
      .thenEvents();
    expect(event).toMatchObject({
      fees: [
        { kind: "percentage", amount: usd("0.29") },
        { kind: "fixed", amount: usd("0.30") },
      ],
      net: usd("9.42"),
    });
  });

  it("charges no fee without a schedule for the currency", () => {
    const [event] = given(
      ...shop().slice(0, 3),
      checkout("o1", usd("50.00")),
      capture("o1", usd("50.00"), true),
    )
      .when(confirm("o1"))
      .thenEvents();
    expect(event).toMatchObject({ fees: [], net: usd("50.00"), feeRefund: "none" });
  });

  it("charges the fixed part once per order across split releases", () => {
    // The protection window ends after one day; the hold lives seven: a later capture is released again.
    const split = [
      ...shop(),
      checkout("o1", usd("50.00")),
      capture("o1", usd("20.00")),
      ship("o1", T0 + DAY),
      at(releaseEscrow("o1"), T0 + DAY),
      at(capture("o1", usd("10.00")), T0 + DAY),
    ];
    expect(
      given(...split)
        .when(releaseEscrow("o1"), T0 + DAY)
        .thenEvents()[0],
    ).toMatchObject({ gross: usd("10.00"), fees: [{ kind: "percentage", amount: usd("0.29") }] });
  });

  it("refuses a second receipt confirmation and a capture into escrow after receipt (buyer protection is over)", () => {
    const confirmed = given(
      ...shop(),
      checkout("o1", usd("50.00")),
      capture("o1", usd("20.00")),
      confirm("o1"),
    );
    expect(confirmed.when(confirm("o1")).thenRejects("ReceiptAlreadyConfirmed")).toEqual({
      _tag: "ReceiptAlreadyConfirmed",
      orderId: "o1",
    });
    confirmed.when(capture("o1", usd("10.00"))).thenRejects("ReceiptAlreadyConfirmed");
    // The rest of the hold goes back to the buyer as usual.
    expect(confirmed.when({ type: "ReleaseHold", holdId: "h-o1" }).thenEvents()[0]).toMatchObject({
      released: usd("30.00"),
    });
    expect(isRetryable({ _tag: "ReceiptAlreadyConfirmed", orderId: "o1" })).toBe(false);
  });

  it("rejects a release with nothing captured, nothing left in escrow, or an unknown order", () => {
    given(...shop(), checkout("o1", usd("50.00")))
      .when(confirm("o1"))
      .thenRejects("OrderNotCaptured");
    const empty = given(...escrowed(), dispute("o1"), {
      type: "ResolveDisputeForMerchant",
      disputeId: "d-o1",
    })
      .when(confirm("o1"))
      .thenRejects("EscrowEmpty");
    expect(isRetryable(empty)).toBe(true);
    given(...shop())
      .when(confirm("o9"))
      .thenRejects("OrderNotFound");
  });

  it("fixes the protection window once, when the order ships", () => {
    expect(
      given(...escrowed())
        .when(ship("o1", WINDOW_END))
        .thenEvents()[0],
    ).toEqual({ type: "OrderShipped", orderId: "o1", protectionEndsAt: WINDOW_END, postings: [] });
    given(...escrowed(), ship("o1", WINDOW_END))
      .when(ship("o1", WINDOW_END + DAY))
      .thenRejects("OrderAlreadyShipped");
  });

  it("auto-releases only once the protection window has passed", () => {
    given(...escrowed())
      .when(releaseEscrow("o1"), WINDOW_END)
      .thenRejects("OrderNotShipped");
    const scenario = given(...escrowed(), ship("o1", WINDOW_END));
    const early = scenario
      .when(releaseEscrow("o1"), WINDOW_END - 1)
      .thenRejects("ProtectionWindowOpen");
    expect(isRetryable(early)).toBe(true);
    expect(scenario.when(releaseEscrow("o1"), WINDOW_END).thenEvents()[0]).toMatchObject({
      type: "EscrowReleased",
      trigger: "protection-ended",
      net: usd("48.25"),
    });
  });

  it("the engine's clock drives auto-release through due work, with a deterministic key", () => {
    const scenario = given(...escrowed(), ship("o1", WINDOW_END));
    expect(dueCommands(scenario.state, WINDOW_END - 1)).toEqual([]);
    expect(dueCommands(scenario.state, WINDOW_END)).toEqual([
      {
        idempotencyKey: "release-escrow:o1:5000",
        command: { type: "ReleaseEscrow", orderId: "o1" },
      },
    ]);
    expect(dueCommands(scenario.state, WINDOW_END)).toEqual(
      dueCommands(scenario.state, WINDOW_END + DAY),
    );
  });

  it("an open dispute stops release, by the buyer's confirmation and by the clock", () => {
    const scenario = given(...escrowed(), ship("o1", WINDOW_END), dispute("o1"));
    expect(dueCommands(scenario.state, WINDOW_END + DAY)).toEqual([]);
    expect(
      isRetryable(scenario.when(releaseEscrow("o1"), WINDOW_END).thenRejects("OrderDisputed")),
    ).toBe(true);
    scenario.when(confirm("o1")).thenRejects("OrderDisputed");
  });
});

describe("order refunds", () => {
  it("refunds from escrow before release", () => {
    const [event] = given(...escrowed())
      .when(refund("o1", usd("20.00")))
      .thenEvents();
    expect(event).toMatchObject({
      type: "OrderRefunded",
      fromEscrow: usd("20.00"),
      fromMerchant: usd("0"),
      feeReturned: usd("0"),
    });
    expect(legs(event)).toEqual([
      ["liabilities:escrow:o1", 2000n],
      ["liabilities:wallets:w1:available", -2000n],
    ]);
  });

  it("after release, refunds come from the merchant's balance with the proportional fee returned", () => {
    const [event] = given(...escrowed(), confirm("o1"))
      .when(refund("o1", usd("20.00")))
      .thenEvents();
    // 1.75 fee × 20/50 = 0.70 given back.
    expect(event).toMatchObject({
      fromEscrow: usd("0"),
      fromMerchant: usd("20.00"),
      feeReturned: usd("0.70"),
    });
    expect(legs(event)).toEqual([
      ["income:fees:checkout", 70n],
      ["liabilities:merchants:m1", -70n],
      ["liabilities:merchants:m1", 2000n],
      ["liabilities:wallets:w1:available", -2000n],
    ]);
  });

  it("returns no fee when the schedule says none", () => {
    const [event] = given(...escrowed("none"), confirm("o1"))
      .when(refund("o1", usd("20.00")))
      .thenEvents();
    expect(event).toMatchObject({ fromMerchant: usd("20.00"), feeReturned: usd("0") });
  });

  it("splits a refund between what is left in escrow and the merchant", () => {
    const scenario = given(
      ...shop(),
      checkout("o1", usd("50.00")),
      capture("o1", usd("30.00")),
      ship("o1", T0 + DAY),
      at(releaseEscrow("o1"), T0 + DAY),
      at(capture("o1", usd("20.00"), true), T0 + DAY),
    );
    expect(scenario.when(refund("o1", usd("25.00"))).thenEvents()[0]).toMatchObject({
      fromEscrow: usd("20.00"),
      fromMerchant: usd("5.00"),
    });
  });

  it("returns the whole fee on a full refund, however it was split", () => {
    const scenario = given(
      ...escrowed(),
      confirm("o1"),
      refund("o1", usd("10.00"), "r1"),
      refund("o1", usd("15.00"), "r2"),
    );
    const [last] = scenario.when(refund("o1", usd("25.00"), "r3")).thenEvents();
    const order = scenario.state.orders.get("o1");
    expect(order?.feeReturned).toBeDefined();
    const returnedBefore = order?.feeReturned ?? 0n;
    expect(returnedBefore + (last?.type === "OrderRefunded" ? last.feeReturned.amount : 0n)).toBe(
      175n,
    );
  });

  it("never refunds more than captured, across refunds and disputes", () => {
    const scenario = given(...escrowed(), refund("o1", usd("30.00"), "r1"), dispute("o1"), {
      type: "ResolveDisputeForBuyer",
      disputeId: "d-o1",
      refundId: "r2",
      amount: usd("15.00"),
    });
    const rejection = scenario
      .when(refund("o1", usd("5.01"), "r3"))
      .thenRejects("OrderRefundExceedsCaptured");
    expect(rejection).toMatchObject({ refundable: 500n, requested: 501n });
    given(...shop(), checkout("o1", usd("50.00")))
      .when(refund("o1", usd("0.01")))
      .thenRejects("OrderRefundExceedsCaptured");
  });

  it("rejects a reused refund id and a refund in another currency", () => {
    given(...escrowed(), refund("o1", usd("1.00"), "r1"))
      .when(refund("o1", usd("1.00"), "r1"))
      .thenRejects("RefundAlreadyIssued");
    given(...escrowed())
      .when(refund("o1", eur("1.00")))
      .thenRejects("CurrencyMismatch");
  });

  it("does not drive the merchant's balance negative unless its settings allow it", () => {
    // Fee refunds "none": the merchant holds 48.25 after release and owes the buyer 50.00.
    const rejection = given(...escrowed("none"), confirm("o1"))
      .when(refund("o1", usd("50.00")))
      .thenRejects("MerchantBalanceInsufficient");
    expect(rejection).toMatchObject({ balance: 4825n, requested: 5000n });
    const allowed = given(...escrowed("none", true), confirm("o1"));
    expect(allowed.when(refund("o1", usd("50.00"))).thenEvents()).toHaveLength(1);
    const switched = given(
      ...escrowed("none"),
      confirm("o1"),
      { type: "SetMerchantNegativeBalance", merchantId: "m1", allowed: true },
      refund("o1", usd("50.00")),
    );
    expect(-balanceOf(switched.state.balances, "liabilities:merchants:m1", "USD")).toBe(-175n);
  });
});

describe("merchant balance transactions", () => {
  it("read every merchant balance change as gross, fee lines and net", () => {
    const state = initialState();
    const projection = new MerchantBalanceTransactions();
    const story = [
      ...escrowed(),
      ship("o1", WINDOW_END),
      at(releaseEscrow("o1"), WINDOW_END),
      at(refund("o1", usd("20.00")), WINDOW_END + 1),
    ];
    for (const item of story) {
      const [command, time] = "command" in item ? [item.command, item.at] : [item, T0];
      const result = execute(state, envelope(command, time));
      if (result._tag === "Left" || result.right._tag !== "Accepted")
        throw new Error(`rejected ${command.type}`);
      for (const recorded of result.right.events) projection.apply(recorded);
    }
    const lines = projection
      .of("m1")
      .map(({ type, source, gross, fees, net }) => ({ type, source, gross, fees, net }));
    expect(lines).toEqual([
      {
        type: "EscrowReleased",
        source: "o1",
        gross: 5000n,
        fees: [
          { kind: "percentage", amount: 145n },
          { kind: "fixed", amount: 30n },
        ],
        net: 4825n,
      },
      {
        type: "OrderRefunded",
        source: "o1",
        gross: -2000n,
        fees: [{ kind: "refund", amount: -70n }],
        net: -1930n,
      },
    ]);
    const net = lines.reduce((sum, line) => sum + line.net, 0n);
    expect(net).toBe(-balanceOf(state.balances, "liabilities:merchants:m1", "USD"));
  });
});
