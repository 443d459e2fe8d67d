/**
 * Given / When / Then for the hold commands: place, increase, capture, release, expire,
 * refund; every acceptance, every rejection, and precedence where two rules are broken.
 */
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import type { Rejection, RejectionTag } from "../rejections/rejection.js";
import { given, T0, type TimedCommand } from "../testing/given-when-then.js";
import type { Timestamp } from "../time/timestamp.js";
import { jpy, usd } from "../testing/money.js";
import { close, deposit, freeze, open, withdraw } from "../testing/wallet-commands.js";

const EXPIRES_AT = T0 + 60_000;
const place = (
  amount: Money = usd("30.00"),
  fields: Partial<{ holdId: string; walletId: string; expiresAt: number }> = {},
): LedgerCommand => ({
  type: "PlaceHold",
  holdId: fields.holdId ?? "h1",
  walletId: fields.walletId ?? "w1",
  merchantId: "m1",
  amount,
  expiresAt: fields.expiresAt ?? EXPIRES_AT,
});
const increase = (amount: Money, holdId = "h1"): LedgerCommand => ({
  type: "IncreaseHold",
  holdId,
  amount,
});
const capture = (amount: Money, final = false, holdId = "h1"): LedgerCommand => ({
  type: "CaptureHold",
  holdId,
  amount,
  final,
});
const release = (holdId = "h1"): LedgerCommand => ({ type: "ReleaseHold", holdId });
const expire = (holdId = "h1"): LedgerCommand => ({ type: "ExpireHold", holdId });
const refund = (amount: Money, refundId = "r1", holdId = "h1"): LedgerCommand => ({
  type: "RefundCapture",
  refundId,
  holdId,
  amount,
});
const at = (command: LedgerCommand, time: number) => ({ command, at: time });

const funded = [open("w1"), deposit("w1")];
const placed = [...funded, place()];
const HELD = "liabilities:wallets:w1:held";
const AVAILABLE = "liabilities:wallets:w1:available";
const MERCHANT = "liabilities:merchants:m1";
/** Every posting here is in USD. */
const posting = (account: string, amount: bigint) => ({ account, currency: "USD", amount });
const captured = [...placed, capture(usd("20.00"), true)];

/** A command that breaks a rule: [the command, given, when, at (T0 unless given)]. */
type Breach = [command: string, given: TimedCommand[], when: LedgerCommand, at?: Timestamp];

/** Rules several hold commands check alike: a rule, the rejection, and a row per command. */
const SHARED_RULES: readonly (readonly [string, RejectionTag | Rejection, readonly Breach[]])[] = [
  [
    "AmountNotPositive first",
    "AmountNotPositive",
    [
      ["PlaceHold", placed, place({ currency: "USD", amount: 0n })],
      ["IncreaseHold, before HoldNotFound", [], increase({ currency: "USD", amount: -5n }, "h9")],
      [
        "CaptureHold, before HoldNotFound",
        [],
        capture({ currency: "USD", amount: 0n }, false, "h9"),
      ],
      ["RefundCapture", [], refund({ currency: "USD", amount: -1n })],
    ],
  ],
  [
    "CurrencyUnknown first",
    "CurrencyUnknown",
    [
      ["PlaceHold", placed, place({ currency: "QQQ", amount: 1n })],
      [
        "CaptureHold, before HoldNotFound",
        [],
        capture({ currency: "QQQ", amount: 1n }, false, "h9"),
      ],
      ["RefundCapture", [], refund({ currency: "QQQ", amount: 1n })],
    ],
  ],
  [
    "HoldNotFound, naming the hold",
    { _tag: "HoldNotFound", holdId: "h1" },
    [
      ["IncreaseHold", funded, increase(usd("1.00"))],
      ["CaptureHold", [], capture(usd("1.00"))],
      ["ReleaseHold", [], release()],
      ["ExpireHold", [], expire(), EXPIRES_AT],
      ["RefundCapture", [], refund(usd("1.00"))],
    ],
  ],
  [
    "CurrencyMismatch, naming both",
    { _tag: "CurrencyMismatch", expected: "USD", actual: "JPY" },
    [
      ["IncreaseHold", placed, increase(jpy("1"))],
      ["CaptureHold", placed, capture(jpy("1"))],
      ["RefundCapture", captured, refund(jpy("1"))],
    ],
  ],
  [
    "HoldExpired at the deadline, even before anyone expired the hold",
    "HoldExpired",
    [
      ["IncreaseHold", placed, increase(usd("1.00")), EXPIRES_AT],
      ["CaptureHold", placed, capture(usd("1.00")), EXPIRES_AT],
    ],
  ],
];

