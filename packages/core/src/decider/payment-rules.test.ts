import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { EventOf, LedgerEvent } from "../events/ledger-event.js";
import { execute } from "./handle.js";
import { envelope, given, T0, type TimedCommand } from "../testing/given-when-then.js";
import type { Money } from "../codec/money-codec.js";
import { eur, usd } from "../testing/money.js";
import { initialState } from "../state/ledger-state.js";
import { availableBalance } from "../state/wallet-balances.js";
import { MILLISECONDS_PER_DAY, MILLISECONDS_PER_HOUR } from "../time/timestamp.js";

const HOLD_EXPIRES_AT = T0 + 30 * MILLISECONDS_PER_DAY;
const deposit = (walletId: string, amount: Money): LedgerCommand => ({
  type: "DepositFunds",
  walletId,
  amount,
  channel: "card",
});
const wallets = (): LedgerCommand[] => [
  { type: "OpenWallet", walletId: "w1", ownerId: "alice" },
  { type: "OpenWallet", walletId: "w2", ownerId: "bob" },
  deposit("w1", usd("1000.00")),
];
const basicTier: LedgerCommand[] = [
  {
    type: "DefineVerificationTier",
    tierId: "basic",
    limits: [{ perTransaction: usd("100.00"), perDay: usd("250.00") }],
  },
  { type: "AssignVerificationTier", walletId: "w1", tierId: "basic" },
];
/** An amount in USD as text, or money in any currency. */
const moneyOf = (amount: string | Money): Money =>
  typeof amount === "string" ? usd(amount) : amount;
/** A hold on w1 for m1, expiring at HOLD_EXPIRES_AT unless `extra` says otherwise. */
const hold = (
  holdId: string,
  amount: string | Money,
  extra: { strongAuthentication?: boolean; expiresAt?: number } = {},
): LedgerCommand => ({
  type: "PlaceHold",
  holdId,
  walletId: "w1",
  merchantId: "m1",
  amount: moneyOf(amount),
  expiresAt: HOLD_EXPIRES_AT,
  ...extra,
});
/** A transfer from w1 to w2. */
const transfer = (
  transferId: string,
  amount: string | Money,
  extra: { strongAuthentication?: boolean } = {},
): LedgerCommand => ({
  type: "TransferFunds",
  transferId,
  fromWalletId: "w1",
  toWalletId: "w2",
  amount: moneyOf(amount),
  ...extra,
});
const at = (command: LedgerCommand, time: number): TimedCommand => ({ command, at: time });

