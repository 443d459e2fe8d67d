/**
 * fast-check arbitraries of command sequences for property and model-based tests.
 *
 * Ids come from small pools (three wallets, three holds, two merchants, two refund ids),
 * so commands collide often: holds are placed twice, wallets are closed with money in them,
 * refunds repeat. Amounts are small against deposits, so both acceptance and
 * `InsufficientFunds` are common. A few amounts are zero or negative and a few currencies are
 * unknown to the ledger, so the shape rules fire too (the decider sees commands that skipped
 * the codecs, as an embedding service could send them).
 *
 * Each step also moves the clock forward (sometimes by more than the 24 h idempotency
 * retention) and chooses its idempotency key: fresh, an exact retry of an earlier step, or an
 * earlier step's key reused for a different command.
 *
 * To generate a new command, add a `CommandArbitrary` to `COMMAND_ARBITRARIES` (with a
 * `resolve` when it carries a time relative to the step's clock).
 */
import fc from "fast-check";
import type {
  CommandEnvelope,
  CommandOf,
  LedgerCommand,
  LedgerCommandType,
} from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import { ROUNDING_MODES } from "../money/rounding-mode.js";
import type { Timestamp } from "../time/timestamp.js";
import { TREASURY_PRELUDE, treasuryArbitraries } from "./treasury-arbitraries.js";

// ---------------------------------------------------------------------------------------------
// pools

export const WALLET_IDS = ["w1", "w2", "w3"] as const;
export const HOLD_IDS = ["h1", "h2", "h3"] as const;
export const MERCHANT_IDS = ["m1", "m2"] as const;
export const REFUND_IDS = ["r1", "r2"] as const;
export const CHANNELS = ["card", "bank"] as const;
export const ORDER_IDS = ["o1", "o2"] as const;
export const AGREEMENT_IDS = ["a1", "a2"] as const;
export const DISPUTE_IDS = ["d1", "d2"] as const;
/** Known to the ISO 4217 registry, with different exponents (2 and 0). */
export const CURRENCIES = ["USD", "JPY"] as const;
/** Well-formed but unknown to any registry the tests use. */
export const UNKNOWN_CURRENCY = "QQQ";

export const START_AT: Timestamp = 1_790_000_000_000;
export const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------------
// values

export const walletId = fc.constantFrom(...WALLET_IDS);
export const holdId = fc.constantFrom(...HOLD_IDS);
export const merchantId = fc.constantFrom(...MERCHANT_IDS);
export const refundId = fc.constantFrom(...REFUND_IDS);
export const channel = fc.constantFrom(...CHANNELS);

export const currency: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...CURRENCIES) },
  { weight: 1, arbitrary: fc.constant(UNKNOWN_CURRENCY) },
);

/**
 * Round amounts from a short list, so that sums meet exactly and boundaries are hit
 * (a payment of exactly what is available, a capture of exactly what remains); the other
 * half any amount.
 */
const ROUND_AMOUNTS = [100n, 500n, 1_000n, 2_000n, 10_000n] as const;

/** Mostly positive, sometimes zero or negative. */
export const amount: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 20, arbitrary: fc.bigInt(1n, 3_000n) },
  { weight: 20, arbitrary: fc.constantFrom(...ROUND_AMOUNTS) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n) },
);

