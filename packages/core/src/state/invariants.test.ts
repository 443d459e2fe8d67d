/**
 * The ledger's invariants as fast-check properties over random command sequences
 * (testing/arbitraries.ts), checked after every step of `execute` with arithmetic written
 * here rather than the helpers the decider uses. PACIOLI_SOAK=1 runs many more.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { execute } from "../decider/handle.js";
import type { RecordedEvent } from "../journal/recorded-event.js";
import { walletAvailableAccount, walletHeldAccount } from "../ledger/account.js";
import type { Posting } from "../ledger/posting.js";
import {
  CURRENCIES,
  HOUR_MS,
  WALLET_IDS,
  commandDigest,
  stepEnvelope,
  stepsArbitrary,
  type Step,
} from "../testing/arbitraries.js";
import { soak } from "../testing/test-run.js";
import { evolve } from "./evolve.js";
import { IDEMPOTENCY_RETENTION_DEFAULT_MS } from "./idempotency-table.js";
import { initialState, type LedgerState } from "./ledger-state.js";

// A soak run takes minutes; the ordinary run stays within the default timeout.
if (soak) vi.setConfig({ testTimeout: 3_600_000 });
const RUNS = soak ? 10_000 : 1_000;
const MAX_STEPS = soak ? 150 : 60;

/** Signed balance of an account, read straight from the map. */
const signed = (state: LedgerState, account: string, currency: string): bigint =>
  state.balances.get(account)?.get(currency) ?? 0n;
/** Wallet accounts are liabilities: the holder's figure is the negated signed balance. */
const available = (state: LedgerState, walletId: string, currency: string): bigint =>
  -signed(state, walletAvailableAccount(walletId), currency);
const held = (state: LedgerState, walletId: string, currency: string): bigint =>
  -signed(state, walletHeldAccount(walletId), currency);

function sumsPerCurrency(postings: Iterable<Posting>): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const posting of postings)
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + posting.amount);
  return sums;
}

/** Runs a sequence, returning the live state and every recorded event. */
function run(
  steps: readonly Step[],
  check?: (state: LedgerState, step: Step, events: readonly RecordedEvent[]) => void,
): { state: LedgerState; recorded: RecordedEvent[] } {
  const state = initialState();
  const recorded: RecordedEvent[] = [];
  for (const [index, step] of steps.entries()) {
    const outcome = execute(state, stepEnvelope(step, index));
    const events =
      outcome._tag === "Right" && outcome.right._tag === "Accepted" ? outcome.right.events : [];
    recorded.push(...events);
    check?.(state, step, events);
  }
  return { state, recorded };
}

const sequences = stepsArbitrary({ maxLength: MAX_STEPS });

/** A broken invariant: thrown as a plain Error (fast-check shrinks and reports it). */
function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

/** The wallet a command debits, when it debits one. */
function debitedBy(
  state: LedgerState,
  command: Step["command"],
): { walletId: string; currency: string } | undefined {
  switch (command.type) {
    case "WithdrawFunds":
    case "PlaceHold":
      return { walletId: command.walletId, currency: command.amount.currency };
    case "TransferFunds":
      return { walletId: command.fromWalletId, currency: command.amount.currency };
    case "IncreaseHold": {
      const hold = state.holds.get(command.holdId);
      return hold === undefined
        ? undefined
        : { walletId: hold.walletId, currency: command.amount.currency };
    }
    default:
      return undefined;
  }
}

/**
 * Every invariant that holds after each step, checked in one pass per step so that each
 * gets the full number of sequences without paying for separate runs.
 */