describe("verification tiers and spending limits", () => {
  it("allows a payment up to the per-transaction limit and refuses one above it, with the limit and the amount used", () => {
    given(...wallets(), ...basicTier)
      .when(hold("h1", "100.00"))
      .thenEvents();
    const rejection = given(...wallets(), ...basicTier)
      .when(hold("h1", "100.01"))
      .thenRejects("SpendingLimitExceeded");
    expect(rejection).toEqual({
      _tag: "SpendingLimitExceeded",
      walletId: "w1",
      currency: "USD",
      period: "transaction",
      limit: 10000n,
      used: 0n,
      requested: 10001n,
    });
  });

  it("counts a hold's increments against the per-transaction limit", () => {
    const rejection = given(...wallets(), ...basicTier, hold("h1", "80.00"))
      .when({ type: "IncreaseHold", holdId: "h1", amount: usd("20.01") })
      .thenRejects("SpendingLimitExceeded");
    expect(rejection).toMatchObject({ period: "transaction", used: 8000n, requested: 2001n });
  });

  it("refuses a payment that would take the UTC day's spending above the per-day limit, across payment kinds", () => {
    const spent = [hold("h1", "100.00"), transfer("t1", "100.00"), hold("h2", "40.00")];
    given(...wallets(), ...basicTier, ...spent)
      .when(transfer("t2", "10.00"))
      .thenEvents();
    const rejection = given(...wallets(), ...basicTier, ...spent)
      .when(transfer("t2", "10.01"))
      .thenRejects("SpendingLimitExceeded");
    expect(rejection).toMatchObject({
      period: "day",
      limit: 25000n,
      used: 24000n,
      requested: 1001n,
    });
  });

  it("starts a new day at midnight UTC", () => {
    const midnight = (Math.floor(T0 / MILLISECONDS_PER_DAY) + 1) * MILLISECONDS_PER_DAY;
    const spent = [at(hold("h1", "100.00"), midnight - 2), at(hold("h2", "100.00"), midnight - 1)];
    given(...wallets(), ...basicTier, ...spent)
      .when(hold("h3", "100.00"), midnight)
      .thenEvents();
    given(...wallets(), ...basicTier, ...spent)
      .when(hold("h3", "100.00"), midnight - 1)
      .thenRejects("SpendingLimitExceeded");
  });

  it("counts the day's spending from before the wallet was put on the tier", () => {
    const spent = [hold("h1", "100.00"), transfer("t1", "100.00")];
    const rejection = given(...wallets(), ...spent, ...basicTier)
      .when(transfer("t2", "50.01"))
      .thenRejects("SpendingLimitExceeded");
    expect(rejection).toMatchObject({ period: "day", used: 20000n });
  });

  it("limits only the currencies a tier lists, and wallets on a tier", () => {
    given(...wallets(), ...basicTier, deposit("w1", eur("500.00")))
      .when(hold("h1", eur("500.00")))
      .thenEvents();
    given(...wallets(), ...basicTier, deposit("w2", usd("500.00")))
      .when({
        type: "TransferFunds",
        transferId: "t1",
        fromWalletId: "w2",
        toWalletId: "w1",
        amount: usd("500.00"),
      })
      .thenEvents();
  });

  it("refuses inconsistent limits, an unknown tier, and reports funds before limits", () => {
    given()
      .when({
        type: "DefineVerificationTier",
        tierId: "t",
        limits: [{ perTransaction: usd("10.00"), perDay: usd("5.00") }],
      })
      .thenRejects("SpendingLimitsInconsistent");
    given()
      .when({
        type: "DefineVerificationTier",
        tierId: "t",
        limits: [{ perTransaction: usd("1.00"), perDay: { currency: "EUR", amount: 500n } }],
      })
      .thenRejects("SpendingLimitsInconsistent");
    given(...wallets())
      .when({ type: "AssignVerificationTier", walletId: "w1", tierId: "gold" })
      .thenRejects("VerificationTierNotFound");
    given(...wallets(), ...basicTier)
      .when(hold("h1", "1000.01"))
      .thenRejects("InsufficientFunds");
  });
});

describe("strong customer authentication", () => {
  const threshold: LedgerCommand = {
    type: "SetStrongAuthenticationThreshold",
    threshold: usd("50.00"),
  };

  it("requires payments above the threshold to state strong authentication", () => {
    given(...wallets(), threshold)
      .when(hold("h1", "50.00"))
      .thenEvents();
    expect(
      given(...wallets(), threshold)
        .when(hold("h1", "50.01"))
        .thenRejects("StrongAuthenticationRequired"),
    ).toEqual({
      _tag: "StrongAuthenticationRequired",
      walletId: "w1",
      currency: "USD",
      threshold: 5000n,
      requested: 5001n,
    });
    given(...wallets(), threshold)
      .when(hold("h1", "50.01", { strongAuthentication: true }))
      .thenEvents();
    given(...wallets(), threshold)
      .when(transfer("t1", "60.00"))
      .thenRejects("StrongAuthenticationRequired");
    given(...wallets(), threshold)
      .when(transfer("t1", "60.00", { strongAuthentication: false }))
      .thenRejects("StrongAuthenticationRequired");
    given(...wallets(), threshold)
      .when(transfer("t1", "60.00", { strongAuthentication: true }))
      .thenEvents();
  });

  it("applies to a hold that grows above the threshold", () => {
    given(...wallets(), threshold, hold("h1", "40.00"))
      .when({ type: "IncreaseHold", holdId: "h1", amount: usd("20.00") })
      .thenRejects("StrongAuthenticationRequired");
    given(...wallets(), threshold, hold("h1", "40.00"))
      .when({
        type: "IncreaseHold",
        holdId: "h1",
        amount: usd("20.00"),
        strongAuthentication: true,
      })
      .thenEvents();
  });

  it("does not apply to money in or to other currencies", () => {
    given(...wallets(), threshold)
      .when(deposit("w1", usd("500.00")))
      .thenEvents();
    given(...wallets(), threshold, deposit("w1", eur("100.00")))
      .when(hold("h1", eur("100.00")))
      .thenEvents();
  });
});

