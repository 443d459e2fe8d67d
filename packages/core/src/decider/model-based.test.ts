/**
 * Model-based run: thousands of random command sequences sent both to the ledger
 * (`execute`: idempotency, decide, evolve) and to the independent reference model
 * (testing/reference-model.ts). After every step the two must agree on the outcome
 * (accepted, repeated, or the rejection tag), every wallet's status, every hold's amounts and
 * status, every promotion's budget and spending, and the whole books: the balance of every
 * account in every currency (testing/model-observation.ts), so a leg posted to the wrong
 * account, or to one the model does not know, fails the run like a wrong amount.
 *
 * Two runs: the core run (wallets, holds, checkout, escrow, disputes, funding sources, FX and
 * limits), and the wallet-world run (issue 18), which mixes all of those with promoted and
 * converted checkouts and their returns, payouts, reserves, bank returns, clawbacks,
 * adjustments and settlements, and counts each generated case. PACIOLI_SOAK=1 runs many more
 * and longer sequences.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import type { LedgerEvent } from "../events/ledger-event.js";
import { trialBalance } from "../ledger/balances.js";
import {
  CURRENCIES,
  commandDigest,
  stepEnvelope,
  stepsArbitrary,
  type Step,
} from "../testing/arbitraries.js";
import { worldStepsArbitrary } from "../testing/world-arbitraries.js";
import { emptyModel, modelSubmit, type ModelOutcome } from "../testing/reference-model.js";
import { initialState, type LedgerState } from "../state/ledger-state.js";
import { CORE_REJECTIONS } from "../testing/core-rejections.js";
import { observeModel, observeReal } from "../testing/model-observation.js";
import { log, soak, testEnv } from "../testing/test-run.js";
import { execute } from "./handle.js";

// A soak run takes minutes. The ordinary run takes about 20 s on an idle 2-core machine and
// over 70 s on a loaded one: its budget is generous (a budget, not a timed assertion).
vi.setConfig({ testTimeout: soak ? 3_600_000 : 300_000 });
const MODEL_RUNS = soak ? 10_000 : 1_000;
/**
 * The ordinary run uses a fixed seed: its coverage check below asks that every rule fire at
 * least once, and some rules fire only a few times per thousand sequences, so a random seed
 * would make CI fail now and then without any bug. The soak run (and PACIOLI_SEED=random)
 * draws a new seed each time and prints it, so new sequences are explored there.
 */
const SEED =
  soak || testEnv["PACIOLI_SEED"] === "random"
    ? undefined
    : Number(testEnv["PACIOLI_SEED"] ?? 20_261_125);
const MAX_STEPS = soak ? 150 : 60;
const WORLD_RUNS = soak ? 5_000 : 500;
const WORLD_MAX_STEPS = soak ? 200 : 80;
/** The least count of each generated case over the ordinary run (set well below what it gives). */
const WORLD_CASES_MIN: Readonly<Record<string, number>> = {
  // With the fixed seed (20 261 125), 500 sequences of up to 80 steps (35,731 steps) gave:
  // promoted 230, converted 195, both 178; returns: promotion share 254, original terms 353,
  // new quote 18; clawbacks 138, payouts after one 20, after a negative balance 4; payouts 416
  // (fee 224, reserve 411), reserves released 92, bank returns 74; adjustments approved 55,
  // reversed 9; settlements 341. The minimums are about a third of that.
  "promoted checkout": 75,
  "converted checkout": 65,
  "promoted and converted checkout": 60,
  "promotion share returned": 80,
  "returned at the original terms": 120,
  "returned at a new quote": 6,
  "clawback after release": 45,
  "payout after a clawback": 6,
  "payout after a negative balance (recovery)": 2,
  payout: 140,
  "payout with a fee": 75,
  "payout with a reserve": 140,
  "reserve released": 30,
  "payout returned by the bank": 25,
  "adjustment approved by a second person": 18,
  "adjustment reversed": 3,
  "settlement recorded": 110,
};

interface RunStats {
  steps: number;
  accepted: number;
  repeated: number;
  rejections: Map<string, number>;
  /** Generated cases, counted from the events the ledger accepted (see `countCases`). */
  cases: Map<string, number>;
}

const emptyStats = (): RunStats => ({
  steps: 0,
  accepted: 0,
  repeated: 0,
  rejections: new Map(),
  cases: new Map(),
});