describe.each(SHARED_RULES)("%s", (_rule, then, breaches) => {
  it.each(breaches)("%s", (_command, setup, command, time) => {
    const tag = typeof then === "string" ? then : then._tag;
    const rejection = given(...setup)
      .when(command, time)
      .thenRejects(tag);
    if (typeof then !== "string") expect(rejection).toEqual(then);
  });
});

/** Placing a hold and increasing it alike set money aside: from available to held. */
describe.each([
  [
    "PlaceHold",
    funded,
    place(usd("30.00")),
    {
      type: "HoldPlaced",
      holdId: "h1",
      walletId: "w1",
      merchantId: "m1",
      amount: usd("30.00"),
      expiresAt: EXPIRES_AT,
    },
  ],
  [
    "IncreaseHold",
    placed,
    increase(usd("5.00")),
    { type: "HoldIncreased", holdId: "h1", amount: usd("5.00") },
  ],
] as const)("%s", (_command, setup, command, event) => {
  it("moves the amount from available to held", () => {
    const moved = event.amount.amount;
    expect(
      given(...setup)
        .when(command)
        .thenEvents(),
    ).toEqual([{ ...event, postings: [posting(AVAILABLE, moved), posting(HELD, -moved)] }]);
  });
});

describe("PlaceHold", () => {
  it("HoldAlreadyExists, before the wallet is looked at", () => {
    expect(
      given(...placed)
        .when(place(usd("1.00")))
        .thenRejects("HoldAlreadyExists"),
    ).toEqual({ _tag: "HoldAlreadyExists", holdId: "h1" });
    given(...placed)
      .when(place(usd("1.00"), { walletId: "w9" }))
      .thenRejects("HoldAlreadyExists");
  });
  it("HoldAlreadyExists even once the old hold is closed (hold ids are never reused)", () => {
    given(...placed, release())
      .when(place())
      .thenRejects("HoldAlreadyExists");
  });
  it("WalletNotFound", () => {
    given().when(place()).thenRejects("WalletNotFound");
  });
  it("WalletClosed and WalletFrozen", () => {
    given(open("w1"), close("w1")).when(place()).thenRejects("WalletClosed");
    given(...funded, freeze("w1"))
      .when(place())
      .thenRejects("WalletFrozen");
  });
  it("HoldExpired when the deadline is not in the future (at == expiresAt is too late)", () => {
    expect(
      given(...funded)
        .when(place(usd("1.00"), { expiresAt: T0 }), T0)
        .thenRejects("HoldExpired"),
    ).toEqual({ _tag: "HoldExpired", holdId: "h1", expiresAt: T0, at: T0 });
    given(...funded)
      .when(place(usd("1.00"), { expiresAt: T0 + 1 }), T0)
      .thenEvents();
  });
  it("InsufficientFunds", () => {
    given(...funded)
      .when(place(usd("100.01")))
      .thenRejects("InsufficientFunds");
  });
  it("precedence: frozen before expired before funds", () => {
    given(open("w1"), freeze("w1"))
      .when(place(usd("1.00"), { expiresAt: T0 }), T0)
      .thenRejects("WalletFrozen");
    given(open("w1"))
      .when(place(usd("1.00"), { expiresAt: T0 }), T0)
      .thenRejects("HoldExpired");
  });
});

describe("IncreaseHold", () => {
  it("HoldNotOpen, naming the status", () => {
    expect(
      given(...placed, release())
        .when(increase(usd("1.00")))
        .thenRejects("HoldNotOpen"),
    ).toEqual({ _tag: "HoldNotOpen", holdId: "h1", status: "released" });
  });
  it("WalletFrozen", () => {
    given(...placed, freeze("w1"))
      .when(increase(usd("1.00")))
      .thenRejects("WalletFrozen");
  });
  it("HoldAlreadyCaptured after a partial capture", () => {
    expect(
      given(...placed, capture(usd("1.00")))
        .when(increase(usd("1.00")))
        .thenRejects("HoldAlreadyCaptured"),
    ).toEqual({ _tag: "HoldAlreadyCaptured", holdId: "h1", captured: 100n });
  });
  it("InsufficientFunds for the increment only", () => {
    given(...placed)
      .when(increase(usd("70.00")))
      .thenEvents();
    given(...placed)
      .when(increase(usd("70.01")))
      .thenRejects("InsufficientFunds");
  });
  it("precedence: frozen, expired, currency, captured, funds", () => {
    given(...placed, capture(usd("1.00")), freeze("w1"))
      .when(increase(jpy("999999")), EXPIRES_AT)
      .thenRejects("WalletFrozen");
    given(...placed, capture(usd("1.00")))
      .when(increase(jpy("999999")), EXPIRES_AT)
      .thenRejects("HoldExpired");
    given(...placed, capture(usd("1.00")))
      .when(increase(jpy("999999")))
      .thenRejects("CurrencyMismatch");
    given(...placed, capture(usd("1.00")))
      .when(increase(usd("999.00")))
      .thenRejects("HoldAlreadyCaptured");
  });
});

