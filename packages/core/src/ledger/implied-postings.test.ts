/**
 * Every event the decider emits agrees with itself (its fields imply its postings), over
 * random command sequences that reach every event family; and an event whose money field
 * or postings were changed alone is found.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { execute } from "../decider/handle.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import { iso4217 } from "../money/index.js";
import { initialState } from "../state/ledger-state.js";
import { stepEnvelope, stepsArbitrary } from "../testing/arbitraries.js";
import { impliedPostingDisagreements } from "./implied-postings.js";

function emittedEvents(
  steps: ReturnType<typeof stepsArbitrary> extends fc.Arbitrary<infer S> ? S : never,
): LedgerEvent[] {
  const state = initialState();
  const events: LedgerEvent[] = [];
  for (const [index, step] of steps.entries()) {
    const outcome = execute(state, stepEnvelope(step, index));
    if (outcome._tag === "Right" && outcome.right._tag === "Accepted")
      events.push(...outcome.right.events.map((recorded) => recorded.event));
  }
  return events;
}

describe("impliedPostingDisagreements", () => {
  it("finds nothing in any event the decider emits (400 random sequences)", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(stepsArbitrary({ maxLength: 60 }), (steps) => {
        for (const event of emittedEvents(steps)) {
          seen.add(event.type);
          expect(impliedPostingDisagreements(iso4217, event), event.type).toEqual([]);
        }
      }),
      { numRuns: 400, seed: 17 },
    );
    // The runs reach most event types, money-moving ones included.
    expect(seen.size).toBeGreaterThanOrEqual(30);
    expect([...seen]).toEqual(
      expect.arrayContaining([
        "FundsDeposited",
        "HoldCaptured",
        "CheckoutStarted",
        "EscrowReleased",
        "OrderRefunded",
        "CurrencyConverted",
        "RefundIssued",
      ]),
    );
  });

  const deposit: LedgerEvent = {
    type: "FundsDeposited",
    walletId: "w1",
    channel: "card",
    amount: { currency: "USD", amount: 1234n },
    postings: [
      { account: "assets:clearing:card", currency: "USD", amount: 1234n },
      { account: "liabilities:wallets:w1:available", currency: "USD", amount: -1234n },
    ],
  };

  it("finds an amount that disagrees with balanced postings", () => {
    expect(impliedPostingDisagreements(iso4217, deposit)).toEqual([]);
    expect(
      impliedPostingDisagreements(iso4217, {
        ...deposit,
        amount: { currency: "USD", amount: 9999n },
      }),
    ).not.toEqual([]);
    expect(impliedPostingDisagreements(iso4217, { ...deposit, walletId: "w2" })).not.toEqual([]);
    expect(impliedPostingDisagreements(iso4217, { ...deposit, channel: "bank" })).not.toEqual([]);
    expect(
      impliedPostingDisagreements(iso4217, {
        ...deposit,
        amount: { currency: "EUR", amount: 1234n },
      }),
    ).not.toEqual([]);
  });

  it("finds postings on an event that moves no money", () => {
    expect(
      impliedPostingDisagreements(iso4217, {
        type: "WalletOpened",
        walletId: "w1",
        ownerId: "ana",
        postings: deposit.postings,
      }),
    ).toEqual(["an event that moves no money has 2 postings"]);
  });
});

/** Every money field (`{ currency, amount }`) of an event, outside its postings, by path. */
function moneyPaths(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (typeof record["amount"] === "bigint" && typeof record["currency"] === "string") return [path];
  return Object.entries(record).flatMap(([key, item]) =>
    key === "postings" ? [] : moneyPaths(item, [...path, key]),
  );
}

function withAmountChanged(event: LedgerEvent, path: readonly string[]): LedgerEvent {
  const copy = deepCopy(event) as Record<string, unknown>;
  let node = copy;
  for (const key of path) node = node[key] as Record<string, unknown>;
  node["amount"] = (node["amount"] as bigint) + 1n;
  return copy as unknown as LedgerEvent;
}

const deepCopy = (value: unknown): unknown =>
  value === null || typeof value !== "object"
    ? value
    : Array.isArray(value)
      ? value.map(deepCopy)
      : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepCopy(item)]));

/** Money fields no posting depends on, by `Type.path`: returned-funding details only partly booked. */
const UNBOOKED_MONEY = /^CheckoutFundingReturned\.(returned|conversion\..*)$/;

describe("impliedPostingDisagreements over every money field of every money-moving event", () => {
  it("finds one minor unit changed in any of them (200 random sequences)", () => {
    const missed = new Set<string>();
    const checked = new Set<string>();
    fc.assert(
      fc.property(stepsArbitrary({ maxLength: 60 }), (steps) => {
        for (const event of emittedEvents(steps)) {
          if (event.postings.length === 0) continue;
          for (const path of moneyPaths(event)) {
            const name = `${event.type}.${path.join(".")}`;
            if (UNBOOKED_MONEY.test(name)) continue;
            checked.add(name);
            if (impliedPostingDisagreements(iso4217, withAmountChanged(event, path)).length === 0)
              missed.add(name);
          }
        }
      }),
      { numRuns: 200, seed: 19 },
    );
    expect([...missed]).toEqual([]);
    expect(checked.size).toBeGreaterThanOrEqual(15);
  });
});
