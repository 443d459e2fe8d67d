import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../events/ledger-event.js";
import { impliedPostingDisagreements } from "../ledger/implied-postings.js";
import { iso4217 } from "../money/index.js";
import { deposit, openWallet, shop } from "../testing/checkout-commands.js";
import { evolve } from "../state/evolve.js";
import { given, legs, T0 } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";
import { approve, line, propose, reverse } from "../testing/payout-commands.js";

const W1 = "liabilities:wallets:w1:available";
const GOODWILL = "expenses:goodwill";
const credit = [line(GOODWILL, "5.00"), line(W1, "-5.00")];

describe("ProposeAdjustment and ApproveAdjustment (two-person rule)", () => {
  it("records a proposal that moves nothing, then posts its lines when another operator approves", () => {
    const [proposed] = given(...shop())
      .when(propose(credit))
      .thenEvents();
    expect(proposed).toMatchObject({ type: "AdjustmentProposed", proposedBy: "alice" });
    expect(proposed?.postings).toEqual([]);
    const [posted] = given(...shop(), propose(credit))
      .when(approve("bob"))
      .thenEvents();
    expect(posted).toMatchObject({
      type: "AdjustmentPosted",
      proposedBy: "alice",
      approvedBy: "bob",
      reason: "goodwill credit for a late delivery",
    });
    expect(legs(posted)).toEqual([
      [GOODWILL, 500n],
      [W1, -500n],
    ]);
    expect(impliedPostingDisagreements(iso4217, posted as LedgerEvent)).toEqual([]);
  });

  it("refuses the proposer as approver, and an approval of anything not pending", () => {
    given(...shop(), propose(credit))
      .when(approve("alice"))
      .thenRejects("ApproverIsProposer");
    given(...shop(), propose(credit), approve("bob"))
      .when(approve("carol"))
      .thenRejects("AdjustmentNotProposed");
    given(...shop())
      .when(approve())
      .thenRejects("AdjustmentNotFound");
  });

  it("rejects proposals by precedence: id, empty, currency, balance, accounts, funds", () => {
    given(...shop(), propose(credit))
      .when(propose(credit))
      .thenRejects("AdjustmentAlreadyExists");
    given(...shop())
      .when(propose([]))
      .thenRejects("AdjustmentEmpty");
    given(...shop())
      .when(propose([{ account: W1, currency: "QQQ", amount: 1n }, line(GOODWILL, "-0.01")]))
      .thenRejects("CurrencyUnknown");
    const unbalanced = given(...shop())
      .when(propose([line(GOODWILL, "5.00"), line(W1, "-4.99")]))
      .thenRejects("AdjustmentUnbalanced");
    expect(unbalanced).toMatchObject({ currency: "USD", sum: 1n });
    given(...shop())
      .when(propose([line("liabilities:wallets:w1:held", "5.00"), line(W1, "-5.00")]))
      .thenRejects("AdjustmentAccountNotAllowed");
    given(...shop())
      .when(propose([line("liabilities:escrow:o1", "5.00"), line(W1, "-5.00")]))
      .thenRejects("AdjustmentAccountNotAllowed");
    given(...shop())
      .when(propose([line(GOODWILL, "5.00"), line("liabilities:wallets:w9:available", "-5.00")]))
      .thenRejects("WalletNotFound");
    given(...shop())
      .when(propose([line(GOODWILL, "5.00"), line("liabilities:merchants:m9", "-5.00")]))
      .thenRejects("MerchantNotFound");
    given(...shop())
      .when(propose([line(W1, "100.01"), line("income:fees:manual", "-100.01")]))
      .thenRejects("InsufficientFunds");
    given(...shop())
      .when(propose([line("liabilities:merchants:m1", "0.01"), line(GOODWILL, "-0.01")]))
      .thenRejects("MerchantBalanceInsufficient");
  });

  it("judges the lines again at approval: funds spent since the proposal refuse it", () => {
    given(
      openWallet(),
      deposit(usd("10.00")),
      propose([line(W1, "10.00"), line("income:fees:manual", "-10.00")]),
      { type: "WithdrawFunds", walletId: "w1", amount: usd("1.00"), channel: "bank" },
    )
      .when(approve())
      .thenRejects("InsufficientFunds");
  });
});

describe("ReverseAdjustment", () => {
  it("posts the exact negation of a posted adjustment, once", () => {
    const [reversed] = given(...shop(), propose(credit), approve())
      .when(reverse())
      .thenEvents();
    expect(reversed).toMatchObject({ type: "AdjustmentReversed", reversedBy: "carol" });
    expect(legs(reversed)).toEqual([
      [GOODWILL, -500n],
      [W1, 500n],
    ]);
    given(...shop(), propose(credit), approve(), reverse())
      .when(reverse())
      .thenRejects("AdjustmentNotPosted");
    given(...shop(), propose(credit))
      .when(reverse())
      .thenRejects("AdjustmentNotPosted");
    given(...shop())
      .when(reverse())
      .thenRejects("AdjustmentNotFound");
  });

  it("refuses a reversal the wallet can no longer pay", () => {
    given(...shop(), propose(credit), approve(), {
      type: "WithdrawFunds",
      walletId: "w1",
      amount: usd("105.00"),
      channel: "bank",
    })
      .when(reverse())
      .thenRejects("InsufficientFunds");
  });

  it("nets to zero with its adjustment, account by account (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.boolean(), (cents, towardWallet) => {
        const amount = BigInt(cents);
        const sign = towardWallet ? -1n : 1n;
        const lines = [
          { account: W1, currency: "USD", amount: sign * amount },
          { account: GOODWILL, currency: "USD", amount: -sign * amount },
        ];
        const { state } = given(...shop(), propose(lines), approve(), reverse()).when(reverse());
        expect(state.balances.get(GOODWILL)?.get("USD") ?? 0n).toBe(0n);
        expect(state.balances.get(W1)?.get("USD")).toBe(-10_000n); // the 100.00 deposit only
      }),
      { numRuns: 100 },
    );
  });
});

describe("evolve", () => {
  it("stops the fold at a posted adjustment whose postings are not its proposal's lines", () => {
    const { state } = given(...shop(), propose(credit)).when(approve());
    const tampered = {
      type: "AdjustmentPosted" as const,
      adjustmentId: "a1",
      proposedBy: "alice",
      approvedBy: "bob",
      reason: "goodwill credit for a late delivery",
      postings: [line(GOODWILL, "50.00"), line(W1, "-50.00")],
    };
    const recorded = {
      sequence: state.sequence + 1,
      recordedAt: T0,
      commandId: "c-tampered",
      idempotencyKey: "k-tampered",
      digest: "d",
      indexInCommand: 0,
      eventsInCommand: 1,
      event: tampered,
    };
    expect(() => evolve(state, recorded)).toThrow(/does not carry its lines/);
    expect(() =>
      evolve(state, {
        ...recorded,
        event: { ...tampered, type: "AdjustmentReversed", reversedBy: "c" },
      }),
    ).toThrow(/does not carry its lines/);
  });
});