export const money: fc.Arbitrary<Money> = fc.record({ currency, amount });
/** Captures, increments and refunds: small against holds, so they fit more often than not. */
export const smallMoney: fc.Arbitrary<Money> = fc.record({
  currency,
  amount: fc.oneof(
    { weight: 20, arbitrary: fc.bigInt(1n, 600n) },
    { weight: 20, arbitrary: fc.constantFrom(100n, 500n, 1_000n, 2_000n) },
    { weight: 1, arbitrary: fc.constantFrom(0n, -1n) },
  ),
});
/** Deposits are larger, so payments succeed often enough to reach deep states. */
export const depositMoney: fc.Arbitrary<Money> = fc.record({
  currency,
  amount: fc.oneof(
    { weight: 20, arbitrary: fc.bigInt(1n, 10_000n) },
    { weight: 20, arbitrary: fc.constantFrom(...ROUND_AMOUNTS) },
    { weight: 1, arbitrary: fc.constant(0n) },
  ),
});
export const limitMoney: fc.Arbitrary<Money> = fc.record({
  currency,
  amount: fc.oneof(
    { weight: 10, arbitrary: fc.bigInt(0n, 2_000n) },
    { weight: 10, arbitrary: fc.constantFrom(0n, 500n, 1_000n) },
    { weight: 1, arbitrary: fc.constant(-1n) },
  ),
});

// ---------------------------------------------------------------------------------------------
// commands

export interface CommandArbitrary {
  readonly type: LedgerCommandType;
  readonly weight: number;
  readonly arbitrary: fc.Arbitrary<LedgerCommand>;
  /** Turns times generated relative to the step's clock into absolute ones. */
  readonly resolve?: (command: LedgerCommand, at: Timestamp) => LedgerCommand;
}

const entry = <K extends LedgerCommandType>(
  type: K,
  weight: number,
  arbitrary: fc.Arbitrary<CommandOf<K>>,
  resolve?: (command: CommandOf<K>, at: Timestamp) => CommandOf<K>,
): CommandArbitrary => ({
  type,
  weight,
  arbitrary: arbitrary as fc.Arbitrary<LedgerCommand>,
  ...(resolve === undefined
    ? {}
    : { resolve: resolve as (command: LedgerCommand, at: Timestamp) => LedgerCommand }),
});

const command = <K extends LedgerCommandType>(
  type: K,
  fields: { [F in keyof Omit<CommandOf<K>, "type">]: fc.Arbitrary<CommandOf<K>[F]> },
) => fc.record(fields as never).map((value) => ({ type, ...(value as object) }) as CommandOf<K>);

/** `PlaceHold.expiresAt` is generated as an offset from the step's time: already past, at it, or ahead. */
const EXPIRY_OFFSETS_MS = [
  -1_000,
  0,
  1_000,
  HOUR_MS,
  2 * HOUR_MS,
  30 * HOUR_MS,
  30 * HOUR_MS,
  30 * HOUR_MS,
] as const;

export const COMMAND_ARBITRARIES: CommandArbitrary[] = [
  entry(
    "OpenWallet",
    4,
    command("OpenWallet", { walletId, ownerId: fc.constantFrom("alice", "bob") }),
  ),
  entry(
    "FreezeWallet",
    1,
    command("FreezeWallet", { walletId, reason: fc.constantFrom("fraud review", "court order") }),
  ),
  entry("UnfreezeWallet", 2, command("UnfreezeWallet", { walletId })),
  entry("CloseWallet", 1, command("CloseWallet", { walletId })),
  entry("SetOverdraftLimit", 2, command("SetOverdraftLimit", { walletId, limit: limitMoney })),
  entry("DepositFunds", 5, command("DepositFunds", { walletId, amount: depositMoney, channel })),
  entry("WithdrawFunds", 2, command("WithdrawFunds", { walletId, amount: money, channel })),
  entry(
    "TransferFunds",
    2,
    command("TransferFunds", {
      transferId: fc.constantFrom("t1", "t2"),
      fromWalletId: walletId,
      toWalletId: walletId,
      amount: money,
    }),
  ),
  entry(
    "PlaceHold",
    4,
    command("PlaceHold", {
      holdId,
      walletId,
      merchantId,
      amount: money,
      expiresAt: fc.constantFrom(...EXPIRY_OFFSETS_MS),
    }),
    (placed, at) => ({ ...placed, expiresAt: at + placed.expiresAt }),
  ),
  entry("IncreaseHold", 2, command("IncreaseHold", { holdId, amount: smallMoney })),
  entry(
    "CaptureHold",
    4,
    command("CaptureHold", { holdId, amount: smallMoney, final: fc.boolean() }),
  ),
  entry("ReleaseHold", 1, command("ReleaseHold", { holdId })),
  entry("ExpireHold", 1, command("ExpireHold", { holdId })),
  entry("RefundCapture", 6, command("RefundCapture", { refundId, holdId, amount: smallMoney })),
  ...checkoutArbitraries(),
  ...treasuryArbitraries(),
];