describe("velocity rule", () => {
  const rule: LedgerCommand = {
    type: "SetVelocityRule",
    windowMs: MILLISECONDS_PER_HOUR,
    paymentCountMax: 3,
    valueMax: [usd("200.00")],
  };

  it("accepts the payment that goes over the count and freezes the wallet with it, atomically", () => {
    const earlier = [hold("h1", "1.00"), hold("h2", "1.00"), transfer("t1", "1.00")];
    const events = given(...wallets(), rule, ...earlier)
      .when(hold("h3", "1.00"))
      .thenEvents();
    expect(events.map((event) => event.type)).toEqual(["HoldPlaced", "WalletFrozen"]);
    expect(events[1]).toMatchObject({
      walletId: "w1",
      reason: expect.stringContaining("4 payments") as unknown,
    });
  });

  it("trips on value in the window, and forgets payments older than the window", () => {
    given(...wallets(), rule, hold("h1", "150.00"))
      .when(hold("h2", "50.00"))
      .thenEvents()
      .forEach((event) => expect(event.type).toBe("HoldPlaced"));
    expect(
      given(...wallets(), rule, hold("h1", "150.00"))
        .when(hold("h2", "50.01"))
        .thenEvents()
        .map((e) => e.type),
    ).toEqual(["HoldPlaced", "WalletFrozen"]);
    const old = [hold("h1", "1.00"), hold("h2", "1.00"), hold("h3", "1.00")].map((command) =>
      at(command, T0),
    );
    expect(
      given(...wallets(), rule, ...old)
        .when(hold("h4", "1.00"), T0 + MILLISECONDS_PER_HOUR)
        .thenEvents()
        .map((e) => e.type),
    ).toEqual(["HoldPlaced"]);
  });

  it("leaves a frozen wallet open to refunds and releases, closed to payments and withdrawals, until unfrozen", () => {
    const tripped = [
      ...wallets(),
      rule,
      hold("h1", "10.00"),
      hold("h2", "10.00"),
      hold("h3", "10.00"),
      hold("h4", "10.00"),
    ];
    given(...tripped)
      .when(hold("h5", "1.00"))
      .thenRejects("WalletFrozen");
    given(...tripped)
      .when(transfer("t1", "1.00"))
      .thenRejects("WalletFrozen");
    given(...tripped)
      .when({ type: "WithdrawFunds", walletId: "w1", amount: usd("1.00"), channel: "bank" })
      .thenRejects("WalletFrozen");
    given(...tripped)
      .when({ type: "ReleaseHold", holdId: "h4" })
      .thenEvents();
    given(...tripped, { type: "CaptureHold", holdId: "h1", amount: usd("10.00"), final: true })
      .when({ type: "RefundCapture", refundId: "r1", holdId: "h1", amount: usd("10.00") })
      .thenEvents();
    given(...tripped, { type: "UnfreezeWallet", walletId: "w1" })
      .when(transfer("t1", "1.00"))
      .thenEvents();
  });

  it("counts only payments recorded while a velocity rule was in force (ADR 0007)", () => {
    const before = [hold("h1", "1.00"), hold("h2", "1.00"), hold("h3", "1.00")];
    expect(
      given(...wallets(), ...before, rule)
        .when(hold("h4", "1.00"))
        .thenEvents()
        .map((e) => e.type),
    ).toEqual(["HoldPlaced"]);
    const after = [hold("h5", "1.00"), hold("h6", "1.00")];
    expect(
      given(...wallets(), ...before, rule, hold("h4", "1.00"), ...after)
        .when(hold("h7", "1.00"))
        .thenEvents()
        .map((e) => e.type),
    ).toEqual(["HoldPlaced", "WalletFrozen"]);
  });

  it("refuses a window beyond a week and a non-positive count", () => {
    given()
      .when({
        type: "SetVelocityRule",
        windowMs: 8 * MILLISECONDS_PER_DAY,
        paymentCountMax: 3,
        valueMax: [],
      })
      .thenRejects("VelocityRuleInvalid");
    given()
      .when({ type: "SetVelocityRule", windowMs: 1000, paymentCountMax: 0, valueMax: [] })
      .thenRejects("VelocityRuleInvalid");
  });
});

