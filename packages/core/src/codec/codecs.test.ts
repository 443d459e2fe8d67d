/**
 * Events and commands round-trip through their io-ts codecs:
 * encode → JSON.stringify → JSON.parse → decode gives back the same value, with amounts as
 * decimal strings on the wire. Examples cover every type of the core ledger's families
 * (wallets, funds, holds); the random-sequence property covers whatever the arbitraries
 * generate, so command families added to the arbitraries are covered too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ledgerCommandCodec,
  type LedgerCommand,
  type LedgerCommandType,
} from "../commands/ledger-command.js";
import { execute } from "../decider/handle.js";
import {
  LEDGER_EVENT_TYPES,
  ledgerEventCodec,
  type LedgerEvent,
  type LedgerEventType,
} from "../events/ledger-event.js";
import { recordedEventCodec, type RecordedEvent } from "../journal/recorded-event.js";
import { iso4217 } from "../money/index.js";
import { initialState } from "../state/ledger-state.js";
import { stepEnvelope, stepsArbitrary } from "../testing/arbitraries.js";
import { T0 } from "../testing/given-when-then.js";
import { jpy, kwd, usd } from "../testing/money.js";
import type * as t from "io-ts";

const eventCodec = ledgerEventCodec(iso4217);
const commandCodec = ledgerCommandCodec(iso4217);

function throughJson<A, O>(
  codec: t.Type<A, O, unknown>,
  value: A,
): { json: unknown; decoded: t.Validation<A> } {
  const json: unknown = JSON.parse(JSON.stringify(codec.encode(value)));
  return { json, decoded: codec.decode(json) };
}

const moved = (from: string, to: string, currency: string, amount: bigint) => [
  { account: from, currency, amount },
  { account: to, currency, amount: -amount },
];

/** One example per event type of the core families. */
const EVENT_EXAMPLES: { readonly [K in LedgerEventType]?: LedgerEvent & { type: K } } = {
  WalletOpened: { type: "WalletOpened", walletId: "w1", ownerId: "alice", postings: [] },
  WalletFrozen: {
    type: "WalletFrozen",
    walletId: "w1",
    reason: "fraud review: «card testing»",
    postings: [],
  },
  WalletUnfrozen: { type: "WalletUnfrozen", walletId: "w1", postings: [] },
  WalletClosed: { type: "WalletClosed", walletId: "w1", postings: [] },
  OverdraftLimitSet: { type: "OverdraftLimitSet", walletId: "w1", limit: usd("0"), postings: [] },
  FundsDeposited: {
    type: "FundsDeposited",
    walletId: "w1",
    amount: kwd("1.005"),
    channel: "card",
    postings: moved("assets:clearing:card", "liabilities:wallets:w1:available", "KWD", 1005n),
  },
  FundsWithdrawn: {
    type: "FundsWithdrawn",
    walletId: "w1",
    amount: jpy("500"),
    channel: "bank",
    postings: moved("liabilities:wallets:w1:available", "assets:clearing:bank", "JPY", 500n),
  },
  FundsTransferred: {
    type: "FundsTransferred",
    transferId: "t-1",
    fromWalletId: "w1",
    toWalletId: "w2",
    amount: usd("0.01"),
    postings: moved(
      "liabilities:wallets:w1:available",
      "liabilities:wallets:w2:available",
      "USD",
      1n,
    ),
  },
  HoldPlaced: {
    type: "HoldPlaced",
    holdId: "h1",
    walletId: "w1",
    merchantId: "m1",
    amount: usd("30.00"),
    expiresAt: T0 + 1,
    postings: moved(
      "liabilities:wallets:w1:available",
      "liabilities:wallets:w1:held",
      "USD",
      3000n,
    ),
  },
  HoldIncreased: {
    type: "HoldIncreased",
    holdId: "h1",
    amount: usd("5.00"),
    postings: moved("liabilities:wallets:w1:available", "liabilities:wallets:w1:held", "USD", 500n),
  },
  HoldCaptured: {
    type: "HoldCaptured",
    holdId: "h1",
    amount: usd("20.00"),
    final: true,
    released: usd("15.00"),
    postings: [
      ...moved("liabilities:wallets:w1:held", "liabilities:merchants:m1", "USD", 2000n),
      ...moved("liabilities:wallets:w1:held", "liabilities:wallets:w1:available", "USD", 1500n),
    ],
  },
  HoldReleased: { type: "HoldReleased", holdId: "h1", released: usd("0"), postings: [] },
  HoldExpired: {
    type: "HoldExpired",
    holdId: "h1",
    released: usd("1.00"),
    postings: moved("liabilities:wallets:w1:held", "liabilities:wallets:w1:available", "USD", 100n),
  },
  RefundIssued: {
    type: "RefundIssued",
    refundId: "r1",
    holdId: "h1",
    amount: usd("2.50"),
    postings: moved("liabilities:merchants:m1", "liabilities:wallets:w1:available", "USD", 250n),
  },
};