/**
 * Merchants, authorisations, checkout, escrow and disputes. Orders draw their hold ids from
 * the same pool as direct holds, so the two kinds collide; times (checkout deadlines,
 * protection windows) are offsets from the step's clock, resolved like `PlaceHold`'s.
 */
function checkoutArbitraries(): CommandArbitrary[] {
  const orderId = fc.constantFrom(...ORDER_IDS);
  const agreementId = fc.constantFrom(...AGREEMENT_IDS);
  const disputeId = fc.constantFrom(...DISPUTE_IDS);
  const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    fc.option(arbitrary, { nil: undefined });
  const checkout = fc
    .record({
      orderId,
      holdId,
      walletId,
      merchantId,
      amount: money,
      expiresAt: fc.constantFrom(...EXPIRY_OFFSETS_MS),
      merchantInitiated: fc.boolean(),
      agreementId: optional(agreementId),
    })
    .map(({ merchantInitiated, agreementId: agreement, ...rest }): CommandOf<"Checkout"> => ({
      type: "Checkout",
      ...rest,
      initiatedBy: merchantInitiated ? "merchant" : "buyer",
      ...(agreement === undefined ? {} : { agreementId: agreement }),
    }));
  const authorize = fc
    .record({
      agreementId,
      walletId,
      merchantId,
      perPaymentCap: optional(money),
      perDayCap: optional(depositMoney),
    })
    .map(({ perPaymentCap, perDayCap, ...rest }): CommandOf<"AuthorizeMerchant"> => ({
      type: "AuthorizeMerchant",
      ...rest,
      ...(perPaymentCap === undefined ? {} : { perPaymentCap }),
      ...(perDayCap === undefined ? {} : { perDayCap }),
    }));
  return [
    entry(
      "RegisterMerchant",
      1,
      command("RegisterMerchant", {
        merchantId,
        settlementCurrency: currency,
        allowNegativeBalance: fc.boolean(),
      }),
    ),
    entry(
      "SetMerchantNegativeBalance",
      1,
      command("SetMerchantNegativeBalance", { merchantId, allowed: fc.boolean() }),
    ),
    entry(
      "SetFeeSchedule",
      1,
      command("SetFeeSchedule", {
        merchantId,
        basisPoints: fc.constantFrom(0, 290, 10_000, 10_001),
        fixed: limitMoney,
        rounding: fc.constantFrom(...ROUNDING_MODES),
        refundFee: fc.constantFrom("proportional" as const, "none" as const),
      }),
    ),
    entry("AuthorizeMerchant", 2, authorize),
    entry("RevokeAuthorization", 1, command("RevokeAuthorization", { agreementId })),
    entry("Checkout", 5, checkout, (placed, at) => ({
      ...placed,
      expiresAt: at + placed.expiresAt,
    })),
    entry(
      "ShipOrder",
      2,
      command("ShipOrder", {
        orderId,
        protectionEndsAt: fc.constantFrom(-1_000, 0, HOUR_MS, 2 * HOUR_MS, 30 * HOUR_MS),
      }),
      (shipped, at) => ({ ...shipped, protectionEndsAt: at + shipped.protectionEndsAt }),
    ),
    entry("ConfirmReceipt", 2, command("ConfirmReceipt", { orderId })),
    entry("ReleaseEscrow", 2, command("ReleaseEscrow", { orderId })),
    entry(
      "OpenDispute",
      2,
      command("OpenDispute", { disputeId, orderId, reason: fc.constant("not received") }),
    ),
    entry(
      "ResolveDisputeForBuyer",
      2,
      command("ResolveDisputeForBuyer", { disputeId, refundId, amount: smallMoney }),
    ),
    entry("ResolveDisputeForMerchant", 1, command("ResolveDisputeForMerchant", { disputeId })),
    entry("RefundOrder", 3, command("RefundOrder", { refundId, orderId, amount: smallMoney })),
  ];
}