// ---------------------------------------------------------------------------------------------
// properties over random payment sequences

type Step = {
  readonly kind: "hold" | "transfer" | "increase" | "release" | "unfreeze";
  readonly cents: bigint;
  readonly gapMs: number;
  readonly authenticated: boolean;
};
const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom("hold", "hold", "transfer", "transfer", "increase", "release", "unfreeze"),
  cents: fc.bigInt(1n, 12_000n),
  gapMs: fc.constantFrom(0, 0, 60_000, 10 * 60_000, 20 * 60_000, 5 * MILLISECONDS_PER_HOUR),
  authenticated: fc.boolean(),
});

function commandOf(item: Step, index: number): LedgerCommand {
  const amount = { currency: "USD", amount: item.cents };
  const strong = { strongAuthentication: item.authenticated };
  switch (item.kind) {
    case "hold":
      return hold(`h${index}`, amount, {
        ...strong,
        expiresAt: HOLD_EXPIRES_AT + 100 * MILLISECONDS_PER_DAY,
      });
    case "transfer":
      return transfer(`t${index}`, amount, strong);
    case "increase":
      return { type: "IncreaseHold", holdId: `h${index - 1}`, amount, ...strong };
    case "release":
      return { type: "ReleaseHold", holdId: `h${index - 1}` };
    case "unfreeze":
      return { type: "UnfreezeWallet", walletId: "w1" };
  }
}

/** The events a command recorded; none when it was refused or repeated. */
function acceptedEvents(outcome: ReturnType<typeof execute>): LedgerEvent[] {
  return outcome._tag === "Right" && outcome.right._tag === "Accepted"
    ? outcome.right.events.map((recorded) => recorded.event)
    : [];
}

/** The payment a command made: a hold placed or increased, or a transfer. */
const isPayment = (
  event: LedgerEvent,
): event is EventOf<"HoldPlaced" | "HoldIncreased" | "FundsTransferred"> =>
  event.type === "HoldPlaced" ||
  event.type === "HoldIncreased" ||
  event.type === "FundsTransferred";

const PER_TRANSACTION = 5_000n;
const PER_DAY = 20_000n;
const SCA_THRESHOLD = 3_000n;