function realOutcome(
  state: LedgerState,
  step: Step,
  index: number,
): { outcome: ModelOutcome; events: LedgerEvent[] } {
  const result = execute(state, stepEnvelope(step, index));
  if (result._tag === "Left")
    return { outcome: { kind: "rejected", tag: result.left._tag }, events: [] };
  return result.right._tag === "Accepted"
    ? { outcome: { kind: "accepted" }, events: result.right.events.map(({ event }) => event) }
    : { outcome: { kind: "repeated" }, events: [] };
}

/**
 * The cases of issue 18 an accepted command's events show, so the run can prove it generated
 * them. `negative` tracks, per merchant and sequence, a balance a clawback drove below zero:
 * the next payout of that merchant is its recovery.
 */
function countCases(
  events: readonly LedgerEvent[],
  state: LedgerState,
  { negative, clawedBack }: { negative: Set<string>; clawedBack: Set<string> },
  cases: Map<string, number>,
): void {
  const count = (name: string) => cases.set(name, (cases.get(name) ?? 0) + 1);
  for (const event of events) {
    if (event.type === "CheckoutStarted") {
      if (event.promotion !== undefined && event.conversion !== undefined)
        count("promoted and converted checkout");
      else if (event.promotion !== undefined) count("promoted checkout");
      else if (event.conversion !== undefined) count("converted checkout");
    }
    if (event.type === "CheckoutFundingReturned") {
      // Recorded only when something moves (issue 18): never an entry without postings.
      expect(event.postings.length, "CheckoutFundingReturned postings").toBeGreaterThan(0);
      if (event.promotionShare.amount > 0n) count("promotion share returned");
      if (event.conversion?.basis === "original") count("returned at the original terms");
      if (event.conversion?.basis === "quote") count("returned at a new quote");
    }
    if (event.type === "OrderRefunded" && event.fromMerchant.amount > 0n) {
      count("clawback after release");
      clawedBack.add(ownerOfOrder(state, event));
      const balance = state.balances.get(`liabilities:merchants:${ownerOfOrder(state, event)}`);
      if ((balance?.get(event.amount.currency) ?? 0n) > 0n)
        negative.add(ownerOfOrder(state, event));
    }
    if (event.type === "MerchantPaidOut") {
      count("payout");
      if (event.fee.amount > 0n) count("payout with a fee");
      if (event.reserve.amount > 0n) count("payout with a reserve");
      if (negative.delete(event.merchantId)) count("payout after a negative balance (recovery)");
      if (clawedBack.delete(event.merchantId)) count("payout after a clawback");
    }
    if (event.type === "PayoutReserveReleased") count("reserve released");
    if (event.type === "PayoutReturned") count("payout returned by the bank");
    if (event.type === "AdjustmentPosted") count("adjustment approved by a second person");
    if (event.type === "AdjustmentReversed") count("adjustment reversed");
    if (event.type === "SettlementRecorded") count("settlement recorded");
  }
}

const ownerOfOrder = (state: LedgerState, event: { orderId: string }): string =>
  state.orders.get(event.orderId)?.merchantId ?? "?";

/** What holds after every step whatever the model says: money conserved, no reserve negative. */
function expectInvariants(state: LedgerState, where: string): void {
  for (const [currency, total] of trialBalance(state.balances))
    expect(total, `trial balance in ${currency} after ${where}`).toBe(0n);
  for (const [account, byCurrency] of state.balances)
    if (account.startsWith("liabilities:reserves:"))
      for (const [currency, balance] of byCurrency)
        expect(balance, `${account} ${currency} after ${where}`).toBeLessThanOrEqual(0n);
}

/** Runs one sequence against both, failing at the first divergence. */
function runBoth(steps: readonly Step[], stats: RunStats): void {
  const state = initialState();
  const model = emptyModel(CURRENCIES);
  const merchants = { negative: new Set<string>(), clawedBack: new Set<string>() };
  for (const [index, step] of steps.entries()) {
    const { outcome: real, events } = realOutcome(state, step, index);
    const expected = modelSubmit(model, {
      key: step.key,
      digest: commandDigest(step.command),
      at: step.at,
      command: step.command,
    });
    const where = `step ${index} (${step.kind} ${step.command.type} at +${step.at - (steps[0]?.at ?? 0)}ms)`;
    expect(real, `outcome at ${where}`).toEqual(expected);
    expect(observeReal(state), `state after ${where}`).toEqual(observeModel(model));
    expectInvariants(state, where);
    stats.steps += 1;
    if (real.kind === "accepted") stats.accepted += 1;
    else if (real.kind === "repeated") stats.repeated += 1;
    else stats.rejections.set(real.tag, (stats.rejections.get(real.tag) ?? 0) + 1);
    countCases(events, state, merchants, stats.cases);
  }
}