/** One command drawn from a list of command arbitraries, by weight. */
export const commandArbitrary = (
  arbitraries: readonly CommandArbitrary[] = COMMAND_ARBITRARIES,
): fc.Arbitrary<LedgerCommand> =>
  fc.oneof(...arbitraries.map(({ weight, arbitrary }) => ({ weight, arbitrary })));

// ---------------------------------------------------------------------------------------------
// sequences

/** How a step picks its idempotency key. `of` indexes earlier steps (modulo how many there are). */
export type KeyChoice =
  | { readonly kind: "fresh" }
  | { readonly kind: "retry"; readonly of: number }
  | { readonly kind: "reuse"; readonly of: number };

export interface RawStep {
  readonly advanceMs: number;
  readonly key: KeyChoice;
  readonly command: LedgerCommand;
}

/** A step ready to send: absolute time, key, and the command (a retry resends an earlier command). */
export interface Step {
  readonly at: Timestamp;
  readonly key: string;
  readonly command: LedgerCommand;
  readonly kind: KeyChoice["kind"];
}

const advanceMs = fc.oneof(
  { weight: 60, arbitrary: fc.constant(0) },
  { weight: 30, arbitrary: fc.constantFrom(1, 1_000, 60_000) },
  { weight: 6, arbitrary: fc.constant(HOUR_MS) },
  { weight: 1, arbitrary: fc.constant(25 * HOUR_MS) },
);

const keyChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ kind: "fresh" as const }) },
  { weight: 2, arbitrary: fc.nat(1_000).map((of) => ({ kind: "retry" as const, of })) },
  { weight: 1, arbitrary: fc.nat(1_000).map((of) => ({ kind: "reuse" as const, of })) },
);

export const rawStep = (
  arbitraries: readonly CommandArbitrary[] = COMMAND_ARBITRARIES,
): fc.Arbitrary<RawStep> =>
  fc.record({ advanceMs, key: keyChoice, command: commandArbitrary(arbitraries) });

/**
 * Commands a sequence may start with (any subset, in order), so that most sequences reach
 * wallets with money in them instead of spending their length on `WalletNotFound`.
 */
export const PRELUDE: readonly LedgerCommand[] = [
  ...WALLET_IDS.map((id): LedgerCommand => ({
    type: "OpenWallet",
    walletId: id,
    ownerId: `owner-${id}`,
  })),
  ...WALLET_IDS.slice(0, 2).flatMap((id) =>
    CURRENCIES.map((code): LedgerCommand => ({
      type: "DepositFunds",
      walletId: id,
      amount: { currency: code, amount: 10_000n },
      channel: "card",
    })),
  ),
  // expiresAt is relative here too (30 h ahead of the step): `resolveSteps` makes it absolute.
  {
    type: "PlaceHold",
    holdId: "h1",
    walletId: "w1",
    merchantId: "m1",
    amount: { currency: "USD", amount: 2_000n },
    expiresAt: 30 * HOUR_MS,
  },
  {
    type: "PlaceHold",
    holdId: "h2",
    walletId: "w2",
    merchantId: "m2",
    amount: { currency: "JPY", amount: 2_000n },
    expiresAt: 30 * HOUR_MS,
  },
  // A partial capture, so refunds of h1 can succeed (and repeat) from the start.
  { type: "CaptureHold", holdId: "h1", amount: { currency: "USD", amount: 1_000n }, final: false },
  {
    type: "RegisterMerchant",
    merchantId: "m1",
    settlementCurrency: "USD",
    allowNegativeBalance: false,
  },
  {
    type: "RegisterMerchant",
    merchantId: "m2",
    settlementCurrency: "JPY",
    allowNegativeBalance: true,
  },
  {
    type: "SetFeeSchedule",
    merchantId: "m1",
    basisPoints: 290,
    fixed: { currency: "USD", amount: 30n },
    rounding: "half-up",
    refundFee: "proportional",
  },
  {
    type: "SetFeeSchedule",
    merchantId: "m2",
    basisPoints: 350,
    fixed: { currency: "JPY", amount: 0n },
    rounding: "down",
    refundFee: "none",
  },
  {
    type: "Checkout",
    orderId: "o1",
    holdId: "h3",
    walletId: "w1",
    merchantId: "m1",
    amount: { currency: "USD", amount: 1_500n },
    expiresAt: 30 * HOUR_MS,
    initiatedBy: "buyer",
  },
  ...TREASURY_PRELUDE,
];