describe("CaptureHold", () => {
  it("a partial capture pays the merchant from held and leaves the hold open", () => {
    const scenario = given(...placed, capture(usd("10.00")));
    expect(scenario.state.holds.get("h1")?.status).toBe("open");
    expect(scenario.when(capture(usd("5.00"))).thenEvents()).toEqual([
      {
        type: "HoldCaptured",
        holdId: "h1",
        amount: usd("5.00"),
        final: false,
        released: usd("0"),
        postings: [posting(HELD, 500n), posting(MERCHANT, -500n)],
      },
    ]);
  });
  it("a final capture returns the remainder to available in the same event", () => {
    expect(
      given(...placed)
        .when(capture(usd("20.00"), true))
        .thenEvents(),
    ).toEqual([
      {
        type: "HoldCaptured",
        holdId: "h1",
        amount: usd("20.00"),
        final: true,
        released: usd("10.00"),
        postings: [
          posting(HELD, 2000n),
          posting(MERCHANT, -2000n),
          posting(HELD, 1000n),
          posting(AVAILABLE, -1000n),
        ],
      },
    ]);
  });
  it("a final capture of everything releases nothing and has no release postings", () => {
    const [event] = given(...placed)
      .when(capture(usd("30.00"), true))
      .thenEvents();
    expect(event?.postings).toHaveLength(2);
    expect(event?.type === "HoldCaptured" ? event.released : undefined).toEqual(usd("0"));
  });
  it("captures on a frozen wallet (the money was already set aside)", () => {
    given(...placed, freeze("w1"))
      .when(capture(usd("30.00"), true))
      .thenEvents();
  });
  it("HoldNotOpen after a final capture, a release or expiry", () => {
    expect(
      given(...placed, capture(usd("1.00"), true))
        .when(capture(usd("1.00")))
        .thenRejects("HoldNotOpen").status,
    ).toBe("captured");
    expect(
      given(...placed, release())
        .when(capture(usd("1.00")))
        .thenRejects("HoldNotOpen").status,
    ).toBe("released");
    expect(
      given(...placed, at(expire(), EXPIRES_AT))
        .when(capture(usd("1.00")), EXPIRES_AT)
        .thenRejects("HoldNotOpen").status,
    ).toBe("expired");
  });
  it("captures until one millisecond before the deadline", () => {
    given(...placed)
      .when(capture(usd("1.00")), EXPIRES_AT - 1)
      .thenEvents();
  });
  it("CaptureExceedsHold, with what remains after earlier captures", () => {
    expect(
      given(...placed, capture(usd("25.00")))
        .when(capture(usd("5.01")))
        .thenRejects("CaptureExceedsHold"),
    ).toEqual({
      _tag: "CaptureExceedsHold",
      holdId: "h1",
      remaining: 500n,
      requested: 501n,
    });
  });
  it("an increment raises what can be captured", () => {
    given(...placed, increase(usd("10.00")))
      .when(capture(usd("40.00"), true))
      .thenEvents();
  });
  it("precedence: expired before currency before amount", () => {
    given(...placed)
      .when(capture(jpy("999999")), EXPIRES_AT)
      .thenRejects("HoldExpired");
    given(...placed)
      .when(capture(jpy("999999")))
      .thenRejects("CurrencyMismatch");
  });
});

/** Releasing and expiring close a hold alike: what remains goes back from held to available. */
describe.each([
  ["ReleaseHold", "HoldReleased", [...placed, capture(usd("10.00"))], release(), T0, "20.00"],
  ["ExpireHold at the deadline", "HoldExpired", placed, expire(), EXPIRES_AT, "30.00"],
] as const)("%s", (_command, type, setup, command, time, remains) => {
  it("returns what remains to available", () => {
    const released = usd(remains);
    expect(
      given(...setup)
        .when(command, time)
        .thenEvents(),
    ).toEqual([
      {
        type,
        holdId: "h1",
        released,
        postings: [posting(HELD, released.amount), posting(AVAILABLE, -released.amount)],
      },
    ]);
  });
});

