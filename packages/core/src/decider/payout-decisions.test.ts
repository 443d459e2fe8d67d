import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../events/ledger-event.js";
import { impliedPostingDisagreements } from "../ledger/implied-postings.js";
import { iso4217 } from "../money/index.js";
import { dueCommands } from "../projections/due-work.js";
import type { Money } from "../codec/money-codec.js";
import type { LedgerCommand } from "../commands/ledger-command.js";
import {
  at,
  capture,
  checkout,
  confirm,
  DAY,
  deposit,
  refund,
  shop,
} from "../testing/checkout-commands.js";
import { decide } from "./decide.js";
import { given, legs, T0 } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";
import {
  earnedShop,
  payOut,
  payoutSchedule,
  releaseReserve,
  returnPayout,
} from "../testing/payout-commands.js";

describe("PayOutMerchant", () => {
  it("pays the balance out: reserve held back, fee charged, net to the bank clearing account", () => {
    const [event] = given(...earnedShop())
      .when(payOut())
      .thenEvents();
    // 48.25 gross; reserve 10% = 4.825 → 4.83 half-up; fee 0.25; net 43.17.
    expect(event).toMatchObject({
      type: "MerchantPaidOut",
      gross: usd("48.25"),
      reserve: usd("4.83"),
      fee: usd("0.25"),
      net: usd("43.17"),
      bankAccountId: "bank-6789",
      reserveReleasesAt: T0 + 30 * DAY,
    });
    expect(legs(event)).toEqual([
      ["liabilities:merchants:m1", 483n],
      ["liabilities:reserves:m1", -483n],
      ["liabilities:merchants:m1", 25n],
      ["income:fees:payout", -25n],
      ["liabilities:merchants:m1", 4317n],
      ["assets:clearing:bank", -4317n],
    ]);
    expect(impliedPostingDisagreements(iso4217, event as LedgerEvent)).toEqual([]);
  });

  it("rejects by precedence: payout id, merchant, schedule, minimum", () => {
    given(...earnedShop(), payOut())
      .when(payOut())
      .thenRejects("PayoutAlreadyExists");
    given(...earnedShop())
      .when({ type: "PayOutMerchant", payoutId: "p1", merchantId: "m9" })
      .thenRejects("MerchantNotFound");
    given(...earnedShop().slice(0, -1))
      .when(payOut())
      .thenRejects("PayoutScheduleNotSet");
    const below = given(...earnedShop(), payoutSchedule({ minimum: "43.18" }))
      .when(payOut())
      .thenRejects("PayoutBelowMinimum");
    expect(below).toMatchObject({ balance: 4825n, net: 4317n, minimum: 4318n });
  });

  it("pays nothing twice: after a payout the balance is zero and the next one is below minimum", () => {
    given(...earnedShop(), payOut())
      .when(payOut("p2"))
      .thenRejects("PayoutBelowMinimum");
  });

  it("recovers a clawback from the next payout: the debt is paid before anything leaves", () => {
    // After p1 the balance is 0. The buyer is refunded 20.00 from it (clawback, allowed below
    // zero): +0.70 fee share back (1.75 × 20/50) − 20.00 = −19.30. Order o2 releases 38.54 net
    // (40.00 less 1.16 + 0.30), so p2's gross is 38.54 − 19.30 = 19.24: the debt came off first.
    const [event] = given(
      ...earnedShop(true),
      payOut(),
      refund("o1", usd("20.00")),
      checkout("o2", usd("40.00")),
      capture("o2", usd("40.00"), true),
      confirm("o2"),
    )
      .when(payOut("p2"))
      .thenEvents();
    expect(event).toMatchObject({ gross: usd("19.24"), reserve: usd("1.92"), net: usd("17.07") });
  });

  it("refuses a clawback past zero when the merchant may not go negative", () => {
    given(...earnedShop(false), payOut())
      .when(refund("o1", usd("20.00")))
      .thenRejects("MerchantBalanceInsufficient");
  });
});

