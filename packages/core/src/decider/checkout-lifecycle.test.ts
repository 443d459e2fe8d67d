/**
 * Properties over random checkout lifecycles: several orders on one wallet, each stepped
 * through random captures, confirmations, shipments, disputes, resolutions, refunds, expiry
 * and the passing of time (many steps are rejected, as they would be in life). After every
 * step: money is conserved (the trial balance is zero in every currency and the wallet,
 * merchant, escrow and fee accounts add up to what was deposited), no escrow is negative,
 * and refunded ≤ captured for every order. At the end, each order is driven to rest (open
 * disputes resolved, holds closed, windows passed, due work run) and must account for every
 * unit: released + refunded + returned = authorised.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import {
  escrowAccount,
  feeRevenueAccount,
  merchantAccount,
  walletAvailableAccount,
  walletHeldAccount,
} from "../ledger/account.js";
import { balanceOf } from "../ledger/balances.js";
import { dueCommands } from "../projections/due-work.js";
import { ledgerTrialBalance } from "../projections/trial-balance.js";
import { escrowBalanceOf, orderRefunded } from "../state/checkout-state.js";
import { initialState, type LedgerState } from "../state/ledger-state.js";
import { DAY, shop } from "../testing/checkout-commands.js";
import { envelope, T0 } from "../testing/given-when-then.js";
import { execute } from "./handle.js";

const ORDERS = ["o1", "o2", "o3"] as const;
const DEPOSITED = 10_000n; // shop() deposits 100.00 USD
const HOUR = 3_600_000;
const usd = (amount: bigint) => ({ currency: "USD", amount });

type Action =
  | { kind: "capture"; order: number; amount: bigint; final: boolean }
  | { kind: "confirm" | "dispute" | "resolveForMerchant" | "expire" | "release"; order: number }
  | { kind: "ship"; order: number; windowHours: number }
  | { kind: "refund" | "resolveForBuyer"; order: number; amount: bigint }
  | { kind: "wait"; hours: number };

const order = fc.nat(ORDERS.length - 1);
const small = fc.bigInt(1n, 2_500n);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("capture" as const),
      order,
      amount: small,
      final: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "confirm" as const,
        "dispute" as const,
        "resolveForMerchant" as const,
        "expire" as const,
        "release" as const,
      ),
      order,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("ship" as const),
      order,
      windowHours: fc.constantFrom(1, 24, 240),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom("refund" as const, "resolveForBuyer" as const),
      order,
      amount: small,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      hours: fc.constantFrom(1, 12, 48, 300),
    }),
  },
);
const lifecycle = fc.record({
  amounts: fc.tuple(fc.bigInt(1n, 4_000n), fc.bigInt(1n, 3_000n), fc.bigInt(1n, 3_000n)),
  allowNegative: fc.boolean(),
  refundFee: fc.constantFrom("proportional" as const, "none" as const),
  actions: fc.array(action, { maxLength: 40 }),
});

class Run {
  readonly state: LedgerState = initialState();
  at = T0;
  private counter = 0;

  send(command: LedgerCommand, key?: string): boolean {
    this.counter += 1;
    return (
      execute(this.state, envelope(command, this.at, key ?? `k${this.counter}`))._tag === "Right"
    );
  }
}

function commandFor(run: Run, step: Action): LedgerCommand | undefined {
  if (step.kind === "wait") {
    run.at += step.hours * HOUR;
    return undefined;
  }
  const orderId = ORDERS[step.order] as string;
  const disputeId = `d-${orderId}`;
  switch (step.kind) {
    case "capture":
      return {
        type: "CaptureHold",
        holdId: `h-${orderId}`,
        amount: usd(step.amount),
        final: step.final,
      };
    case "confirm":
      return { type: "ConfirmReceipt", orderId };
    case "dispute":
      return {
        type: "OpenDispute",
        disputeId: `${disputeId}-${run.at}`,
        orderId,
        reason: "not received",
      };
    case "resolveForMerchant":
      return {
        type: "ResolveDisputeForMerchant",
        disputeId: run.state.orders.get(orderId)?.openDisputeId ?? disputeId,
      };
    case "expire":
      return { type: "ExpireHold", holdId: `h-${orderId}` };
    case "release":
      return { type: "ReleaseEscrow", orderId };
    case "ship":
      return { type: "ShipOrder", orderId, protectionEndsAt: run.at + step.windowHours * HOUR };
    case "refund":
      return {
        type: "RefundOrder",
        refundId: `r-${run.at}-${step.amount}`,
        orderId,
        amount: usd(step.amount),
      };
    case "resolveForBuyer":
      return {
        type: "ResolveDisputeForBuyer",
        disputeId: run.state.orders.get(orderId)?.openDisputeId ?? disputeId,
        refundId: `rd-${run.at}-${step.amount}`,
        amount: usd(step.amount),
      };
  }
}

/** Owed to holders (wallet, merchants, escrow) plus fee revenue equals what came in. */
function assertConserved(state: LedgerState): void {
  for (const [currency, sum] of ledgerTrialBalance(state))
    expect(sum, `trial balance ${currency}`).toBe(0n);
  const owed = (account: string) => -balanceOf(state.balances, account, "USD");
  let total =
    owed(walletAvailableAccount("w1")) +
    owed(walletHeldAccount("w1")) +
    owed(merchantAccount("m1")) +
    owed(feeRevenueAccount("checkout"));
  for (const orderId of ORDERS) total += owed(escrowAccount(orderId));
  expect(total).toBe(DEPOSITED);
}

