/**
 * Arbitraries of payout and adjustment commands for the model-based run (`arbitraries.ts` adds
 * them to its list). Merchants earn through captures and escrow releases in the same run, so
 * payouts find balances to pay, clawbacks (refunds after release) leave some negative, and
 * reserves (held 0 or 1 day, against steps that advance up to 25 hours) come due. Adjustment
 * lines draw from a few accounts, one of them refused (held funds), and are sometimes off by a
 * unit so the balance rule fires.
 *
 * The weights are high for a run of their own (model-based.test.ts), where these flows are the
 * subject; the core run keeps its own list. Like treasury-arbitraries.ts, this module imports
 * only types from `arbitraries.ts`.
 */
import fc from "fast-check";
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { Posting } from "../ledger/posting.js";
import { ROUNDING_MODES, type RoundingMode } from "../money/rounding-mode.js";
import type { CommandArbitrary } from "./arbitraries.js";
import { currency } from "./treasury-arbitraries.js";

const merchantId = fc.constantFrom("m1", "m2", "m3");
const payoutId = fc.constantFrom("p1", "p2", "p3", "p4");
const adjustmentId = fc.constantFrom("j1", "j2");
const operator = fc.constantFrom("alice", "bob");
const ADJUSTED_ACCOUNTS = [
  "liabilities:wallets:w1:available",
  "liabilities:wallets:w3:available",
  "liabilities:merchants:m1",
  "liabilities:merchants:m2",
  "expenses:goodwill",
  "liabilities:wallets:w1:held",
] as const;

const schedule: fc.Arbitrary<LedgerCommand> = fc
  .record({
    merchantId,
    currency,
    fee: fc.constantFrom(0n, 25n, 100n),
    minimum: fc.constantFrom(0n, 500n, 5_000n),
    mismatched: fc.oneof(
      { weight: 20, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    reserveBasisPoints: fc.constantFrom(0, 1_000, 2_500, 10_000),
    reserveDays: fc.constantFrom(0, 1),
    rounding: fc.constantFrom(...ROUNDING_MODES),
  })
  .map(({ merchantId, currency, fee, minimum, mismatched, ...rest }): LedgerCommand => ({
    type: "SetPayoutSchedule",
    merchantId,
    bankAccountId: `bank-${merchantId}`,
    fee: { currency, amount: fee },
    minimum: { currency: mismatched ? "EUR" : currency, amount: minimum },
    ...rest,
  }));

const lines: fc.Arbitrary<Posting[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant([] as Posting[]) },
  {
    weight: 20,
    arbitrary: fc
      .record({
        debited: fc.constantFrom(...ADJUSTED_ACCOUNTS),
        credited: fc.constantFrom(...ADJUSTED_ACCOUNTS),
        currency: fc.constantFrom("USD", "JPY"),
        amount: fc.bigInt(2n, 3_000n),
        skew: fc.oneof(
          { weight: 10, arbitrary: fc.constant(0n) },
          { weight: 1, arbitrary: fc.constant(1n) },
        ),
      })
      .map(({ debited, credited, currency, amount, skew }) => [
        { account: debited, currency, amount },
        { account: credited, currency, amount: -amount + skew },
      ]),
  },
);

export function payoutArbitraries(): CommandArbitrary[] {
  const entry = (
    type: CommandArbitrary["type"],
    weight: number,
    arbitrary: fc.Arbitrary<LedgerCommand>,
  ): CommandArbitrary => ({ type, weight, arbitrary });
  return [
    entry("SetPayoutSchedule", 2, schedule),
    entry(
      "PayOutMerchant",
      6,
      fc.record({ payoutId, merchantId }).map((fields) => ({ type: "PayOutMerchant", ...fields })),
    ),
    entry(
      "ReleasePayoutReserve",
      4,
      payoutId.map((id) => ({ type: "ReleasePayoutReserve", payoutId: id })),
    ),
    entry(
      "ReturnPayout",
      2,
      payoutId.map((id) => ({ type: "ReturnPayout", payoutId: id, reason: "account closed" })),
    ),
    entry(
      "ProposeAdjustment",
      3,
      fc
        .record({ adjustmentId, proposedBy: operator, postings: lines })
        .map((fields) => ({ type: "ProposeAdjustment", reason: "correction", ...fields })),
    ),
    entry(
      "ApproveAdjustment",
      3,
      fc
        .record({ adjustmentId, approvedBy: operator })
        .map((fields) => ({ type: "ApproveAdjustment", ...fields })),
    ),
    entry(
      "RecordSettlement",
      2,
      fc
        .record({
          settlementId: fc.constantFrom("st1", "st2"),
          channel: fc.constantFrom("card", "bank"),
          reference: fc.constantFrom("p1", "p2"),
          direction: fc.constantFrom("in" as const, "out" as const),
          amount: fc.record({ currency, amount: fc.bigInt(1n, 3_000n) }),
        })
        .map((fields) => ({ type: "RecordSettlement", ...fields })),
    ),
    entry(
      "ReverseAdjustment",
      2,
      fc
        .record({ adjustmentId, reversedBy: operator })
        .map((fields) => ({ type: "ReverseAdjustment", reason: "entered in error", ...fields })),
    ),
  ];
}

/** A payout schedule with no minimum, paid to the bank account `bank-{merchantId}`. */
const noMinimumSchedule = (
  merchant: string,
  fee: { readonly currency: string; readonly amount: bigint },
  reserveBasisPoints: number,
  reserveDays: number,
  rounding: RoundingMode,
): LedgerCommand => ({
  type: "SetPayoutSchedule",
  merchantId: merchant,
  bankAccountId: `bank-${merchant}`,
  fee,
  minimum: { currency: fee.currency, amount: 0n },
  reserveBasisPoints,
  reserveDays,
  rounding,
});

/**
 * Payout schedules for m1 (USD: 10% reserve released at once, 0.25 fee, no minimum) and m2 (JPY:
 * 25% reserve held a day, no fee, no minimum), so both release paths are reachable, and a
 * capture that gives m2 a balance to pay out, and a first payout of m1.
 */
export const PAYOUT_PRELUDE: readonly LedgerCommand[] = [
  { type: "CaptureHold", holdId: "h2", amount: { currency: "JPY", amount: 1_000n }, final: false },
  noMinimumSchedule("m1", { currency: "USD", amount: 25n }, 1_000, 0, "half-up"),
  noMinimumSchedule("m2", { currency: "JPY", amount: 0n }, 2_500, 1, "down"),
  // m1 holds the prelude's 10.00 USD capture of h1: paid out at once (reserve 1.00, net 8.75).
  { type: "PayOutMerchant", payoutId: "p1", merchantId: "m1" },
];