describe("ReleaseHold", () => {
  it("closes a fully captured open hold with no postings", () => {
    expect(
      given(...placed, capture(usd("30.00")))
        .when(release())
        .thenEvents()[0]?.postings,
    ).toEqual([]);
  });
  it("releases on a frozen wallet, and after the deadline", () => {
    given(...placed, freeze("w1"))
      .when(release(), EXPIRES_AT + 1)
      .thenEvents();
  });
  it("HoldNotOpen", () => {
    given(...placed, release())
      .when(release())
      .thenRejects("HoldNotOpen");
  });
  it("WalletClosed after HoldNotOpen: a closed wallet accepts nothing (only a stream from before CloseWallet refused open holds can get here)", () => {
    const legacy = given(...placed, capture(usd("30.00")));
    const wallet = legacy.state.wallets.get("w1");
    if (wallet === undefined) throw new Error("no wallet");
    wallet.status = "closed"; // as WalletClosed folded from such a stream leaves it
    legacy.when(release()).thenRejects("WalletClosed");
  });
});

describe("ExpireHold", () => {
  it("HoldNotExpired one millisecond before the deadline", () => {
    expect(
      given(...placed)
        .when(expire(), EXPIRES_AT - 1)
        .thenRejects("HoldNotExpired"),
    ).toEqual({ _tag: "HoldNotExpired", holdId: "h1", expiresAt: EXPIRES_AT, at: EXPIRES_AT - 1 });
  });
  it("HoldNotOpen before HoldNotExpired", () => {
    given(...placed, capture(usd("1.00"), true))
      .when(expire(), T0)
      .thenRejects("HoldNotOpen");
  });
});

describe("RefundCapture", () => {
  it("moves money from the merchant back to the wallet's available", () => {
    expect(
      given(...captured)
        .when(refund(usd("5.00")))
        .thenEvents(),
    ).toEqual([
      {
        type: "RefundIssued",
        refundId: "r1",
        holdId: "h1",
        amount: usd("5.00"),
        postings: [posting(MERCHANT, 500n), posting(AVAILABLE, -500n)],
      },
    ]);
  });
  it("refunds in several steps up to exactly what was captured", () => {
    given(...captured, refund(usd("15.00"), "r1"))
      .when(refund(usd("5.00"), "r2"))
      .thenEvents();
  });
  it("refunds a partial capture of a hold still open", () => {
    given(...placed, capture(usd("3.00")))
      .when(refund(usd("3.00")))
      .thenEvents();
  });
  it("reaches a frozen wallet", () => {
    given(...captured, freeze("w1"))
      .when(refund(usd("1.00")))
      .thenEvents();
  });
  it("WalletClosed when the wallet closed after the capture", () => {
    const emptied = [
      ...placed,
      capture(usd("30.00"), true),
      withdraw("w1", usd("70.00")),
      close("w1"),
    ];
    given(...emptied)
      .when(refund(usd("1.00")))
      .thenRejects("WalletClosed");
  });
  it("RefundAlreadyIssued for a refund id already used on this hold", () => {
    expect(
      given(...captured, refund(usd("1.00"), "r1"))
        .when(refund(usd("1.00"), "r1"))
        .thenRejects("RefundAlreadyIssued"),
    ).toEqual({ _tag: "RefundAlreadyIssued", refundId: "r1" });
  });
  it("RefundExceedsCaptured, with what is still refundable", () => {
    expect(
      given(...captured, refund(usd("15.00")))
        .when(refund(usd("5.01"), "r2"))
        .thenRejects("RefundExceedsCaptured"),
    ).toEqual({
      _tag: "RefundExceedsCaptured",
      holdId: "h1",
      refundable: 500n,
      requested: 501n,
    });
  });
  it("RefundExceedsCaptured on a hold released without capture", () => {
    expect(
      given(...placed, release())
        .when(refund(usd("0.01")))
        .thenRejects("RefundExceedsCaptured").refundable,
    ).toBe(0n);
  });
  it("precedence: used refund id before currency before amount", () => {
    given(...captured, refund(usd("1.00"), "r1"))
      .when(refund(jpy("999999"), "r1"))
      .thenRejects("RefundAlreadyIssued");
    given(...captured)
      .when(refund(jpy("999999"), "r2"))
      .thenRejects("CurrencyMismatch");
  });
});
