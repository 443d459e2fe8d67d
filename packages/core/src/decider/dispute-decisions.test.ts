import { describe, expect, it } from "vitest";
import { dueCommands } from "../projections/due-work.js";
import {
  checkout,
  confirm,
  DAY,
  dispute,
  escrowed,
  refund,
  ship,
  shop,
} from "../testing/checkout-commands.js";
import { given, legs, T0 } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";

const WINDOW_END = T0 + 10 * DAY;
const forBuyer = (amount = usd("50.00"), refundId = "r1") => ({
  type: "ResolveDisputeForBuyer" as const,
  disputeId: "d-o1",
  refundId,
  amount,
});
const forMerchant = { type: "ResolveDisputeForMerchant" as const, disputeId: "d-o1" };

describe("opening a dispute", () => {
  it("opens on an escrowed order, moving no money", () => {
    expect(
      given(...escrowed())
        .when(dispute("o1"))
        .thenEvents(),
    ).toEqual([
      {
        type: "DisputeOpened",
        disputeId: "d-o1",
        orderId: "o1",
        reason: "item not as described",
        postings: [],
      },
    ]);
  });

  it("opens on a released order while its window is open (escrow released by an earlier dispute)", () => {
    const released = given(...escrowed(), ship("o1", WINDOW_END), dispute("o1"), forMerchant);
    expect(released.when(dispute("o1", "d2"), WINDOW_END - 1).thenEvents()).toHaveLength(1);
  });

  it("is rejected once the buyer confirmed receipt: buyer protection ends there (the seed's rule)", () => {
    const rejection = given(...escrowed(), ship("o1", WINDOW_END), confirm("o1"))
      .when(dispute("o1"), WINDOW_END - 1)
      .thenRejects("ReceiptAlreadyConfirmed");
    expect(rejection).toEqual({ _tag: "ReceiptAlreadyConfirmed", orderId: "o1" });
    // Precedence: an open dispute is reported first, a closed window after the receipt.
    given(...escrowed(), ship("o1", WINDOW_END), confirm("o1"))
      .when(dispute("o1"), WINDOW_END)
      .thenRejects("ReceiptAlreadyConfirmed");
  });

  it("is rejected once the window has closed", () => {
    const rejection = given(...escrowed(), ship("o1", WINDOW_END))
      .when(dispute("o1"), WINDOW_END)
      .thenRejects("DisputeWindowClosed");
    expect(rejection).toMatchObject({ protectionEndsAt: WINDOW_END, at: WINDOW_END });
  });

  it("needs captured money not yet refunded, one open dispute at a time, and a fresh id", () => {
    given(...shop(), checkout("o1", usd("50.00")))
      .when(dispute("o1"))
      .thenRejects("OrderNotCaptured");
    given(...escrowed(), refund("o1", usd("50.00")))
      .when(dispute("o1"))
      .thenRejects("OrderFullyRefunded");
    given(...escrowed(), dispute("o1"))
      .when(dispute("o1", "d2"))
      .thenRejects("OrderDisputed");
    given(...escrowed(), dispute("o1"), forMerchant)
      .when(dispute("o1"))
      .thenRejects("DisputeAlreadyExists");
    given(...shop())
      .when(dispute("o9"))
      .thenRejects("OrderNotFound");
  });
});

describe("resolving a dispute", () => {
  it("for the buyer with a full refund from escrow", () => {
    const events = given(...escrowed(), dispute("o1"))
      .when(forBuyer())
      .thenEvents();
    expect(events.map((event) => event.type)).toEqual(["DisputeResolved", "OrderRefunded"]);
    expect(events[0]).toMatchObject({ outcome: "buyer" });
    expect(legs(events[1])).toEqual([
      ["liabilities:escrow:o1", 5000n],
      ["liabilities:wallets:w1:available", -5000n],
    ]);
  });

  it("for the buyer with a partial refund; the rest is released when the window passes", () => {
    const scenario = given(
      ...escrowed(),
      ship("o1", WINDOW_END),
      dispute("o1"),
      forBuyer(usd("20.00")),
    );
    expect(scenario.state.orders.get("o1")?.openDisputeId).toBeUndefined();
    expect(dueCommands(scenario.state, WINDOW_END)).toEqual([
      {
        idempotencyKey: "release-escrow:o1:5000",
        command: { type: "ReleaseEscrow", orderId: "o1" },
      },
    ]);
    expect(
      scenario.when({ type: "ReleaseEscrow", orderId: "o1" }, WINDOW_END).thenEvents()[0],
    ).toMatchObject({ gross: usd("30.00") });
  });

  it("for the buyer after release: from the merchant's balance", () => {
    const released = given(
      ...escrowed(),
      ship("o1", WINDOW_END),
      dispute("o1"),
      forMerchant,
      dispute("o1", "d2"),
    );
    const events = released.when({ ...forBuyer(usd("50.00")), disputeId: "d2" }).thenEvents();
    expect(events[1]).toMatchObject({
      fromEscrow: usd("0"),
      fromMerchant: usd("50.00"),
      feeReturned: usd("1.75"),
    });
  });

  it("for the buyer, still bounded by captured", () => {
    given(...escrowed(), refund("o1", usd("40.00")), dispute("o1"))
      .when(forBuyer(usd("10.01")))
      .thenRejects("OrderRefundExceedsCaptured");
  });

  it("for the merchant: escrow is released now", () => {
    const events = given(...escrowed(), dispute("o1"))
      .when(forMerchant)
      .thenEvents();
    expect(events.map((event) => event.type)).toEqual(["DisputeResolved", "EscrowReleased"]);
    expect(events[1]).toMatchObject({
      trigger: "dispute-resolved",
      gross: usd("50.00"),
      net: usd("48.25"),
    });
  });

  it("for the merchant after release: nothing left to move", () => {
    const events = given(...escrowed(), dispute("o1"), forMerchant, dispute("o1", "d2"))
      .when({ ...forMerchant, disputeId: "d2" })
      .thenEvents();
    expect(events.map((event) => event.type)).toEqual(["DisputeResolved"]);
  });

  it("only an open dispute can be resolved", () => {
    given(...escrowed(), dispute("o1"), forMerchant)
      .when(forBuyer())
      .thenRejects("DisputeNotOpen");
    given(...escrowed())
      .when(forMerchant)
      .thenRejects("DisputeNotFound");
  });
});
