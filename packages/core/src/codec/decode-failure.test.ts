/**
 * Decoding refuses what it must, with a structured DecodeFailure whose issues name the path
 * of the offending field in the JSON document and what was expected there.
 */
import { describe, expect, it } from "vitest";
import type * as t from "io-ts";
import { commandRequestCodec, ledgerCommandCodec } from "../commands/ledger-command.js";
import { ledgerEventCodec } from "../events/ledger-event.js";
import { recordedEventCodec } from "../journal/recorded-event.js";
import { iso4217 } from "../money/index.js";
import * as wire from "../testing/command-requests.js";
import { decodeFailure, describeDecodeFailure, type DecodeFailure } from "./decode-error.js";

const commands = ledgerCommandCodec(iso4217);
const events = ledgerEventCodec(iso4217);
const requests = commandRequestCodec(iso4217);

/** Anything that decodes (method syntax, so every codec fits whatever it decodes to). */
interface Decoder {
  decode(input: unknown): t.Validation<unknown>;
}

function failure(codec: Decoder, input: unknown): DecodeFailure {
  const decoded = codec.decode(input);
  if (decoded._tag === "Right") throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return decodeFailure("input", decoded.left);
}

const paths = (codec: Decoder, input: unknown): string[] =>
  failure(codec, input).issues.map((issue) => issue.path);

// Valid commands in wire form (the shared request builders'), with `fields` replaced or added.
const deposit = (fields: Record<string, unknown> = {}) => ({
  ...wire.deposit("w1", "12.34").command,
  ...fields,
});
const placeHold = (fields: Record<string, unknown> = {}) => ({
  ...wire.placeHold("h1", "w1", "1.00", "2026-11-25T10:00:00.000Z").command,
  ...fields,
});
const transfer = (fields: Record<string, unknown> = {}) => ({
  ...wire.transfer("w1", "w2", "1.00").command,
  ...fields,
});
const deposited = (fields: Record<string, unknown> = {}) => ({
  type: "FundsDeposited",
  walletId: "w1",
  channel: "card",
  amount: { currency: "USD", amount: "1.00" },
  postings: [
    { account: "assets:clearing:card", currency: "USD", amount: "1.00" },
    { account: "liabilities:wallets:w1:available", currency: "USD", amount: "-1.00" },
  ],
  ...fields,
});

describe("valid inputs decode (the failures below are about the one field changed)", () => {
  it.each([
    ["a deposit", commands, deposit()],
    ["a hold", commands, placeHold()],
    ["an event", events, deposited()],
    ["a request", requests, { idempotencyKey: "k-1", command: deposit() }],
  ] as const)("%s", (_name, codec, input) => {
    expect((codec as Decoder).decode(input)._tag).toBe("Right");
  });
});

describe("unknown types", () => {
  it("an unknown command type is refused at `type`, listing the known types", () => {
    const { issues } = failure(commands, { type: "ChargeCard", walletId: "w1" });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("type");
    expect(issues[0]?.actual).toBe("ChargeCard");
    expect(issues[0]?.expected).toContain("DepositFunds");
  });
  it("an unknown event type, a missing type, and a non-object are refused", () => {
    expect(paths(events, { type: "FundsStolen", postings: [] })).toEqual(["type"]);
    expect(paths(events, { walletId: "w1" })).toEqual(["type"]);
    expect(paths(events, [deposited()])).toEqual([""]);
    expect(paths(commands, "DepositFunds")).toEqual([""]);
  });
});

