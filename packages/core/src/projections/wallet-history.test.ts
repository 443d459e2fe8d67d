/**
 * The wallet history projection against a brute-force reading of the same recorded events:
 * a wallet's lines are the events that posted to its accounts, its balance after an event is
 * the sum of every posting to its accounts up to it. Pages, cursors, filters and balances
 * "as of" must say exactly what that reading says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import { execute } from "../decider/handle.js";
import type { LedgerEventType } from "../events/ledger-event.js";
import type { RecordedEvent } from "../journal/recorded-event.js";
import { walletAvailableAccount, walletHeldAccount } from "../ledger/account.js";
import { initialState } from "../state/ledger-state.js";
import { envelope, T0 } from "../testing/given-when-then.js";
import {
  HISTORY_PAGE_LIMIT_MAX,
  WalletHistory,
  type HistoryLine,
  type HistoryQuery,
} from "./wallet-history.js";

const WALLETS = ["w1", "w2", "w3"] as const;
const CURRENCIES = ["USD", "EUR"] as const;
const TYPES: readonly LedgerEventType[] = [
  "WalletOpened",
  "FundsDeposited",
  "FundsTransferred",
  "HoldPlaced",
  "HoldReleased",
  "HoldCaptured",
  "FundsWithdrawn",
];
const money = (currency: string, cents: number) => ({ currency, amount: BigInt(cents) });

const walletId = fc.constantFrom(...WALLETS);
const currency = fc.constantFrom(...CURRENCIES);
const cents = fc.integer({ min: 1, max: 5_000 });
const holdId = fc.constantFrom("h1", "h2", "h3", "h4");

const command: fc.Arbitrary<LedgerCommand> = fc.oneof(
  fc.record({
    type: fc.constant("DepositFunds" as const),
    walletId,
    amount: fc.tuple(currency, cents).map(([c, n]) => money(c, n)),
    channel: fc.constant("card"),
  }),
  fc.record({
    type: fc.constant("WithdrawFunds" as const),
    walletId,
    amount: fc.tuple(currency, cents).map(([c, n]) => money(c, n)),
    channel: fc.constant("bank"),
  }),
  fc.record({
    type: fc.constant("TransferFunds" as const),
    transferId: fc.uuid(),
    fromWalletId: walletId,
    toWalletId: walletId,
    amount: fc.tuple(currency, cents).map(([c, n]) => money(c, n)),
  }),
  fc.record({
    type: fc.constant("PlaceHold" as const),
    holdId,
    walletId,
    merchantId: fc.constant("m1"),
    amount: fc.tuple(currency, cents).map(([c, n]) => money(c, n)),
    expiresAt: fc.constant(T0 + 86_400_000 * 30),
  }),
  fc.record({ type: fc.constant("ReleaseHold" as const), holdId }),
);

/** Commands at increasing times (several may share an instant); refused ones record nothing. */
const story = fc.array(fc.tuple(command, fc.integer({ min: 0, max: 3_600_000 })), {
  minLength: 1,
  maxLength: 60,
});

function record(steps: readonly (readonly [LedgerCommand, number])[]): RecordedEvent[] {
  const state = initialState();
  const recorded: RecordedEvent[] = [];
  let at = T0;
  const opening = WALLETS.map((id): LedgerCommand => ({
    type: "OpenWallet",
    walletId: id,
    ownerId: `owner-${id}`,
  }));
  for (const [next, gap] of [...opening.map((open) => [open, 0] as const), ...steps]) {
    at += gap;
    const outcome = execute(state, envelope(next, at));
    if (outcome._tag === "Right" && outcome.right._tag === "Accepted")
      recorded.push(...outcome.right.events);
  }
  return recorded;
}

/** The lines of one wallet, oldest first, read straight from the postings. */
function referenceLines(events: readonly RecordedEvent[], wallet: string): HistoryLine[] {
  const available = walletAvailableAccount(wallet);
  const held = walletHeldAccount(wallet);
  const running = new Map<string, { available: bigint; held: bigint }>();
  const lines: HistoryLine[] = [];
  for (const recorded of events) {
    for (const code of CURRENCIES) {
      const touching = recorded.event.postings.filter(
        (posting) =>
          posting.currency === code && (posting.account === available || posting.account === held),
      );
      if (touching.length === 0) continue;
      // Wallet accounts are liabilities: a credit (negative amount) is more for the holder.
      const availableChange = -touching
        .filter((posting) => posting.account === available)
        .reduce((sum, posting) => sum + posting.amount, 0n);
      const heldChange = -touching
        .filter((posting) => posting.account === held)
        .reduce((sum, posting) => sum + posting.amount, 0n);
      const before = running.get(code) ?? { available: 0n, held: 0n };
      const after = {
        available: before.available + availableChange,
        held: before.held + heldChange,
      };
      running.set(code, after);
      lines.push({
        sequence: recorded.sequence,
        recordedAt: recorded.recordedAt,
        type: recorded.event.type,
        currency: code,
        availableChange,
        heldChange,
        ...after,
      });
    }
  }
  return lines;
}