function checkStep(
  state: LedgerState,
  step: Step,
  events: readonly RecordedEvent[],
  limited: Set<string>,
): void {
  // 1. Every event balances in each currency.
  for (const { event, sequence } of events) {
    for (const [currency, sum] of sumsPerCurrency(event.postings))
      check(sum === 0n, () => `event ${sequence} (${event.type}) is off by ${sum} ${currency}`);
    if (event.type === "OverdraftLimitSet" && event.limit.amount > 0n)
      limited.add(`${event.walletId}|${event.limit.currency}`);
  }
  // 2. The trial balance is zero.
  const everything = [...state.balances.entries()].flatMap(([account, byCurrency]) =>
    [...byCurrency].map(([currency, amount]) => ({ account, currency, amount })),
  );
  for (const [currency, sum] of sumsPerCurrency(everything))
    check(sum === 0n, () => `trial balance is ${sum} ${currency}`);

  // 3. Holds: captured ≤ authorised, refunded ≤ captured, closed holds hold nothing; held = Σ open remaining.
  const expectedHeld = new Map<string, bigint>();
  for (const hold of state.holds.values()) {
    const remaining = hold.authorized - hold.captured - hold.released;
    check(
      hold.captured <= hold.authorized,
      () => `hold ${hold.id} captured ${hold.captured} > authorised ${hold.authorized}`,
    );
    check(
      hold.refunded <= hold.captured,
      () => `hold ${hold.id} refunded ${hold.refunded} > captured ${hold.captured}`,
    );
    check(remaining >= 0n, () => `hold ${hold.id} has negative remaining ${remaining}`);
    if (hold.status === "open") {
      const key = `${hold.walletId}|${hold.currency}`;
      expectedHeld.set(key, (expectedHeld.get(key) ?? 0n) + remaining);
    } else {
      check(remaining === 0n, () => `closed hold ${hold.id} still holds ${remaining}`);
    }
  }
  for (const walletId of WALLET_IDS) {
    for (const currency of CURRENCIES) {
      const heldNow = held(state, walletId, currency);
      check(
        heldNow === (expectedHeld.get(`${walletId}|${currency}`) ?? 0n),
        () =>
          `held of ${walletId} is ${heldNow} ${currency}, open holds say ${expectedHeld.get(`${walletId}|${currency}`) ?? 0n}`,
      );
      // 4. Available is below zero only for a wallet that was allowed an overdraft in that currency.
      const availableNow = available(state, walletId, currency);
      check(
        availableNow >= 0n || limited.has(`${walletId}|${currency}`),
        () => `${walletId} is overdrawn (${availableNow} ${currency}) without ever having a limit`,
      );
    }
  }
  // 5. ... and a wallet just debited is within its limit as it stands.
  const debited = events.length === 0 ? undefined : debitedBy(state, step.command);
  if (debited !== undefined) {
    const limit = state.wallets.get(debited.walletId)?.overdraftLimits?.get(debited.currency) ?? 0n;
    const after = available(state, debited.walletId, debited.currency);
    check(
      after >= -limit,
      () => `${debited.walletId} was debited to ${after} ${debited.currency} with limit ${limit}`,
    );
  }
}

