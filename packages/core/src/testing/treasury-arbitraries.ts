/**
 * Arbitraries of funding-source, FX and limit commands, and payment commands that state
 * strong authentication, for the model-based run (`arbitraries.ts` adds them to its list).
 * Ids come from small pools so sources are verified twice, quotes reused, tiers reassigned;
 * times (card expiry, quote expiry) are offsets from the step's clock, resolved there.
 *
 * This module imports nothing from `arbitraries.ts` at run time (only its types), so the two
 * can include each other's lists without an import cycle.
 */
import fc from "fast-check";
import type { LedgerCommand, LedgerCommandType } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import type { Timestamp } from "../time/timestamp.js";
import type { CommandArbitrary } from "./arbitraries.js";

const HOUR_MS = 3_600_000;
const walletId = fc.constantFrom("w1", "w2", "w3");
const sourceId = fc.constantFrom("s1", "s2");
const quoteId = fc.constantFrom("q1", "q2");
/** USD or JPY, now and then a currency the ledger does not know (shared with the payout run). */
export const currency = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom("USD", "JPY") },
  { weight: 1, arbitrary: fc.constant("QQQ") },
);
const amount = fc.oneof(
  { weight: 30, arbitrary: fc.bigInt(1n, 3_000n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n) },
);
const money: fc.Arbitrary<Money> = fc.record({ currency, amount });
const masked = fc.constantFrom("**** 4242", "**** 0005");
/** Offsets from the step's time: already past, at it, or ahead. */
const offset = fc.constantFrom(-1_000, 0, HOUR_MS, 30 * HOUR_MS, 30 * HOUR_MS);
const deposits = fc
  .constantFrom<[bigint, bigint]>([32n, 45n], [45n, 32n], [1n, 2n])
  .map(([a, b]): [Money, Money] => [
    { currency: "USD", amount: a },
    { currency: "USD", amount: b },
  ]);

/**
 * Four entries of low weight, each a group of commands, so the core and checkout commands
 * keep most of each sequence (their rarer paths, such as disputes, still need the steps),
 * and risk rules (which refuse or freeze payments) are configured in some sequences only.
 */
