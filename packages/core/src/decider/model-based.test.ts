/**
 * Model-based run: thousands of random command sequences sent both to the ledger
 * (`execute`: idempotency, decide, evolve) and to the independent reference model
 * (testing/reference-model.ts). After every step the two must agree on the outcome
 * (accepted, repeated, or the rejection tag), every wallet's status and available and held
 * balance per currency, every hold's amounts and status, and every merchant and clearing
 * balance. PACIOLI_SOAK=1 runs many more and longer sequences.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  bankAccount,
  clearingAccount,
  escrowAccount,
  feeRevenueAccount,
  merchantAccount,
  merchantReserveAccount,
} from "../ledger/account.js";
import { balanceOf } from "../ledger/balances.js";
import {
  CHANNELS,
  CURRENCIES,
  HOLD_IDS,
  MERCHANT_IDS,
  ORDER_IDS,
  UNKNOWN_CURRENCY,
  WALLET_IDS,
  commandDigest,
  stepEnvelope,
  stepsArbitrary,
  COMMAND_ARBITRARIES,
  PRELUDE,
  type Step,
} from "../testing/arbitraries.js";
import { PAYOUT_PRELUDE, payoutArbitraries } from "../testing/payout-arbitraries.js";
import {
  emptyModel,
  holdRemaining as modelRemaining,
  modelSubmit,
  type ModelLedger,
  type ModelOutcome,
} from "../testing/reference-model.js";
import { initialState, holdRemaining, type LedgerState } from "../state/ledger-state.js";
import { availableBalance, heldBalance } from "../state/wallet-balances.js";
import { CORE_REJECTIONS } from "../testing/core-rejections.js";
import { execute } from "./handle.js";

const soak =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[
    "PACIOLI_SOAK"
  ] === "1";
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
const env =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const SEED =
  soak || env["PACIOLI_SEED"] === "random" ? undefined : Number(env["PACIOLI_SEED"] ?? 20_261_125);
const MAX_STEPS = soak ? 150 : 60;
const PAYOUT_RUNS = soak ? 3_000 : 300;

const ALL_CURRENCIES = [...CURRENCIES, UNKNOWN_CURRENCY];
/** The one account adjustments move that is neither a wallet nor a merchant. */
const GOODWILL = "expenses:goodwill";

function realOutcome(state: LedgerState, step: Step, index: number): ModelOutcome {
  const result = execute(state, stepEnvelope(step, index));
  if (result._tag === "Left") return { kind: "rejected", tag: result.left._tag };
  return result.right._tag === "Accepted" ? { kind: "accepted" } : { kind: "repeated" };
}

/** Everything observable, from the real state, in the model's vocabulary. */
function observeReal(state: LedgerState): unknown {
  const wallets = WALLET_IDS.map((id) => {
    const wallet = state.wallets.get(id);
    if (wallet === undefined) return { id, exists: false };
    return walletView(id, wallet.status, (currency) => [
      availableBalance(state, wallet, currency),
      heldBalance(state, wallet, currency),
    ]);
  });
  const holds = HOLD_IDS.map((id) => {
    const hold = state.holds.get(id);
    if (hold === undefined) return { id, exists: false };
    return holdView(id, hold, holdRemaining(hold), hold.refundIds ?? []);
  });
  const merchants = MERCHANT_IDS.flatMap((id) =>
    ALL_CURRENCIES.map((currency) => [
      id,
      currency,
      -balanceOf(state.balances, merchantAccount(id), currency),
    ]),
  );
  const channels = CHANNELS.flatMap((id) =>
    ALL_CURRENCIES.map((currency) => [
      id,
      currency,
      balanceOf(state.balances, clearingAccount(id), currency),
    ]),
  );
  const escrow = ORDER_IDS.flatMap((id) =>
    ALL_CURRENCIES.map((currency) => [
      id,
      currency,
      -balanceOf(state.balances, escrowAccount(id), currency),
    ]),
  );
  const fees = ALL_CURRENCIES.map((currency) => [
    currency,
    -balanceOf(state.balances, feeRevenueAccount("checkout"), currency),
  ]);
  const payouts = ALL_CURRENCIES.map((currency) => [
    currency,
    -balanceOf(state.balances, feeRevenueAccount("payout"), currency),
    balanceOf(state.balances, GOODWILL, currency),
    ...CHANNELS.map((id) => balanceOf(state.balances, bankAccount(id), currency)),
    ...MERCHANT_IDS.map((id) => -balanceOf(state.balances, merchantReserveAccount(id), currency)),
  ]);
  return { wallets, holds, merchants, channels, escrow, fees, payouts };
}

/** One wallet as both sides are compared: its status and, per currency, available and held. */
function walletView(
  id: string,
  status: string,
  balancesIn: (currency: string) => [available: bigint, held: bigint],
) {
  return {
    id,
    status,
    balances: ALL_CURRENCIES.map((currency) => [currency, ...balancesIn(currency)]),
  };
}

/** The fields of a hold that the ledger and the model both keep. */
interface HoldFields {
  readonly walletId: string;
  readonly merchantId: string;
  readonly currency: string;
  readonly expiresAt: number;
  readonly status: string;
  readonly authorized: bigint;
  readonly captured: bigint;
  readonly released: bigint;
  readonly refunded: bigint;
}