const matches = (line: HistoryLine, query: HistoryQuery): boolean =>
  (query.before === undefined || line.sequence < query.before) &&
  (query.from === undefined || line.recordedAt >= query.from) &&
  (query.to === undefined || line.recordedAt <= query.to) &&
  (query.types === undefined || query.types.includes(line.type)) &&
  (query.currency === undefined || line.currency === query.currency);

const query = fc.record(
  {
    limit: fc.integer({ min: 1, max: 8 }),
    types: fc.subarray([...TYPES], { minLength: 1 }),
    from: fc.integer({ min: 0, max: 40 }).map((hours) => T0 + hours * 1_800_000),
    to: fc.integer({ min: 0, max: 40 }).map((hours) => T0 + hours * 1_800_000),
    currency: fc.constantFrom(...CURRENCIES),
  },
  { requiredKeys: ["limit"] },
);

function historyOf(events: readonly RecordedEvent[]): WalletHistory {
  const history = new WalletHistory();
  for (const recorded of events) history.apply(recorded);
  return history;
}

/** Every page from the newest, following cursors until there is none. */
function allPages(history: WalletHistory, wallet: string, filter: HistoryQuery): HistoryLine[] {
  const lines: HistoryLine[] = [];
  for (let before: number | undefined, pages = 0; ; pages += 1) {
    const page = history.page(wallet, { ...filter, ...(before === undefined ? {} : { before }) });
    expect(page.lines.length).toBeLessThanOrEqual(filter.limit);
    lines.push(...page.lines);
    if (page.nextCursor === undefined || pages > 1_000) return lines;
    before = page.nextCursor;
  }
}

describe("wallet history", () => {
  it("pages through exactly the matching lines, newest first, whatever the filter and page size", () => {
    fc.assert(
      fc.property(story, walletId, query, (steps, wallet, filter) => {
        const events = record(steps);
        const expected = referenceLines(events, wallet)
          .filter((line) => matches(line, filter))
          .reverse();
        expect(allPages(historyOf(events), wallet, filter)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the balance as of any sequence and any instant, as the postings up to it sum", () => {
    fc.assert(
      fc.property(story, walletId, currency, fc.nat(), (steps, wallet, code, pick) => {
        const events = record(steps);
        const history = historyOf(events);
        const lines = referenceLines(events, wallet).filter((line) => line.currency === code);
        const last = events[events.length - 1] as RecordedEvent;
        const sequence = pick % (last.sequence + 2);
        // An instant just before, at or just after some event's time: the edges are where "as of" can go wrong.
        const at = (events[pick % events.length] as RecordedEvent).recordedAt + (pick % 3) - 1;
        const asOfSequence = lines.filter((line) => line.sequence <= sequence).at(-1);
        const asOfTime = lines.filter((line) => line.recordedAt <= at).at(-1);
        expect(history.balanceAtSequence(wallet, code, sequence)).toEqual({
          available: asOfSequence?.available ?? 0n,
          held: asOfSequence?.held ?? 0n,
        });
        expect(history.balanceAtTime(wallet, code, at)).toEqual({
          available: asOfTime?.available ?? 0n,
          held: asOfTime?.held ?? 0n,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("caps a page at the maximum and answers an unknown wallet with nothing", () => {
    const events = record(
      Array.from({ length: 1_200 }, (): readonly [LedgerCommand, number] => [
        { type: "DepositFunds", walletId: "w1", amount: money("USD", 1), channel: "card" },
        1,
      ]),
    );
    const history = historyOf(events);
    const page = history.page("w1", { limit: 5_000 });
    expect(page.lines).toHaveLength(HISTORY_PAGE_LIMIT_MAX);
    expect(page.nextCursor).toBe(page.lines.at(-1)?.sequence);
    expect(history.page("nobody", { limit: 10 })).toEqual({ lines: [], nextCursor: undefined });
    expect(history.balanceAtSequence("nobody", "USD", 10)).toEqual({ available: 0n, held: 0n });
  });
});