describe("ReleasePayoutReserve and ReturnPayout", () => {
  it("releases the reserve to the merchant's balance once its hold period has passed", () => {
    given(...earnedShop(), payOut())
      .when(releaseReserve(), T0 + 30 * DAY - 1)
      .thenRejects("PayoutReserveHeld");
    const [event] = given(...earnedShop(), payOut())
      .when(releaseReserve(), T0 + 30 * DAY)
      .thenEvents();
    expect(legs(event)).toEqual([
      ["liabilities:reserves:m1", 483n],
      ["liabilities:merchants:m1", -483n],
    ]);
    given(...earnedShop(), payOut(), at(releaseReserve(), T0 + 30 * DAY))
      .when(releaseReserve(), T0 + 31 * DAY)
      .thenRejects("PayoutReserveNotHeld");
    given(...earnedShop(), payoutSchedule({ reserveBasisPoints: 0 }), payOut())
      .when(releaseReserve(), T0 + 31 * DAY)
      .thenRejects("PayoutReserveNotHeld");
    given(...earnedShop())
      .when(releaseReserve())
      .thenRejects("PayoutNotFound");
  });

  it("lists a reserve as due work once its hold period has passed", () => {
    const { state } = given(...earnedShop(), payOut()).when(payOut("p2"));
    expect(dueCommands(state, T0 + 30 * DAY - 1).map((due) => due.command.type)).not.toContain(
      "ReleasePayoutReserve",
    );
    expect(dueCommands(state, T0 + 30 * DAY)).toContainEqual({
      idempotencyKey: "release-payout-reserve:p1",
      command: releaseReserve(),
    });
  });

  it("puts a returned payout's net back on the merchant's balance, once; the fee is kept", () => {
    const [event] = given(...earnedShop(), payOut())
      .when(returnPayout())
      .thenEvents();
    expect(legs(event)).toEqual([
      ["assets:clearing:bank", 4317n],
      ["liabilities:merchants:m1", -4317n],
    ]);
    given(...earnedShop(), payOut(), returnPayout())
      .when(returnPayout())
      .thenRejects("PayoutAlreadyReturned");
    given(...earnedShop())
      .when(returnPayout())
      .thenRejects("PayoutNotFound");
  });
});

/** A shop whose merchant earned from one order of `amount`, under a reserve of `reserveBasisPoints`. */
const earnedFrom = (amount: Money, reserveBasisPoints: number): LedgerCommand[] => [
  ...shop(),
  deposit(usd("1000.00")),
  checkout("o1", amount),
  capture("o1", amount, true),
  confirm("o1"),
  payoutSchedule({ reserveBasisPoints, minimum: "0.00" }),
];

describe("payout properties", () => {
  it("conserve money, keep every reserve non-negative, and a return nets to zero with its payout's bank leg", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        fc.boolean(),
        (cents, reserveBasisPoints, released, returned) => {
          const amount: Money = { currency: "USD", amount: BigInt(cents) };
          const decision = decide(
            given(...earnedFrom(amount, reserveBasisPoints)).state,
            payOut(),
            T0,
          );
          if (decision._tag === "Left") {
            // Only a net of zero or less is refused under a zero minimum.
            expect(decision.left._tag).toBe("PayoutBelowMinimum");
            return;
          }
          const [event] = decision.right;
          if (event?.type !== "MerchantPaidOut") throw new Error("expected a payout");
          expect(event.reserve.amount + event.fee.amount + event.net.amount).toBe(
            event.gross.amount,
          );
          expect(impliedPostingDisagreements(iso4217, event)).toEqual([]);
          const after = given(
            ...earnedFrom(amount, reserveBasisPoints),
            payOut(),
            ...(released && event.reserve.amount > 0n ? [at(releaseReserve(), T0 + 30 * DAY)] : []),
            ...(returned ? [at(returnPayout(), T0 + 30 * DAY)] : []),
          ).state;
          const balance = (account: string): bigint =>
            after.balances.get(account)?.get("USD") ?? 0n;
          // A liability carries a credit (negative) balance: the reserve owed is never below zero.
          expect(-balance("liabilities:reserves:m1")).toBe(released ? 0n : event.reserve.amount);
          expect(-balance("assets:clearing:bank")).toBe(returned ? 0n : event.net.amount);
          let sum = 0n;
          for (const perCurrency of after.balances.values()) sum += perCurrency.get("USD") ?? 0n;
          expect(sum).toBe(0n);
        },
      ),
      { numRuns: 200 },
    );
  });
});