/** One hold as both sides are compared: its fields, what remains, its refunds in order. */
function holdView(id: string, hold: HoldFields, remaining: bigint, refundIds: Iterable<string>) {
  const { walletId, merchantId, currency, expiresAt, status } = hold;
  const { authorized, captured, released, refunded } = hold;
  return {
    id,
    walletId,
    merchantId,
    currency,
    expiresAt,
    status,
    authorized,
    captured,
    released,
    refunded,
    remaining,
    refunds: [...refundIds].sort(),
  };
}

function observeModel(model: ModelLedger): unknown {
  const wallets = WALLET_IDS.map((id) => {
    const wallet = model.wallets.get(id);
    if (wallet === undefined) return { id, exists: false };
    return walletView(id, wallet.status, (currency) => [
      wallet.available.get(currency) ?? 0n,
      wallet.held.get(currency) ?? 0n,
    ]);
  });
  const holds = HOLD_IDS.map((id) => {
    const hold = model.holds.get(id);
    if (hold === undefined) return { id, exists: false };
    return holdView(id, hold, modelRemaining(hold), hold.refundIds);
  });
  const merchants = MERCHANT_IDS.flatMap((id) =>
    ALL_CURRENCIES.map((currency) => [
      id,
      currency,
      model.merchants.get(`${id}|${currency}`) ?? 0n,
    ]),
  );
  const channels = CHANNELS.flatMap((id) =>
    ALL_CURRENCIES.map((currency) => [id, currency, model.channels.get(`${id}|${currency}`) ?? 0n]),
  );
  const escrow = ORDER_IDS.flatMap((id) => {
    const order = model.checkout.orders.get(id);
    return ALL_CURRENCIES.map((currency) => [
      id,
      currency,
      order?.currency === currency ? order.escrow : 0n,
    ]);
  });
  const fees = ALL_CURRENCIES.map((currency) => [
    currency,
    model.checkout.fees.get(currency) ?? 0n,
  ]);
  const payouts = ALL_CURRENCIES.map((currency) => [
    currency,
    model.payouts.fees.get(currency) ?? 0n,
    model.payouts.others.get(`${GOODWILL}|${currency}`) ?? 0n,
    ...CHANNELS.map((id) => model.payouts.others.get(`assets:bank:${id}|${currency}`) ?? 0n),
    ...MERCHANT_IDS.map((id) => model.payouts.reserves.get(`${id}|${currency}`) ?? 0n),
  ]);
  return { wallets, holds, merchants, channels, escrow, fees, payouts };
}

export interface RunStats {
  steps: number;
  accepted: number;
  repeated: number;
  rejections: Map<string, number>;
}

/** Runs one sequence against both, failing at the first divergence. */
function runBoth(steps: readonly Step[], stats: RunStats): void {
  const state = initialState();
  const model = emptyModel(CURRENCIES);
  for (const [index, step] of steps.entries()) {
    const real = realOutcome(state, step, index);
    const expected = modelSubmit(model, {
      key: step.key,
      digest: commandDigest(step.command),
      at: step.at,
      command: step.command,
    });
    const where = `step ${index} (${step.kind} ${step.command.type} at +${step.at - (steps[0]?.at ?? 0)}ms)`;
    expect(real, `outcome at ${where}`).toEqual(expected);
    expect(observeReal(state), `state after ${where}`).toEqual(observeModel(model));
    stats.steps += 1;
    if (real.kind === "accepted") stats.accepted += 1;
    else if (real.kind === "repeated") stats.repeated += 1;
    else stats.rejections.set(real.tag, (stats.rejections.get(real.tag) ?? 0) + 1);
  }
}

describe("the ledger against the reference model", () => {
  it(`agrees on every outcome, balance and hold over ${MODEL_RUNS} random sequences`, () => {
    const stats: RunStats = { steps: 0, accepted: 0, repeated: 0, rejections: new Map() };
    fc.assert(
      fc.property(stepsArbitrary({ maxLength: MAX_STEPS }), (steps) => runBoth(steps, stats)),
      SEED === undefined ? { numRuns: MODEL_RUNS } : { numRuns: MODEL_RUNS, seed: SEED },
    );
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

  // A run of its own, so the rarer core rules keep the share of steps the run above gives them.
  it(`agrees on payouts, reserves, clawbacks and adjustments over ${PAYOUT_RUNS} random sequences`, () => {
    const stats: RunStats = { steps: 0, accepted: 0, repeated: 0, rejections: new Map() };
    const steps = stepsArbitrary({
      maxLength: MAX_STEPS,
      arbitraries: [...COMMAND_ARBITRARIES, ...payoutArbitraries()],
      prelude: [...PRELUDE, ...PAYOUT_PRELUDE],
    });
    fc.assert(
      fc.property(steps, (drawn) => runBoth(drawn, stats)),
      SEED === undefined ? { numRuns: PAYOUT_RUNS } : { numRuns: PAYOUT_RUNS, seed: SEED },
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
    ]) {
      expect(fired, `no sequence ever produced ${tag}`).toContain(tag);
    }
    expect(stats.accepted).toBeGreaterThan(stats.steps / 10);
  });
});