describe("malformed fields, each named by its path", () => {
  it("an amount as a JSON number is refused, never read as a float", () => {
    const { issues } = failure(commands, deposit({ amount: { currency: "USD", amount: 12.34 } }));
    expect(issues.map((issue) => [issue.path, issue.actual])).toEqual([["amount.amount", 12.34]]);
    expect(issues[0]?.expected).toContain("decimal string");
  });
  it("too many decimals for the currency is refused (no rounding), even trailing zeros", () => {
    expect(paths(commands, deposit({ amount: { currency: "USD", amount: "1.234" } }))).toEqual([
      "amount.amount",
    ]);
    expect(paths(commands, deposit({ amount: { currency: "USD", amount: "1.000" } }))).toEqual([
      "amount.amount",
    ]);
    expect(paths(commands, deposit({ amount: { currency: "JPY", amount: "1.5" } }))).toEqual([
      "amount.amount",
    ]);
    expect(
      failure(commands, deposit({ amount: { currency: "USD", amount: "1.234" } })).issues[0]
        ?.expected,
    ).toContain("AmountTooPrecise");
  });
  it("zero and negative amounts are refused where money must be positive", () => {
    expect(paths(commands, deposit({ amount: { currency: "USD", amount: "0" } }))).toEqual([
      "amount.amount",
    ]);
    expect(paths(commands, deposit({ amount: { currency: "USD", amount: "-1.00" } }))).toEqual([
      "amount.amount",
    ]);
  });
  it("an unknown currency is refused at the currency", () => {
    const { issues } = failure(commands, deposit({ amount: { currency: "QQQ", amount: "1.00" } }));
    expect(issues.map((issue) => [issue.path, issue.actual])).toEqual([["amount.currency", "QQQ"]]);
  });
  it("bad ids are refused (spaces, colons that would forge account addresses, empty, too long)", () => {
    for (const walletId of ["w 1", "w1:held", "", "x".repeat(65), 7])
      expect(paths(commands, deposit({ walletId }))).toEqual(["walletId"]);
  });
  it("bad timestamps are refused (impossible dates, no zone, numbers)", () => {
    for (const expiresAt of [
      "2026-02-30T00:00:00Z",
      "2026-11-25T10:00:00",
      "2026-11-25T10:00:00+01:00",
      "tomorrow",
      1_790_000_000_000,
    ]) {
      expect(paths(commands, placeHold({ expiresAt }))).toEqual(["expiresAt"]);
    }
  });
  it("several bad fields give one issue each", () => {
    expect(
      paths(
        commands,
        placeHold({
          holdId: "h 1",
          amount: { currency: "USD", amount: "1.234" },
          expiresAt: "never",
        }),
      ).sort(),
    ).toEqual(["amount.amount", "expiresAt", "holdId"]);
  });
  it("a posting's bad field is named with its index", () => {
    const postings = [
      { account: "assets:clearing:card", currency: "USD", amount: 1 },
      { account: "wallets:w1", currency: "USD", amount: "-1.00" },
    ];
    expect(paths(events, deposited({ postings }))).toEqual([
      "postings.0.amount",
      "postings.1.account",
    ]);
  });
  it("paths start at the document root: a request names `command.` and no codec internals", () => {
    expect(
      paths(requests, {
        idempotencyKey: "k-1",
        command: deposit({ amount: { currency: "USD", amount: 1 } }),
      }),
    ).toEqual(["command.amount.amount"]);
    expect(paths(requests, { idempotencyKey: "", command: deposit() })).toEqual(["idempotencyKey"]);
  });
  it("a recorded event names the nested event's field", () => {
    const recorded = {
      sequence: 1,
      recordedAt: "2026-11-25T10:00:00.000Z",
      commandId: "c1",
      idempotencyKey: "k1",
      digest: "d",
      indexInCommand: 0,
      eventsInCommand: 1,
      event: deposited({ walletId: "w:1" }),
    };
    expect(paths(recordedEventCodec(iso4217), recorded)).toEqual(["event.walletId"]);
  });
  it("describes a failure in one line per issue", () => {
    expect(describeDecodeFailure(failure(commands, deposit({ walletId: "w 1" })))).toBe(
      `cannot decode input:\n  walletId: expected an id of 1-64 letters, digits, '_', '.', '-', got "w 1"`,
    );
  });
});

describe("strict requests: an unknown field is refused, never dropped", () => {
  it("a misspelt optional field of the request, the command or a money object is named by its path", () => {
    expect(
      paths(requests, { idempotencyKey: "k-1", metdata: { a: "b" }, command: deposit() }),
    ).toEqual(["metdata"]);
    expect(
      paths(requests, { idempotencyKey: "k-1", command: transfer({ strongAuthenticaton: true }) }),
    ).toEqual(["command.strongAuthenticaton"]);
    expect(
      paths(requests, {
        idempotencyKey: "k-1",
        command: deposit({ amount: { currency: "USD", amount: "1.00", note: "x" } }),
      }),
    ).toEqual(["command.amount.note"]);
    const { issues } = failure(commands, {
      type: "CaptureHold",
      holdId: "h1",
      amount: { currency: "USD", amount: "1.00" },
      final: false,
      finale: true,
    });
    expect(issues.map((issue) => [issue.path, issue.actual])).toEqual([["finale", true]]);
    expect(issues[0]?.expected).toContain('no field named "finale"');
    expect(issues[0]?.expected).toContain("final");
  });
  it("fields inside nested objects and arrays are checked too (a tier's limits, a discount)", () => {
    const tier = {
      type: "DefineVerificationTier",
      tierId: "t1",
      limits: [
        {
          perTransaction: { currency: "USD", amount: "1.00" },
          perDay: { currency: "USD", amount: "2.00" },
          perWeek: "x",
        },
      ],
    };
    expect(paths(commands, tier)).toEqual(["limits.0.perWeek"]);
    const promotion = {
      type: "CreatePromotion",
      promotionId: "p1",
      budget: { currency: "USD", amount: "10.00" },
      discount: { kind: "percentage", basisPoints: 500, cap: "1" },
    };
    expect(paths(commands, promotion)).toEqual(["discount.cap"]);
  });
  it("an unknown field is reported together with other bad fields", () => {
    expect(paths(commands, deposit({ walletId: "w 1", chanel: "card" })).sort()).toEqual([
      "chanel",
      "walletId",
    ]);
  });
  it("metadata is free-form: any key is allowed inside it", () => {
    expect(
      requests.decode({ idempotencyKey: "k-1", metadata: { anything: "goes" }, command: deposit() })
        ._tag,
    ).toBe("Right");
  });
  it("a line that is not an object is told what was expected in the API's words", () => {
    for (const line of [42, "DepositFunds", [deposit()], null]) {
      const { issues } = failure(requests, line);
      expect(issues.map((issue) => issue.path)).toEqual([""]);
      expect(issues[0]?.expected).toBe(
        "a command request: a JSON object with idempotencyKey and command",
      );
    }
    expect(failure(requests, { idempotencyKey: "k-1", command: 7 }).issues[0]?.expected).toBe(
      "command as a JSON object",
    );
    expect(
      failure(requests, { idempotencyKey: "k-1", command: { type: "ChargeCard" } }).issues[0]
        ?.expected,
    ).toMatch(/^a known command type \(OpenWallet, /);
  });
});