export function treasuryArbitraries(): CommandArbitrary[] {
  const verification = fc.oneof(
    fc.record({
      type: fc.constant("LinkBankAccount" as const),
      sourceId,
      walletId,
      maskedNumber: masked,
      currency,
    }),
    fc.record({ type: fc.constant("VerifyCard" as const), sourceId }),
    fc.record({ type: fc.constant("SendMicroDeposits" as const), sourceId, amounts: deposits }),
    fc.record({ type: fc.constant("ConfirmMicroDeposits" as const), sourceId, amounts: deposits }),
    fc.record({ type: fc.constant("ConfirmMicroDeposits" as const), sourceId, amounts: deposits }),
    fc.record({ type: fc.constant("RemoveFundingSource" as const), sourceId }),
  );
  const tier = (perTransaction: bigint, perDay: bigint, code = "USD") => [
    {
      perTransaction: { currency: code, amount: perTransaction },
      perDay: { currency: code, amount: perDay },
    },
  ];
  const riskConfiguration = fc.oneof(
    fc.record({
      type: fc.constant("DefineVerificationTier" as const),
      tierId: fc.constantFrom("basic", "plus"),
      limits: fc.constantFrom(tier(2_500n, 10_000n), tier(2_000n, 2_000n, "JPY"), tier(10n, 5n)),
    }),
    fc.record({
      type: fc.constant("AssignVerificationTier" as const),
      walletId,
      tierId: fc.constantFrom("basic", "plus"),
    }),
    fc.record({
      type: fc.constant("SetVelocityRule" as const),
      windowMs: fc.constantFrom(HOUR_MS, 8 * 24 * HOUR_MS),
      paymentCountMax: fc.constantFrom(6, 10),
      valueMax: fc.constantFrom([usdMoney(20_000n)], []),
    }),
    fc.record({
      type: fc.constant("SetStrongAuthenticationThreshold" as const),
      threshold: fc.constantFrom(
        usdMoney(2_500n),
        { currency: "JPY", amount: 2_500n },
        { currency: "JPY", amount: -1n },
      ),
    }),
  );
  const linkCard = fc.record({
    type: fc.constant("LinkCard" as const),
    sourceId,
    walletId,
    maskedNumber: masked,
    currency,
    expiresAt: offset,
  });
  const moneyThroughSources = fc.oneof(
    fc.record({ type: fc.constant("TopUpWallet" as const), walletId, sourceId, amount: money }),
    fc.record({ type: fc.constant("TopUpWallet" as const), walletId, sourceId, amount: money }),
    fc.record({
      type: fc.constant("WithdrawToFundingSource" as const),
      walletId,
      sourceId,
      amount: money,
    }),
  );
  const quote = fc.record({
    type: fc.constant("QuoteFx" as const),
    quoteId,
    sourceCurrency: currency,
    targetCurrency: currency,
    rate: fc.constantFrom("149.237", "0.0067", "1", "1e3"),
    feeBasisPoints: fc.constantFrom(0, 50, 10_000),
    expiresAt: offset,
  });
  const convert = fc.record({
    type: fc.constant("ConvertCurrency" as const),
    conversionId: fc.constantFrom("x1", "x2", "x3"),
    walletId,
    quoteId,
    amount: money,
  });
  // Payments that state strong authentication (the plain ones come from the core list).
  const authenticatedHold = fc.record({
    type: fc.constant("PlaceHold" as const),
    holdId: fc.constantFrom("h1", "h2", "h3"),
    walletId,
    merchantId: fc.constantFrom("m1", "m2"),
    amount: money,
    expiresAt: offset,
    strongAuthentication: fc.constant(true),
  });
  const transfer = fc.record({
    type: fc.constant("TransferFunds" as const),
    transferId: fc.constantFrom("t1", "t2"),
    fromWalletId: walletId,
    toWalletId: walletId,
    amount: money,
    strongAuthentication: fc.boolean(),
  });
  const group = (
    type: LedgerCommandType,
    weight: number,
    arbitrary: fc.Arbitrary<LedgerCommand>,
    resolve?: (command: { expiresAt: Timestamp }, at: Timestamp) => object,
  ): CommandArbitrary => ({
    type,
    weight,
    arbitrary,
    ...(resolve === undefined
      ? {}
      : {
          resolve: resolve as unknown as (command: LedgerCommand, at: Timestamp) => LedgerCommand,
        }),
  });
  const relative = (command: { expiresAt: Timestamp }, at: Timestamp) => ({
    ...command,
    expiresAt: at + command.expiresAt,
  });
  // Each group's `type` names the one command of the group whose times need resolving.
  return [
    group(
      "LinkCard",
      1,
      fc.oneof(linkCard, verification, moneyThroughSources, moneyThroughSources),
      relative,
    ),
    group("QuoteFx", 1, fc.oneof(quote, convert, convert), relative),
    group("SetVelocityRule", 1, riskConfiguration as fc.Arbitrary<LedgerCommand>),
    group("PlaceHold", 1, fc.oneof(authenticatedHold, transfer), relative),
  ];
}

function usdMoney(amount: bigint): Money {
  return { currency: "USD", amount };
}

/**
 * Prelude steps that reach deep states (times relative): a verified card on w1, live quotes
 * both ways, spending limits on w2 (USD only) and strong authentication above 28.00 USD, so that
 * limits and authentication fire without starving the checkout paths of payments.
 */
export const TREASURY_PRELUDE: readonly LedgerCommand[] = [
  {
    type: "LinkCard",
    sourceId: "s1",
    walletId: "w1",
    maskedNumber: "**** 4242",
    currency: "USD",
    expiresAt: 30 * HOUR_MS,
  },
  { type: "VerifyCard", sourceId: "s1" },
  {
    type: "QuoteFx",
    quoteId: "q1",
    sourceCurrency: "USD",
    targetCurrency: "JPY",
    rate: "149.237",
    feeBasisPoints: 50,
    expiresAt: 30 * HOUR_MS,
  },
  {
    type: "QuoteFx",
    quoteId: "q2",
    sourceCurrency: "JPY",
    targetCurrency: "USD",
    rate: "0.0067",
    feeBasisPoints: 50,
    expiresAt: 30 * HOUR_MS,
  },
  {
    type: "DefineVerificationTier",
    tierId: "basic",
    limits: [{ perTransaction: usdMoney(2_500n), perDay: usdMoney(6_000n) }],
  },
  { type: "AssignVerificationTier", walletId: "w2", tierId: "basic" },
  { type: "SetStrongAuthenticationThreshold", threshold: usdMoney(2_800n) },
];
