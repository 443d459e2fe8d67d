/**
 * The ledger's invariants as fast-check properties over random command sequences
 * (testing/arbitraries.ts), checked after every step of `execute` with arithmetic written
 * here rather than the helpers the decider uses. PACIOLI_SOAK=1 runs many more.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CommandEnvelope } from "../commands/ledger-command.js";
import { execute } from "../decider/handle.js";
import type { RecordedEvent } from "../journal/recorded-event.js";
import { walletAvailableAccount, walletHeldAccount } from "../ledger/account.js";
import type { Posting } from "../ledger/posting.js";
import { CURRENCIES, HOUR_MS, WALLET_IDS, commandDigest, stepsArbitrary, type Step } from "../testing/arbitraries.js";
import { evolve } from "./evolve.js";
import { IDEMPOTENCY_RETENTION_DEFAULT_MS } from "./idempotency-table.js";
import { initialState, type LedgerState } from "./ledger-state.js";

const soak = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env["PACIOLI_SOAK"] === "1";
const RUNS = soak ? 20_000 : 1_000;
const MAX_STEPS = soak ? 200 : 60;

const envelopeOf = (step: Step, index: number): CommandEnvelope => ({
  commandId: `c${index}`,
  idempotencyKey: step.key,
  digest: commandDigest(step.command),
  at: step.at,
  command: step.command,
});

/** Signed balance of an account, read straight from the map. */
const signed = (state: LedgerState, account: string, currency: string): bigint => state.balances.get(account)?.get(currency) ?? 0n;
/** Wallet accounts are liabilities: the holder's figure is the negated signed balance. */
const available = (state: LedgerState, walletId: string, currency: string): bigint => -signed(state, walletAvailableAccount(walletId), currency);
const held = (state: LedgerState, walletId: string, currency: string): bigint => -signed(state, walletHeldAccount(walletId), currency);

function sumsPerCurrency(postings: Iterable<Posting>): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const posting of postings) sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + posting.amount);
  return sums;
}

function expectAllZero(sums: Map<string, bigint>, what: string): void {
  for (const [currency, sum] of sums) expect(sum, `${what} in ${currency}`).toBe(0n);
}

/** Runs a sequence, returning the live state and every recorded event. */
function run(steps: readonly Step[], check?: (state: LedgerState, step: Step, events: readonly RecordedEvent[]) => void): { state: LedgerState; recorded: RecordedEvent[] } {
  const state = initialState();
  const recorded: RecordedEvent[] = [];
  for (const [index, step] of steps.entries()) {
    const outcome = execute(state, envelopeOf(step, index));
    const events = outcome._tag === "Right" && outcome.right._tag === "Accepted" ? outcome.right.events : [];
    recorded.push(...events);
    check?.(state, step, events);
  }
  return { state, recorded };
}

const sequences = stepsArbitrary({ maxLength: MAX_STEPS });