/** Each prelude command is kept with probability 5/6. */
const prelude = (commands: readonly LedgerCommand[]): fc.Arbitrary<RawStep[]> =>
  fc
    .tuple(
      ...commands.map(() =>
        fc.oneof(
          { weight: 5, arbitrary: fc.constant(true) },
          { weight: 1, arbitrary: fc.constant(false) },
        ),
      ),
    )
    .map((kept) =>
      commands
        .filter((_command, index) => kept[index] === true)
        .map((command) => ({ advanceMs: 0, key: { kind: "fresh" as const }, command })),
    );

/** Sequences of steps (an optional prelude, then random steps) with times, keys and relative fields resolved. */
export const stepsArbitrary = (
  options: {
    readonly minLength?: number;
    readonly maxLength?: number;
    readonly arbitraries?: readonly CommandArbitrary[];
    readonly prelude?: readonly LedgerCommand[];
  } = {},
): fc.Arbitrary<Step[]> => {
  const arbitraries = options.arbitraries ?? COMMAND_ARBITRARIES;
  return fc
    .tuple(
      prelude(options.prelude ?? PRELUDE),
      fc.array(rawStep(arbitraries), {
        minLength: options.minLength ?? 1,
        maxLength: options.maxLength ?? 60,
        size: "max",
      }),
    )
    .map(([start, rest]) => resolveSteps([...start, ...rest], arbitraries));
};

export function resolveSteps(
  raw: readonly RawStep[],
  arbitraries: readonly CommandArbitrary[] = COMMAND_ARBITRARIES,
): Step[] {
  const resolvers = new Map(
    arbitraries.flatMap((a) => (a.resolve === undefined ? [] : [[a.type, a.resolve] as const])),
  );
  const steps: Step[] = [];
  let at = START_AT;
  for (const [index, { advanceMs: advance, key, command }] of raw.entries()) {
    at += advance;
    const earlier =
      steps.length === 0 || key.kind === "fresh" ? undefined : steps[key.of % steps.length];
    if (earlier !== undefined && key.kind === "retry") {
      steps.push({ at, key: earlier.key, command: earlier.command, kind: "retry" });
      continue;
    }
    const resolve = resolvers.get(command.type);
    const resolved = resolve === undefined ? command : resolve(command, at);
    steps.push({
      at,
      key: earlier?.key ?? `key-${index}`,
      command: resolved,
      kind: earlier === undefined ? "fresh" : "reuse",
    });
  }
  return steps;
}

/** The digest the engine would compute: canonical JSON of the command (bigints as strings). */
export const commandDigest = (command: LedgerCommand): string =>
  JSON.stringify(command, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );

/** The envelope a step is executed in; its index in the run names the command. */
export const stepEnvelope = (step: Step, index: number): CommandEnvelope => ({
  commandId: `c${index}`,
  idempotencyKey: step.key,
  digest: commandDigest(step.command),
  at: step.at,
  command: step.command,
});