describe("ledger invariants over random command sequences", () => {
  it(`after every step of ${RUNS} sequences: events balance, trial balance zero, held = open holds, captured ≤ authorised, refunded ≤ captured, available ≥ -overdraft limit`, () => {
    let checkedSteps = 0;
    let holdsSeen = 0;
    fc.assert(
      fc.property(sequences, (steps) => {
        const limited = new Set<string>();
        const { state } = run(steps, (now, step, events) => {
          checkStep(now, step, events, limited);
          checkedSteps += 1;
        });
        holdsSeen += state.holds.size;
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: the sequences were long and reached holds.
    expect(checkedSteps).toBeGreaterThan(RUNS * 10);
    expect(holdsSeen).toBeGreaterThan(RUNS);
  });

  it("the step checks catch a broken invariant (they can fail)", () => {
    const state = initialState();
    // A debit of 5 on the wallet's available account: the wallet is 5 cents overdrawn.
    state.balances.set("liabilities:wallets:w1:available", new Map([["USD", 5n]]));
    const step: Step = {
      at: 0,
      key: "k",
      kind: "fresh",
      command: { type: "OpenWallet", walletId: "w1", ownerId: "o" },
    };
    expect(() => checkStep(state, step, [], new Set())).toThrow(/trial balance is 5 USD/);
    state.balances.set("assets:clearing:card", new Map([["USD", -5n]]));
    expect(() => checkStep(state, step, [], new Set())).toThrow(/w1 is overdrawn/);
    expect(() => checkStep(state, step, [], new Set(["w1|USD"]))).not.toThrow();
  });

  it("a retry within the window repeats and adds nothing; another payload under the key is refused; after the window the key is free", () => {
    fc.assert(
      fc.property(
        sequences,
        fc.nat(),
        fc.integer({ min: 0, max: IDEMPOTENCY_RETENTION_DEFAULT_MS - 1 }),
        (steps, pick, delayMs) => {
          const { state, recorded } = run(steps);
          // Keys still live at the end of the run, each with the first event of its command
          // (a key reused after it expired belongs to the later command).
          const live = new Map<string, RecordedEvent>();
          for (const event of recorded)
            if (event.indexInCommand === 0) live.set(event.idempotencyKey, event);
          const candidates = [...live.values()].filter(
            (event) => event.recordedAt + IDEMPOTENCY_RETENTION_DEFAULT_MS > state.lastRecordedAt,
          );
          fc.pre(candidates.length > 0);
          const original = candidates[pick % candidates.length] as RecordedEvent;
          const step = steps.find(
            (candidate) =>
              candidate.key === original.idempotencyKey &&
              commandDigest(candidate.command) === original.digest,
          ) as Step;
          // Ledger time never runs backwards: retry at or after the last event, still inside the window.
          const at =
            state.lastRecordedAt +
            (delayMs %
              (original.recordedAt + IDEMPOTENCY_RETENTION_DEFAULT_MS - state.lastRecordedAt));

          const sequenceBefore = state.sequence;
          const balancesBefore = new Map(
            [...state.balances].map(([account, byCurrency]) => [account, new Map(byCurrency)]),
          );
          const retry = execute(state, { ...stepEnvelope(step, 9_999), at });
          expect(retry).toEqual({
            _tag: "Right",
            right: {
              _tag: "Repeated",
              firstSequence: original.sequence,
              eventCount: original.eventsInCommand,
            },
          });
          expect(state.sequence).toBe(sequenceBefore);
          expect(state.balances).toEqual(balancesBefore);

          const other = execute(state, {
            ...stepEnvelope(step, 9_998),
            at,
            digest: `${original.digest}-other`,
          });
          expect(other).toEqual({
            _tag: "Left",
            left: { _tag: "IdempotencyKeyReused", idempotencyKey: original.idempotencyKey },
          });
          expect(state.sequence).toBe(sequenceBefore);

          const expired = execute(state, {
            ...stepEnvelope(step, 9_997),
            at: original.recordedAt + IDEMPOTENCY_RETENTION_DEFAULT_MS,
            digest: `${original.digest}-other`,
          });
          // Decided afresh: accepted or rejected on its merits, but not as a retry.
          if (expired._tag === "Left") expect(expired.left._tag).not.toBe("IdempotencyKeyReused");
          else expect(expired.right._tag).toBe("Accepted");
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("folding the recorded events twice gives the same state as the live one", () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const { state, recorded } = run(steps);
        const fold = (): LedgerState => recorded.reduce(evolve, initialState());
        const first = fold();
        const second = fold();
        expect(first).toEqual(second);
        expect(first).toEqual(state);
        expect([...first.idempotency.live()]).toEqual([...state.idempotency.live()]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("idempotency retention", () => {
  it("is 24 hours by default", () => {
    expect(IDEMPOTENCY_RETENTION_DEFAULT_MS).toBe(24 * HOUR_MS);
    expect(initialState().idempotency.retentionMs).toBe(24 * HOUR_MS);
  });
});
