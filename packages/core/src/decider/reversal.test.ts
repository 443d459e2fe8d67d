/**
 * Every entry can be reversed by reference, never edited (issue 18, ADR 0022), in one of two
 * ways, and each reversal nets to zero with its original:
 * - an entry of an entity (hold, capture, checkout, payout, adjustment) by that entity's own
 *   command, named by its id, which keeps the entity consistent with the balances;
 * - an entry with no entity behind it (deposit, withdrawal, transfer, top-up, withdrawal to a
 *   source, conversion, settlement) by a two-person adjustment whose lines are its postings
 *   negated (the request's metadata names the original; the engine finds it again by that).
 * The property below checks the second way over random wallet-world ledgers: every such entry
 * touches only accounts an adjustment may move, and its negation posts exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { LedgerEvent, LedgerEventType } from "../events/ledger-event.js";
import { balanceOf } from "../ledger/balances.js";
import type { Posting } from "../ledger/posting.js";
import { ledgerTrialBalance } from "../projections/trial-balance.js";
import { initialState, type LedgerState } from "../state/ledger-state.js";
import {
  COMMAND_ARBITRARIES,
  commandDigest,
  stepEnvelope,
  stepsArbitrary,
} from "../testing/arbitraries.js";
import { capture, checkout, deposit, refund, shop } from "../testing/checkout-commands.js";
import { given } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";
import { earnedShop, payOut, returnPayout } from "../testing/payout-commands.js";
import { treasuryArbitraries } from "../testing/treasury-arbitraries.js";
import { worldStepsArbitrary } from "../testing/world-arbitraries.js";
import { log } from "../testing/test-run.js";
import { execute } from "./handle.js";

/** Entries with no entity of their own: corrected by an adjustment that negates them. */
const ENTITY_LESS: readonly LedgerEventType[] = [
  "FundsDeposited",
  "FundsWithdrawn",
  "FundsTransferred",
  "WalletToppedUp",
  "WithdrawnToFundingSource",
  "CurrencyConverted",
  "SettlementRecorded",
];

/** Sequences rich in top-ups, withdrawals to sources and conversions (their group weighs 6). */
const MONEY_THROUGH_SOURCES = stepsArbitrary({
  maxLength: 60,
  arbitraries: [
    ...COMMAND_ARBITRARIES,
    ...treasuryArbitraries().map((entry) => ({ ...entry, weight: 6 * entry.weight })),
  ],
});

/** Net change per `account|currency` of a list of postings. */
function net(postings: readonly Posting[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const { account, currency, amount } of postings) {
    const key = `${account}|${currency}`;
    sums.set(key, (sums.get(key) ?? 0n) + amount);
  }
  return sums;
}

const balances = (state: LedgerState, keys: Iterable<string>): Map<string, bigint> =>
  new Map(
    [...keys].map((key) => {
      const [account, currency] = key.split("|") as [string, string];
      return [key, balanceOf(state.balances, account, currency)];
    }),
  );

let envelopes = 0;
function run(state: LedgerState, command: LedgerCommand, at: number, reverses?: number) {
  envelopes += 1;
  return execute(state, {
    commandId: `rev${envelopes}`,
    idempotencyKey: `reversal-${envelopes}`,
    digest: commandDigest(command),
    at,
    command,
    ...(reverses === undefined ? {} : { metadata: { reverses: String(reverses) } }),
  });
}

/** Proposes (alice) and approves (bob) the negation of `event`; the approval's outcome. */
function reverseByAdjustment(state: LedgerState, event: LedgerEvent, index: number, at: number) {
  const adjustmentId = `undo-${index}`;
  const proposed = run(
    state,
    {
      type: "ProposeAdjustment",
      adjustmentId,
      proposedBy: "alice",
      reason: `reverses entry ${index} (${event.type})`,
      postings: event.postings.map((p) => ({ ...p, amount: -p.amount })),
    },
    at,
    index,
  );
  if (proposed._tag === "Left") return proposed;
  return run(state, { type: "ApproveAdjustment", adjustmentId, approvedBy: "bob" }, at, index);
}

