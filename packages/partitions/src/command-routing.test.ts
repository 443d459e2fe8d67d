/**
 * Routing of the commands beyond the wallet family (ADR 0028), by example: a payment whose
 * buyer and merchant share a partition is carried out there and its follow-ups find it by the
 * hold's id alone; one whose parties live apart is refused naming them; a new id that another
 * partition holds is refused as one ledger refuses it; two creations of one id sent at once to
 * two partitions let one through.
 */
import { describe, expect, it } from "vitest";
import { partiesOf } from "./command-parties.js";
import { openFundedPartitions } from "./testing/open-partitions.js";
import { request, usd } from "./testing/typed-requests.js";

const LATER = 1_790_000_000_000 + 3_600_000;

/** Alice and the shop pinned to p1, bob to p0, carol to p1, on 2 partitions. */
async function marketplace() {
  const ledger = await openFundedPartitions(
    2,
    [
      ["alice", 1],
      ["bob", 0],
      ["carol", 1],
      ["shop", 1],
    ],
    { alice: 5_000n, bob: 5_000n, carol: 5_000n },
  );
  const registered = await ledger.execute(
    request({
      type: "RegisterMerchant",
      merchantId: "shop",
      settlementCurrency: "USD",
      allowNegativeBalance: false,
    }),
  );
  expect(registered._tag).toBe("Accepted");
  return ledger;
}

const hold = (holdId: string, walletId: string, amount: bigint) =>
  request({
    type: "PlaceHold",
    holdId,
    walletId,
    merchantId: "shop",
    amount: usd(amount),
    expiresAt: LATER,
  });

describe("routing the commands beyond the wallet family", () => {
  it("carries out a payment where buyer and merchant live, and finds the hold by its id", async () => {
    const ledger = await marketplace();
    expect((await ledger.execute(hold("h1", "alice", 1_000n)))._tag).toBe("Accepted");
    const captured = await ledger.execute(
      request({ type: "CaptureHold", holdId: "h1", amount: usd(600n), final: true }),
    );
    expect(captured._tag).toBe("Accepted");
    const refunded = await ledger.execute(
      request({ type: "RefundCapture", refundId: "r1", holdId: "h1", amount: usd(100n) }),
    );
    expect(refunded._tag).toBe("Accepted");
    const [p0, p1] = ledger.partitions;
    expect(p1?.currentState.holds.get("h1")?.captured).toBe(600n);
    expect(p0?.currentState.holds.has("h1")).toBe(false);
    expect(p1?.accountBalances("liabilities:merchants:shop")).toEqual([
      expect.objectContaining({ currency: "USD", balance: -500n }),
    ]);
    expect(await ledger.walletBalances("alice")).toEqual([
      expect.objectContaining({ currency: "USD", available: 4_500n, held: 0n }),
    ]);
  });

  it("refuses a payment whose buyer and merchant live apart, naming them, and records nothing", async () => {
    const ledger = await marketplace();
    const result = await ledger.execute(hold("h2", "bob", 1_000n));
    expect(result).toEqual({
      _tag: "SpansPartitions",
      commandType: "PlaceHold",
      parties: [
        { entity: "wallet", id: "bob", partition: 0, placed: true },
        { entity: "merchant", id: "shop", partition: 1, placed: true },
      ],
    });
    for (const partition of ledger.partitions) expect(partition.currentState.holds.size).toBe(0);
    expect(await ledger.walletBalances("bob")).toEqual([
      expect.objectContaining({ available: 5_000n, held: 0n }),
    ]);
  });

  it("refuses a new id another partition holds, as one ledger does", async () => {
    const ledger = await marketplace();
    // Bob's card lives in p0; carol's partition (p1) has no card-1, and without the lookup
    // would link a second one there.
    const again = await ledger.execute(
      request({
        type: "LinkCard",
        sourceId: "card-1",
        walletId: "bob",
        maskedNumber: "**** 4242",
        currency: "USD",
        expiresAt: LATER * 2,
      }),
    );
    expect(again._tag).toBe("Accepted");
    const taken = await ledger.execute(
      request({
        type: "LinkBankAccount",
        sourceId: "card-1",
        walletId: "carol",
        maskedNumber: "**** 0001",
        currency: "USD",
      }),
    );
    expect(taken).toMatchObject({
      _tag: "Rejected",
      rejection: { _tag: "FundingSourceAlreadyExists", sourceId: "card-1" },
    });
  });

  it("lets one of two creations of one id sent at once to two partitions through", async () => {
    const ledger = await marketplace();
    const link = (walletId: string) =>
      ledger.execute(
        request({
          type: "LinkBankAccount",
          sourceId: "bank-1",
          walletId,
          maskedNumber: "**** 0001",
          currency: "USD",
        }),
      );
    const answers = await Promise.all([link("bob"), link("alice")]);
    expect(answers.map((answer) => answer._tag).sort()).toEqual(["Accepted", "Rejected"]);
    const holders = ledger.partitions.filter((partition) =>
      partition.currentState.fundingSources.has("bank-1"),
    );
    expect(holders).toHaveLength(1);
  });

  it("refuses ledger-wide settings on several partitions, and names every party kind", async () => {
    const ledger = await marketplace();
    const quote = await ledger.execute(
      request({
        type: "QuoteFx",
        quoteId: "q1",
        sourceCurrency: "USD",
        targetCurrency: "JPY",
        rate: "150",
        feeBasisPoints: 0,
        expiresAt: LATER,
      }),
    );
    expect(quote).toEqual({ _tag: "Unsupported", commandType: "QuoteFx" });
    expect(partiesOf({ type: "ReleaseEscrow", orderId: "o1" })).toEqual({
      _tag: "Parties",
      parties: { placed: [], named: [{ entity: "order", id: "o1" }], created: [] },
    });
  });
});