/** Runs `runs` sequences (a fixed seed unless soaking) and returns what they exercised. */
function runModel(steps: fc.Arbitrary<Step[]>, runs: number): RunStats {
  const stats = emptyStats();
  fc.assert(
    fc.property(steps, (drawn) => runBoth(drawn, stats)),
    SEED === undefined ? { numRuns: runs } : { numRuns: runs, seed: SEED },
  );
  return stats;
}

describe("the ledger against the reference model", () => {
  it(`agrees on every outcome, balance and hold over ${MODEL_RUNS} random sequences`, () => {
    const stats = runModel(stepsArbitrary({ maxLength: MAX_STEPS }), MODEL_RUNS);
    // The run is only evidence if it exercised the interesting paths: most rules fired.
    // (Counted over every run, including any shrinking, so the bounds are loose.)
    expect(stats.accepted).toBeGreaterThan(stats.steps / 10);
    expect(stats.repeated).toBeGreaterThan(0);
    const fired = [...stats.rejections.keys()].sort();
    for (const tag of [
      // WalletHasOpenHolds needs a hold captured in full without `final` on a wallet with nothing
      // else in it, which random sequences almost never build: wallet-decisions.test.ts pins it.
      ...CORE_REJECTIONS.filter((tag) => tag !== "WalletHasOpenHolds"),
      // checkout, escrow and disputes
      "MerchantNotFound",
      "MerchantNotAuthorized",
      "OrderNotFound",
      "OrderAlreadyExists",
      "OrderNotCaptured",
      "OrderNotShipped",
      "OrderDisputed",
      "EscrowEmpty",
      "ProtectionWindowOpen",
      "DisputeNotFound",
      "OrderRefundExceedsCaptured",
      "HoldBelongsToOrder",
      "ReceiptAlreadyConfirmed",
      // funding sources, FX, limits and payment rules
      "FundingSourceNotFound",
      "FundingSourceNotOwned",
      "FundingSourceUnverified",
      "FundingSourceExpired",
      "FundingSourceAlreadyVerified",
      "VerificationMethodMismatch",
      "FxQuoteNotFound",
      "QuoteExpired",
      "RateInvalid",
      "StrongAuthenticationRequired",
      "SpendingLimitExceeded",
    ]) {
      expect(fired, `no sequence ever produced ${tag}`).toContain(tag);
    }
  });

  // A run of its own, so the rarer core rules keep the share of steps the run above gives them:
  // the wallet world of issue 18 (promoted and converted checkouts and their returns, payouts,
  // reserves, bank returns, clawbacks, adjustments, settlements) mixed with every older command.
  it(`agrees on funded checkouts, payouts, clawbacks, adjustments and settlements over ${WORLD_RUNS} random sequences`, () => {
    const stats = runModel(worldStepsArbitrary(WORLD_MAX_STEPS), WORLD_RUNS);
    log(
      `wallet-world run: ${stats.steps} steps, ${stats.accepted} accepted, cases ${JSON.stringify(Object.fromEntries(stats.cases))}, rejections ${JSON.stringify(Object.fromEntries(stats.rejections))}`,
    );
    const fired = [...stats.rejections.keys()].sort();
    for (const tag of [
      "PayoutScheduleNotSet",
      "PayoutAlreadyExists",
      "PayoutBelowMinimum",
      "PayoutReserveHeld",
      "PayoutReserveNotHeld",
      "PayoutAlreadyReturned",
      "AdjustmentNotProposed",
      "AdjustmentNotPosted",
      "ApproverIsProposer",
      "AdjustmentUnbalanced",
      "AdjustmentAccountNotAllowed",
      "AdjustmentEmpty",
      "SettlementAlreadyExists",
      // promotions and conversion at checkout, and on the way back
      "PromotionNotFound",
      "PromotionAlreadyExists",
      "PromotionBudgetExhausted",
      "DiscountNotBelowPrice",
      "FeeRateOutOfRange",
      "HoldBelongsToOrder",
      "FxQuoteNotFound",
      "QuoteExpired",
      "CurrencyMismatch",
      "MerchantBalanceInsufficient",
    ]) {
      expect(fired, `no sequence ever produced ${tag}`).toContain(tag);
    }
    expect(stats.accepted).toBeGreaterThan(stats.steps / 10);
    // Each case the issue names was generated, accepted and agreed on, often enough to count
    // (figures from the fixed seed beside WORLD_CASES_MIN): the run fails if a generator stops.
    for (const [name, minimum] of Object.entries(WORLD_CASES_MIN))
      expect(stats.cases.get(name) ?? 0, `generated cases of ${name}`).toBeGreaterThanOrEqual(
        minimum,
      );
  });
});