function assertOrders(state: LedgerState): void {
  for (const order of state.orders.values()) {
    const hold = state.holds.get(order.holdId);
    if (hold === undefined) throw new Error("order without hold");
    expect(escrowBalanceOf(order, hold)).toBeGreaterThanOrEqual(0n);
    expect(-balanceOf(state.balances, order.escrowAccount, "USD")).toBe(
      escrowBalanceOf(order, hold),
    );
    expect(orderRefunded(order)).toBeLessThanOrEqual(hold.captured);
    expect(order.feeReturned).toBeLessThanOrEqual(order.feeCharged);
  }
}

/** Resolve open disputes, close holds, ship and let every window pass, then run due work. */
function driveToRest(run: Run): void {
  for (const order of run.state.orders.values()) {
    if (order.openDisputeId !== undefined)
      expect(run.send({ type: "ResolveDisputeForMerchant", disputeId: order.openDisputeId })).toBe(
        true,
      );
    if (run.state.holds.get(order.holdId)?.status === "open")
      expect(run.send({ type: "ReleaseHold", holdId: order.holdId })).toBe(true);
    if (order.protectionEndsAt === undefined)
      expect(
        run.send({ type: "ShipOrder", orderId: order.id, protectionEndsAt: run.at + DAY }),
      ).toBe(true);
  }
  run.at += 30 * DAY;
  for (const due of dueCommands(run.state, run.at))
    expect(run.send(due.command, due.idempotencyKey)).toBe(true);
  expect(dueCommands(run.state, run.at)).toEqual([]);
}

describe("checkout lifecycles", () => {
  it("conserve money, keep escrow non-negative and refunds within captures, and end fully accounted", () => {
    let settledWithRefunds = 0;
    fc.assert(
      fc.property(lifecycle, ({ amounts, allowNegative, refundFee, actions }) => {
        const run = new Run();
        for (const command of shop(refundFee, allowNegative)) expect(run.send(command)).toBe(true);
        amounts.forEach((amount, index) =>
          run.send({
            type: "Checkout",
            orderId: ORDERS[index] as string,
            holdId: `h-${ORDERS[index]}`,
            walletId: "w1",
            merchantId: "m1",
            amount: usd(amount),
            expiresAt: T0 + 3 * DAY,
            initiatedBy: "buyer",
          }),
        );
        for (const step of actions) {
          const command = commandFor(run, step);
          if (command !== undefined) run.send(command);
          assertConserved(run.state);
          assertOrders(run.state);
        }
        driveToRest(run);
        assertConserved(run.state);
        for (const order of run.state.orders.values()) {
          const hold = run.state.holds.get(order.holdId);
          if (hold === undefined) throw new Error("order without hold");
          expect(hold.status).not.toBe("open");
          expect(escrowBalanceOf(order, hold)).toBe(0n);
          // released (net of refunds taken back from the merchant) + refunded + returned = authorised
          expect(
            order.releasedGross - order.refundedFromMerchant + orderRefunded(order) + hold.released,
          ).toBe(hold.authorized);
          if (orderRefunded(order) > 0n) settledWithRefunds += 1;
        }
      }),
      { numRuns: 300 },
    );
    expect(settledWithRefunds).toBeGreaterThan(0);
  });
});