describe("reversal by reference (ADR 0022)", () => {
  it("reverses every entry with no entity by a negating two-person adjustment that nets to zero with it, account by account (property)", () => {
    const reversed = new Map<string, number>();
    const refused = new Map<string, number>();
    fc.assert(
      fc.property(fc.oneof(worldStepsArbitrary(60), MONEY_THROUGH_SOURCES), (steps) => {
        const state = initialState();
        const entries: { event: LedgerEvent; sequence: number }[] = [];
        for (const [index, step] of steps.entries()) {
          const result = execute(state, stepEnvelope(step, index));
          if (result._tag === "Right" && result.right._tag === "Accepted")
            for (const { event, sequence } of result.right.events)
              if (ENTITY_LESS.includes(event.type) && event.postings.length > 0)
                entries.push({ event, sequence });
        }
        const at = (steps.at(-1)?.at ?? 0) + 1;
        for (const { event, sequence } of entries) {
          const original = net(event.postings);
          const before = balances(state, original.keys());
          const outcome = reverseByAdjustment(state, event, sequence, at);
          if (outcome._tag === "Left") {
            // Only a rule of the moment may refuse it (the money was spent, the wallet closed),
            // never the accounts: every entity-less entry is one an adjustment may move.
            expect(["InsufficientFunds", "MerchantBalanceInsufficient", "WalletClosed"]).toContain(
              outcome.left._tag,
            );
            refused.set(event.type, (refused.get(event.type) ?? 0) + 1);
            continue;
          }
          const after = balances(state, original.keys());
          for (const [key, amount] of original)
            expect((after.get(key) ?? 0n) - (before.get(key) ?? 0n), key).toBe(-amount);
          reversed.set(event.type, (reversed.get(event.type) ?? 0) + 1);
        }
        for (const total of ledgerTrialBalance(state).values()) expect(total).toBe(0n);
      }),
      { numRuns: 300, seed: 20_261_203 },
    );
    log(
      `reversed ${JSON.stringify(Object.fromEntries(reversed))}, refused ${JSON.stringify(Object.fromEntries(refused))}`,
    );
    // Evidence only if the run reversed entries of every kind.
    for (const type of ENTITY_LESS)
      expect(reversed.get(type) ?? 0, `reversed ${type} entries`).toBeGreaterThan(0);
  });

  it("reverses a hold by its release: every account back where it was", () => {
    const placed = given(...shop(), deposit(usd("100.00")), checkout("o1", usd("30.00")));
    const events = placed.when({ type: "ReleaseHold", holdId: "h-o1" }).thenEvents();
    const hold = given(...shop(), deposit(usd("100.00")))
      .when(checkout("o1", usd("30.00")))
      .thenEvents();
    const both = net([...hold, ...events].flatMap((event) => event.postings));
    expect([...both.values()].every((amount) => amount === 0n)).toBe(true);
  });

  it("reverses a captured order by its refund: the merchant and escrow net to zero, the buyer has it all back", () => {
    const captured = [...shop(), deposit(usd("100.00")), checkout("o1", usd("30.00"))];
    const capturing = given(...captured)
      .when(capture("o1", usd("30.00"), true))
      .thenEvents();
    const refunding = given(...captured, capture("o1", usd("30.00"), true))
      .when(refund("o1", usd("30.00")))
      .thenEvents();
    const both = net([...capturing, ...refunding].flatMap((event) => event.postings));
    // The capture took 30.00 from held into escrow; the refund gave escrow back to available.
    expect(both.get("liabilities:escrow:o1|USD") ?? 0n).toBe(0n);
    expect(both.get("liabilities:wallets:w1:held|USD")).toBe(3_000n);
    expect(both.get("liabilities:wallets:w1:available|USD")).toBe(-3_000n);
  });

  it("reverses a payout's bank leg by its return; the fee stays charged and the reserve keeps its schedule", () => {
    const paying = given(...earnedShop())
      .when(payOut())
      .thenEvents();
    const returning = given(...earnedShop(), payOut())
      .when(returnPayout())
      .thenEvents();
    const both = net([...paying, ...returning].flatMap((event) => event.postings));
    expect(both.get("assets:clearing:bank|USD") ?? 0n).toBe(0n);
    expect(both.get("income:fees:payout|USD")).toBe(-25n);
    expect(both.get("liabilities:reserves:m1|USD")).toBe(-483n);
  });
});
