import { describe, expect, it } from "vitest";
import { execute } from "../decider/handle.js";
import type { RecordedEvent } from "../journal/recorded-event.js";
import { initialState } from "../state/ledger-state.js";
import { deposit, openWallet } from "../testing/checkout-commands.js";
import { envelope, T0 } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";
import { earnedShop, payOut, returnPayout } from "../testing/payout-commands.js";
import type { LedgerCommand } from "../commands/ledger-command.js";
import { inFlight, reconcileClearing, type SettlementLine } from "./reconciliation.js";

/** Runs commands (keys `k-{index}`) and returns what they recorded. */
function recorded(commands: readonly LedgerCommand[]): RecordedEvent[] {
  const state = initialState();
  const events: RecordedEvent[] = [];
  for (const [index, command] of commands.entries()) {
    const result = execute(state, envelope(command, T0, `k-${index}`));
    if (result._tag === "Left") throw new Error(`${command.type}: ${result.left._tag}`);
    if (result.right._tag === "Accepted") events.push(...result.right.events);
  }
  return events;
}

const line = (
  number: number,
  channel: string,
  reference: string,
  amount: bigint,
): SettlementLine => ({ line: number, channel, reference, currency: "USD", amount });

describe("inFlight", () => {
  it("sums each reference's clearing postings: deposits by key, payouts by payout id", () => {
    const events = recorded([...earnedShop(), payOut()]);
    expect(inFlight(events)).toEqual([
      { channel: "card", reference: "k-1", currency: "USD", amount: 10_000n },
      { channel: "bank", reference: "p1", currency: "USD", amount: -4317n },
    ]);
  });

  it("drops a payout the bank returned (the two net to zero) and a reference already settled", () => {
    const settled: LedgerCommand = {
      type: "RecordSettlement",
      settlementId: "st1",
      channel: "card",
      reference: "k-1",
      direction: "in",
      amount: usd("100.00"),
    };
    expect(inFlight(recorded([...earnedShop(), payOut(), returnPayout(), settled]))).toEqual([]);
  });
});

describe("reconcileClearing", () => {
  it("matches by channel, reference, currency and amount; reports mismatches and both sides' leftovers", () => {
    const ledger = inFlight(
      recorded([openWallet(), deposit(usd("10.00")), deposit(usd("20.00")), deposit(usd("30.00"))]),
    );
    const result = reconcileClearing(ledger, [
      line(2, "card", "k-1", 1000n),
      line(3, "card", "k-2", 1999n),
      line(4, "card", "k-9", 500n),
      line(5, "bank", "k-3", 3000n),
    ]);
    expect(result.matched.map((matched) => matched.line)).toEqual([2]);
    expect(result.mismatched).toEqual([{ line: line(3, "card", "k-2", 1999n), ledger: 2000n }]);
    expect(result.unmatchedLines.map((unmatched) => unmatched.line)).toEqual([4, 5]);
    expect(result.unmatchedLedger).toEqual([
      { channel: "card", reference: "k-3", currency: "USD", amount: 3000n },
    ]);
  });
});