describe("ledger invariants over random command sequences", () => {
  it("every event balances in each currency, and the trial balance stays zero", () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        run(steps, (state, _step, events) => {
          for (const { event, sequence } of events) expectAllZero(sumsPerCurrency(event.postings), `postings of event ${sequence} (${event.type})`);
          const everything = [...state.balances.entries()].flatMap(([account, byCurrency]) => [...byCurrency].map(([currency, amount]) => ({ account, currency, amount })));
          expectAllZero(sumsPerCurrency(everything), "trial balance");
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("available never goes below zero unless an overdraft limit allows it", () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const limited = new Set<string>(); // wallet|currency that ever had a positive limit
        run(steps, (state, step, events) => {
          for (const { event } of events) {
            if (event.type === "OverdraftLimitSet" && event.limit.amount > 0n) limited.add(`${event.walletId}|${event.limit.currency}`);
          }
          for (const walletId of WALLET_IDS) {
            for (const currency of CURRENCIES) {
              if (available(state, walletId, currency) < 0n) expect(limited, `${walletId} is overdrawn in ${currency} without a limit`).toContain(`${walletId}|${currency}`);
            }
          }
          // The wallet a command just debited is within its limit as it stands now.
          const command = step.command;
          if (events.length === 0) return;
          const debited =
            command.type === "WithdrawFunds" || command.type === "PlaceHold"
              ? { walletId: command.walletId, currency: command.amount.currency }
              : command.type === "TransferFunds"
                ? { walletId: command.fromWalletId, currency: command.amount.currency }
                : command.type === "IncreaseHold"
                  ? { walletId: state.holds.get(command.holdId)?.walletId ?? "", currency: command.amount.currency }
                  : undefined;
          if (debited === undefined) return;
          const limit = state.wallets.get(debited.walletId)?.overdraftLimits?.get(debited.currency) ?? 0n;
          expect(available(state, debited.walletId, debited.currency)).toBeGreaterThanOrEqual(-limit);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("held equals the sum of open holds' remaining amounts; captured ≤ authorised; refunded ≤ captured", () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        run(steps, (state) => {
          const expected = new Map<string, bigint>();
          for (const hold of state.holds.values()) {
            expect(hold.captured).toBeLessThanOrEqual(hold.authorized);
            expect(hold.refunded).toBeLessThanOrEqual(hold.captured);
            expect(hold.captured + hold.released).toBeLessThanOrEqual(hold.authorized);
            const remaining = hold.authorized - hold.captured - hold.released;
            if (hold.status === "open") {
              const key = `${hold.walletId}|${hold.currency}`;
              expected.set(key, (expected.get(key) ?? 0n) + remaining);
            } else {
              expect(remaining, `closed hold ${hold.id} still holds money`).toBe(0n);
            }
          }
          for (const walletId of WALLET_IDS) {
            for (const currency of CURRENCIES) expect(held(state, walletId, currency), `held of ${walletId} in ${currency}`).toBe(expected.get(`${walletId}|${currency}`) ?? 0n);
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("a retry within the window repeats and adds nothing; another payload under the key is refused; after the window the key is free", () => {
    fc.assert(
      fc.property(sequences, fc.nat(), fc.integer({ min: 0, max: IDEMPOTENCY_RETENTION_DEFAULT_MS - 1 }), (steps, pick, delayMs) => {
        const { state, recorded } = run(steps);
        const firsts = recorded.filter((event) => event.indexInCommand === 0);
        fc.pre(firsts.length > 0);
        const original = firsts[pick % firsts.length] as RecordedEvent;
        const step = steps.find((candidate) => candidate.key === original.idempotencyKey && commandDigest(candidate.command) === original.digest) as Step;
        // Ledger time never runs backwards: retry at or after the last event, still inside the window.
        const at = Math.max(state.lastRecordedAt, original.recordedAt + delayMs);
        fc.pre(at < original.recordedAt + IDEMPOTENCY_RETENTION_DEFAULT_MS);
        // A later accepted command may have reused the key after it expired: then that one is the live entry.
        const live = [...firsts].reverse().find((event) => event.idempotencyKey === original.idempotencyKey) as RecordedEvent;
        fc.pre(live === original);

        const sequenceBefore = state.sequence;
        const balancesBefore = new Map([...state.balances].map(([account, byCurrency]) => [account, new Map(byCurrency)]));
        const retry = execute(state, { ...envelopeOf(step, 9_999), at });
        expect(retry).toEqual({ _tag: "Right", right: { _tag: "Repeated", firstSequence: original.sequence, eventCount: original.eventsInCommand } });
        expect(state.sequence).toBe(sequenceBefore);
        expect(state.balances).toEqual(balancesBefore);

        const other = execute(state, { ...envelopeOf(step, 9_998), at, digest: `${original.digest}-other` });
        expect(other).toEqual({ _tag: "Left", left: { _tag: "IdempotencyKeyReused", idempotencyKey: original.idempotencyKey } });
        expect(state.sequence).toBe(sequenceBefore);

        const expired = execute(state, { ...envelopeOf(step, 9_997), at: original.recordedAt + IDEMPOTENCY_RETENTION_DEFAULT_MS, digest: `${original.digest}-other` });
        // Decided afresh: accepted or rejected on its merits, but not as a retry.
        if (expired._tag === "Left") expect(expired.left._tag).not.toBe("IdempotencyKeyReused");
        else expect(expired.right._tag).toBe("Accepted");
      }),
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