describe("payment rule properties", () => {
  const seen = { payments: 0, freezes: 0 };

  it("never exceed a tier's limits, never debit a frozen wallet by a new payment, never pay above the threshold without strong authentication", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60, size: "max" }), (steps) => {
        const state = initialState();
        let time = T0;
        const setup: LedgerCommand[] = [
          ...wallets(),
          deposit("w1", usd("5000.00")),
          {
            type: "DefineVerificationTier",
            tierId: "basic",
            limits: [
              {
                perTransaction: { currency: "USD", amount: PER_TRANSACTION },
                perDay: { currency: "USD", amount: PER_DAY },
              },
            ],
          },
          { type: "AssignVerificationTier", walletId: "w1", tierId: "basic" },
          {
            type: "SetVelocityRule",
            windowMs: MILLISECONDS_PER_HOUR,
            paymentCountMax: 4,
            valueMax: [usd("80.00")],
          },
          {
            type: "SetStrongAuthenticationThreshold",
            threshold: { currency: "USD", amount: SCA_THRESHOLD },
          },
        ];
        for (const command of setup)
          expect(execute(state, envelope(command, time))._tag).toBe("Right");
        const transactionTotals = new Map<string, bigint>();
        const spentByDay = new Map<number, bigint>();
        steps.forEach((item, index) => {
          time += item.gapMs;
          const command = commandOf(item, index);
          const frozenBefore = state.wallets.get("w1")?.status === "frozen";
          const availableBefore = availableBalance(state, state.wallets.get("w1")!, "USD");
          const day = Math.floor(time / MILLISECONDS_PER_DAY);
          const outcome = execute(state, envelope(command, time));
          const accepted = acceptedEvents(outcome);
          const payment = accepted.find(isPayment);
          if (payment === undefined) return;
          // A frozen wallet is never debited by a new payment.
          expect(frozenBefore).toBe(false);
          const holdKey = payment.type === "FundsTransferred" ? payment.transferId : payment.holdId;
          const total = (transactionTotals.get(holdKey) ?? 0n) + payment.amount.amount;
          transactionTotals.set(holdKey, total);
          expect(total <= PER_TRANSACTION).toBe(true);
          const spentToday = (spentByDay.get(day) ?? 0n) + payment.amount.amount;
          spentByDay.set(day, spentToday);
          expect(spentToday <= PER_DAY).toBe(true);
          seen.payments += 1;
          if (accepted.some((event) => event.type === "WalletFrozen")) seen.freezes += 1;
          if (total > SCA_THRESHOLD) expect(item.authenticated).toBe(true);
          expect(availableBalance(state, state.wallets.get("w1")!, "USD")).toBe(
            availableBefore - payment.amount.amount,
          );
        });
      }),
      { numRuns: 300 },
    );
    // The sequences reach both outcomes the property is about.
    expect(seen.payments).toBeGreaterThan(100);
    expect(seen.freezes).toBeGreaterThan(10);
  });

  it("freezes exactly when the payments recorded since the velocity rule was set, in its window, go over it (ADR 0007)", () => {
    const RULE = { windowMs: MILLISECONDS_PER_HOUR, paymentCountMax: 3, valueMax: 8_000n };
    const outcomes = { freezes: 0, earlierPaymentsIgnored: 0 };
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 10, maxLength: 50, size: "max" }),
        fc.nat(),
        (steps, pick) => {
          const state = initialState();
          let time = T0;
          for (const command of [...wallets(), deposit("w1", usd("5000.00"))])
            execute(state, envelope(command, time));
          const ruleAt = pick % steps.length;
          /** The reference: payments recorded while the rule was in force. */
          const underRule: { at: number; cents: bigint; counted: boolean }[] = [];
          let paidBeforeRule = 0;
          steps.forEach((item, index) => {
            time += item.gapMs;
            if (index === ruleAt) {
              const set: LedgerCommand = {
                type: "SetVelocityRule",
                windowMs: RULE.windowMs,
                paymentCountMax: RULE.paymentCountMax,
                valueMax: [{ currency: "USD", amount: RULE.valueMax }],
              };
              expect(execute(state, envelope(set, time))._tag).toBe("Right");
            }
            const outcome = execute(
              state,
              envelope(
                { ...commandOf(item, index), strongAuthentication: true } as LedgerCommand,
                time,
              ),
            );
            const events = acceptedEvents(outcome);
            const payment = events.find(isPayment);
            if (payment === undefined) return;
            const counted = payment.type !== "HoldIncreased";
            if (index < ruleAt) {
              paidBeforeRule += 1;
              return;
            }
            const recent = underRule.filter((record) => record.at > time - RULE.windowMs);
            const count = recent.filter((record) => record.counted).length + (counted ? 1 : 0);
            const value = recent.reduce((sum, record) => sum + record.cents, payment.amount.amount);
            const frozen = events.some((event) => event.type === "WalletFrozen");
            expect(frozen).toBe(count > RULE.paymentCountMax || value > RULE.valueMax);
            if (frozen) outcomes.freezes += 1;
            if (frozen !== (count + paidBeforeRule > RULE.paymentCountMax || value > RULE.valueMax))
              outcomes.earlierPaymentsIgnored += 1;
            underRule.push({ at: time, cents: payment.amount.amount, counted });
          });
        },
      ),
      { numRuns: 300 },
    );
    // Both sides of the rule were reached, including payments before it that would have tripped it.
    expect(outcomes.freezes).toBeGreaterThan(10);
    expect(outcomes.earlierPaymentsIgnored).toBeGreaterThan(10);
  });
});