/** One example per command type of the core families. */
const COMMAND_EXAMPLES: { readonly [K in LedgerCommandType]?: LedgerCommand & { type: K } } = {
  OpenWallet: { type: "OpenWallet", walletId: "w1", ownerId: "alice" },
  FreezeWallet: { type: "FreezeWallet", walletId: "w1", reason: "court order" },
  UnfreezeWallet: { type: "UnfreezeWallet", walletId: "w1" },
  CloseWallet: { type: "CloseWallet", walletId: "w1" },
  SetOverdraftLimit: { type: "SetOverdraftLimit", walletId: "w1", limit: usd("50.00") },
  DepositFunds: { type: "DepositFunds", walletId: "w1", amount: usd("12.34"), channel: "card" },
  WithdrawFunds: { type: "WithdrawFunds", walletId: "w1", amount: jpy("1200"), channel: "bank" },
  TransferFunds: {
    type: "TransferFunds",
    transferId: "t1",
    fromWalletId: "w1",
    toWalletId: "w2",
    amount: kwd("0.001"),
  },
  PlaceHold: {
    type: "PlaceHold",
    holdId: "h1",
    walletId: "w1",
    merchantId: "m1",
    amount: usd("30.00"),
    expiresAt: T0 + 123,
  },
  IncreaseHold: { type: "IncreaseHold", holdId: "h1", amount: usd("5.00") },
  CaptureHold: { type: "CaptureHold", holdId: "h1", amount: usd("20.00"), final: false },
  ReleaseHold: { type: "ReleaseHold", holdId: "h1" },
  ExpireHold: { type: "ExpireHold", holdId: "h1" },
  RefundCapture: { type: "RefundCapture", refundId: "r1", holdId: "h1", amount: usd("1.00") },
};

const CORE_EVENT_TYPES = Object.keys(EVENT_EXAMPLES);
const CORE_COMMAND_TYPES = Object.keys(COMMAND_EXAMPLES);

describe("event codecs", () => {
  it("the examples cover every core event type, and each is a type the codec knows", () => {
    expect(CORE_EVENT_TYPES).toHaveLength(14);
    for (const type of CORE_EVENT_TYPES) expect(LEDGER_EVENT_TYPES).toContain(type);
  });

  it.each(CORE_EVENT_TYPES)("%s round-trips through JSON", (type) => {
    const event = EVENT_EXAMPLES[type as LedgerEventType] as LedgerEvent;
    const { json, decoded } = throughJson(eventCodec, event);
    expect(decoded).toEqual({ _tag: "Right", right: event });
    // On the wire, every amount is a decimal string with exactly the currency's decimals.
    const amounts = JSON.stringify(json).match(/"amount":(?!\{)[^,}]*/g) ?? [];
    for (const amount of amounts) expect(amount).toMatch(/^"amount":"-?\d+(\.\d+)?"$/);
  });

  it("writes amounts with the currency's exponent", () => {
    expect(eventCodec.encode(EVENT_EXAMPLES.FundsDeposited as LedgerEvent)).toMatchObject({
      amount: { currency: "KWD", amount: "1.005" },
      postings: [
        { account: "assets:clearing:card", currency: "KWD", amount: "1.005" },
        { account: "liabilities:wallets:w1:available", currency: "KWD", amount: "-1.005" },
      ],
    });
    expect(eventCodec.encode(EVENT_EXAMPLES.HoldPlaced as LedgerEvent)).toMatchObject({
      expiresAt: "2026-09-21T14:13:20.001Z",
    });
  });

  it("recorded events produced by random command sequences round-trip", () => {
    const codec = recordedEventCodec(iso4217);
    fc.assert(
      fc.property(stepsArbitrary({ maxLength: 40 }), (steps) => {
        const state = initialState();
        const recorded: RecordedEvent[] = [];
        for (const [index, step] of steps.entries()) {
          // Every other command carries the optional envelope fields, which take another path
          // through the recorded-event codec.
          const optional =
            index % 2 === 1
              ? {
                  actor: `actor-${index}`,
                  metadata: { order: `o${index}` },
                  effectiveAt: step.at - 1000,
                }
              : {};
          const outcome = execute(state, { ...stepEnvelope(step, index), ...optional });
          if (outcome._tag === "Right" && outcome.right._tag === "Accepted") {
            recorded.push(...outcome.right.events);
            // An accepted command passed the decider's checks, so it must also pass the codec.
            expect(throughJson(commandCodec, step.command).decoded).toEqual({
              _tag: "Right",
              right: step.command,
            });
          }
        }
        for (const event of recorded)
          expect(throughJson(codec, event).decoded).toEqual({ _tag: "Right", right: event });
      }),
      { numRuns: 300 },
    );
  });
});

describe("command codecs", () => {
  it("the examples cover every core command type, and each is a type the codec knows", () => {
    expect(CORE_COMMAND_TYPES).toHaveLength(14);
    for (const type of CORE_COMMAND_TYPES)
      expect(commandCodec.decode({ type })).not.toMatchObject({
        left: [{ message: expect.stringContaining("a known") }],
      });
  });

  it.each(CORE_COMMAND_TYPES)("%s round-trips through JSON", (type) => {
    const command = COMMAND_EXAMPLES[type as LedgerCommandType] as LedgerCommand;
    expect(throughJson(commandCodec, command).decoded).toEqual({ _tag: "Right", right: command });
  });

  it("reads the documented wire shape", () => {
    const wire = {
      type: "PlaceHold",
      holdId: "h1",
      walletId: "w1",
      merchantId: "m1",
      amount: { currency: "USD", amount: "30" },
      expiresAt: "2026-11-25T10:00:00Z",
    };
    const decoded = commandCodec.decode(wire);
    expect(decoded._tag).toBe("Right");
    if (decoded._tag === "Right" && decoded.right.type === "PlaceHold") {
      expect(decoded.right.amount).toEqual({ currency: "USD", amount: 3000n });
      expect(commandCodec.encode(decoded.right)).toMatchObject({
        amount: { currency: "USD", amount: "30.00" },
        expiresAt: "2026-11-25T10:00:00.000Z",
      });
    }
  });
});
