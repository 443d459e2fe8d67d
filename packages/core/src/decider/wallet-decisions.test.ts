/**
 * Given / When / Then for the wallet commands: every acceptance, every rejection, and the
 * precedence between rules when a command breaks two at once.
 */
import { describe, expect, it } from "vitest";
import type { LedgerCommand } from "../commands/ledger-command.js";
import { given, givenWith, T0 } from "../testing/given-when-then.js";
import { jpy, kwd, usd } from "../testing/money.js";
import { close, deposit, freeze, open, unfreeze, withdraw } from "../testing/wallet-commands.js";

const limit = (walletId: string, amount = usd("50.00")): LedgerCommand => ({
  type: "SetOverdraftLimit",
  walletId,
  limit: amount,
});
const transfer = (
  fromWalletId: string,
  toWalletId: string,
  amount = usd("10.00"),
): LedgerCommand => ({ type: "TransferFunds", transferId: "t1", fromWalletId, toWalletId, amount });
const hold = (walletId: string, amount = usd("10.00")): LedgerCommand => ({
  type: "PlaceHold",
  holdId: "h1",
  walletId,
  merchantId: "m1",
  amount,
  expiresAt: T0 + 60_000,
});
const nothing = { currency: "USD", amount: 0n };
const negative = { currency: "USD", amount: -1n };
const unknownCurrency = { currency: "QQQ", amount: 100n };

describe("OpenWallet", () => {
  it("opens a wallet with no postings", () => {
    expect(given().when(open("w1", "alice")).thenEvents()).toEqual([
      { type: "WalletOpened", walletId: "w1", ownerId: "alice", postings: [] },
    ]);
  });
  it.each([
    ["an active wallet", [open("w1")], open("w1", "bob")],
    ["a closed wallet (ids are never reused)", [open("w1"), close("w1")], open("w1")],
  ])("rejects an id taken by %s: WalletAlreadyExists, naming the id", (_by, setup, command) => {
    expect(
      given(...setup)
        .when(command)
        .thenRejects("WalletAlreadyExists"),
    ).toEqual({
      _tag: "WalletAlreadyExists",
      walletId: "w1",
    });
  });
});

describe("FreezeWallet", () => {
  it("freezes an active wallet, with its reason", () => {
    expect(given(open("w1")).when(freeze("w1", "court order")).thenEvents()).toEqual([
      { type: "WalletFrozen", walletId: "w1", reason: "court order", postings: [] },
    ]);
  });
  it("WalletFrozen when already frozen, naming the first reason", () => {
    expect(
      given(open("w1"), freeze("w1", "first"))
        .when(freeze("w1", "second"))
        .thenRejects("WalletFrozen"),
    ).toEqual({ _tag: "WalletFrozen", walletId: "w1", reason: "first" });
  });
});

describe("UnfreezeWallet", () => {
  it("unfreezes a frozen wallet, which can then be debited again", () => {
    const scenario = given(open("w1"), deposit("w1"), freeze("w1"), unfreeze("w1"));
    expect(scenario.when(withdraw("w1")).thenEvents()[0]?.type).toBe("FundsWithdrawn");
    expect(given(open("w1"), freeze("w1")).when(unfreeze("w1")).thenEvents()).toEqual([
      { type: "WalletUnfrozen", walletId: "w1", postings: [] },
    ]);
  });
  it("WalletNotFrozen for an active wallet", () => {
    expect(given(open("w1")).when(unfreeze("w1")).thenRejects("WalletNotFrozen")).toEqual({
      _tag: "WalletNotFrozen",
      walletId: "w1",
    });
  });
});

describe("CloseWallet", () => {
  it("closes an empty wallet", () => {
    expect(given(open("w1")).when(close("w1")).thenEvents()).toEqual([
      { type: "WalletClosed", walletId: "w1", postings: [] },
    ]);
  });
  it("closes a frozen wallet that is empty", () => {
    given(open("w1"), freeze("w1")).when(close("w1")).thenEvents();
  });
  it("closes a wallet whose money all left again", () => {
    given(open("w1"), deposit("w1", usd("5.00")), withdraw("w1", usd("5.00")))
      .when(close("w1"))
      .thenEvents();
  });
  it("WalletNotEmpty with money available, naming the currency and both balances", () => {
    expect(
      given(open("w1"), deposit("w1", jpy("500")))
        .when(close("w1"))
        .thenRejects("WalletNotEmpty"),
    ).toEqual({
      _tag: "WalletNotEmpty",
      walletId: "w1",
      currency: "JPY",
      available: 500n,
      held: 0n,
    });
  });
  it("WalletNotEmpty with money held (available zero)", () => {
    const rejection = given(open("w1"), deposit("w1", usd("10.00")), hold("w1", usd("10.00")))
      .when(close("w1"))
      .thenRejects("WalletNotEmpty");
    expect([rejection.available, rejection.held]).toEqual([0n, 1000n]);
  });
  it("WalletNotEmpty when overdrawn (a debt is not zero)", () => {
    const rejection = given(open("w1"), limit("w1", usd("5.00")), withdraw("w1", usd("3.00")))
      .when(close("w1"))
      .thenRejects("WalletNotEmpty");
    expect(rejection.available).toBe(-300n);
  });
  it("WalletHasOpenHolds while a hold is open, even one with nothing left in it", () => {
    const emptied = [
      open("w1"),
      deposit("w1", usd("10.00")),
      hold("w1", usd("10.00")),
      { type: "CaptureHold" as const, holdId: "h1", amount: usd("10.00"), final: false },
    ];
    expect(
      given(...emptied)
        .when(close("w1"))
        .thenRejects("WalletHasOpenHolds"),
    ).toEqual({ _tag: "WalletHasOpenHolds", walletId: "w1", openHolds: 1 });
    given(...emptied, { type: "ReleaseHold", holdId: "h1" })
      .when(close("w1"))
      .thenEvents();
  });
  it("WalletNotEmpty before WalletHasOpenHolds (a hold with money in it is reported as held money)", () => {
    given(open("w1"), deposit("w1", usd("10.00")), hold("w1", usd("10.00")))
      .when(close("w1"))
      .thenRejects("WalletNotEmpty");
  });
});

describe("SetOverdraftLimit", () => {
  it("sets a limit per currency (zero allowed), even on a frozen wallet", () => {
    expect(
      given(open("w1"), freeze("w1"))
        .when(limit("w1", usd("0")))
        .thenEvents(),
    ).toEqual([{ type: "OverdraftLimitSet", walletId: "w1", limit: usd("0"), postings: [] }]);
  });
  it("CurrencyUnknown", () => {
    expect(
      given(open("w1")).when(limit("w1", unknownCurrency)).thenRejects("CurrencyUnknown"),
    ).toEqual({ _tag: "CurrencyUnknown", currency: "QQQ" });
  });
  it("AmountNotPositive for a negative limit", () => {
    expect(given(open("w1")).when(limit("w1", negative)).thenRejects("AmountNotPositive")).toEqual({
      _tag: "AmountNotPositive",
      amount: -1n,
    });
  });
  it("checks the currency before the sign (unlike money commands)", () => {
    given(open("w1"))
      .when(limit("w1", { currency: "QQQ", amount: -1n }))
      .thenRejects("CurrencyUnknown");
  });
  it("checks the limit before the wallet", () => {
    given().when(limit("w9", negative)).thenRejects("AmountNotPositive");
  });
  it("OverdraftLimitBelowDebt: a limit is never lowered below what the wallet already owes", () => {
    const overdrawn = [open("w1"), limit("w1", usd("5.00")), withdraw("w1", usd("3.00"))];
    expect(
      given(...overdrawn)
        .when(limit("w1", usd("2.99")))
        .thenRejects("OverdraftLimitBelowDebt"),
    ).toEqual({
      _tag: "OverdraftLimitBelowDebt",
      walletId: "w1",
      currency: "USD",
      available: -300n,
      limit: 299n,
    });
    given(...overdrawn)
      .when(limit("w1", usd("3.00")))
      .thenEvents();
    given(...overdrawn, deposit("w1", usd("3.00")))
      .when(limit("w1", usd("0")))
      .thenEvents();
  });
  it("OverdraftLimitBelowDebt comes after WalletClosed and only looks at the limit's currency", () => {
    given(open("w1"), limit("w1", usd("5.00")), withdraw("w1", usd("3.00")))
      .when(limit("w1", jpy("0")))
      .thenEvents();
  });
});

describe("DepositFunds", () => {
  it("debits the channel's clearing asset and credits the wallet's available liability", () => {
    expect(
      given(open("w1"))
        .when(deposit("w1", usd("12.34"), "card"))
        .thenEvents(),
    ).toEqual([
      {
        type: "FundsDeposited",
        walletId: "w1",
        amount: usd("12.34"),
        channel: "card",
        postings: [
          { account: "assets:clearing:card", currency: "USD", amount: 1234n },
          { account: "liabilities:wallets:w1:available", currency: "USD", amount: -1234n },
        ],
      },
    ]);
  });
  it("reaches a frozen wallet (only debits are blocked)", () => {
    given(open("w1"), freeze("w1")).when(deposit("w1")).thenEvents();
  });
  it("AmountNotPositive for zero and for a negative amount", () => {
    given(open("w1")).when(deposit("w1", nothing)).thenRejects("AmountNotPositive");
    given(open("w1")).when(deposit("w1", negative)).thenRejects("AmountNotPositive");
  });
  it("CurrencyUnknown", () => {
    given(open("w1")).when(deposit("w1", unknownCurrency)).thenRejects("CurrencyUnknown");
  });
  it("checks the amount's sign before its currency, and both before the wallet", () => {
    given()
      .when(deposit("w9", { currency: "QQQ", amount: 0n }))
      .thenRejects("AmountNotPositive");
    given().when(deposit("w9", unknownCurrency)).thenRejects("CurrencyUnknown");
  });
});

describe("WithdrawFunds", () => {
  it("debits the wallet and credits the channel's clearing asset", () => {
    expect(
      given(open("w1"), deposit("w1", kwd("2.500")))
        .when(withdraw("w1", kwd("1.250"), "bank"))
        .thenEvents()[0]?.postings,
    ).toEqual([
      { account: "liabilities:wallets:w1:available", currency: "KWD", amount: 1250n },
      { account: "assets:clearing:bank", currency: "KWD", amount: -1250n },
    ]);
  });
  it("takes the balance to exactly zero", () => {
    given(open("w1"), deposit("w1", usd("10.00")))
      .when(withdraw("w1", usd("10.00")))
      .thenEvents();
  });
  it("InsufficientFunds one minor unit beyond, with what was available and asked", () => {
    expect(
      given(open("w1"), deposit("w1", usd("10.00")))
        .when(withdraw("w1", usd("10.01")))
        .thenRejects("InsufficientFunds"),
    ).toEqual({
      _tag: "InsufficientFunds",
      walletId: "w1",
      currency: "USD",
      available: 1000n,
      overdraftLimit: 0n,
      requested: 1001n,
    });
  });
  it("counts only the command's currency (dollars do not pay for yen)", () => {
    given(open("w1"), deposit("w1", usd("100.00")))
      .when(withdraw("w1", jpy("1")))
      .thenRejects("InsufficientFunds");
  });
  it("counts held money as unavailable", () => {
    given(open("w1"), deposit("w1", usd("10.00")), hold("w1", usd("4.00")))
      .when(withdraw("w1", usd("6.01")))
      .thenRejects("InsufficientFunds");
  });
  it("goes below zero down to the overdraft limit, and not one unit further", () => {
    given(open("w1"), deposit("w1", usd("10.00")), limit("w1", usd("5.00")))
      .when(withdraw("w1", usd("15.00")))
      .thenEvents();
    const rejection = given(open("w1"), deposit("w1", usd("10.00")), limit("w1", usd("5.00")))
      .when(withdraw("w1", usd("15.01")))
      .thenRejects("InsufficientFunds");
    expect(rejection.overdraftLimit).toBe(500n);
  });
  it("a wallet at its overdraft limit passes no further debit until money arrives", () => {
    const overdrawn = [open("w1"), limit("w1", usd("5.00")), withdraw("w1", usd("5.00"))];
    const rejection = given(...overdrawn)
      .when(withdraw("w1", usd("0.01")))
      .thenRejects("InsufficientFunds");
    expect([rejection.available, rejection.overdraftLimit]).toEqual([-500n, 500n]);
    given(...overdrawn, deposit("w1", usd("0.01")))
      .when(withdraw("w1", usd("0.01")))
      .thenEvents();
  });
  it("an overdraft limit in one currency does not extend to another", () => {
    given(open("w1"), limit("w1", usd("5.00")))
      .when(withdraw("w1", jpy("1")))
      .thenRejects("InsufficientFunds");
  });
  it("WalletFrozen, with the reason, before looking at funds", () => {
    expect(
      given(open("w1"), freeze("w1", "kyc"))
        .when(withdraw("w1", usd("1000.00")))
        .thenRejects("WalletFrozen"),
    ).toEqual({ _tag: "WalletFrozen", walletId: "w1", reason: "kyc" });
  });
  it("AmountNotPositive and CurrencyUnknown come before the wallet", () => {
    given().when(withdraw("w1", nothing)).thenRejects("AmountNotPositive");
    given().when(withdraw("w1", unknownCurrency)).thenRejects("CurrencyUnknown");
  });
});

describe("TransferFunds", () => {
  const twoWallets = [open("w1"), open("w2"), deposit("w1", usd("20.00"))];
  it("TransferAlreadyExists: a transfer id is never reused, like every other entity id", () => {
    expect(
      given(...twoWallets, transfer("w1", "w2"))
        .when(transfer("w2", "w1", usd("1.00")))
        .thenRejects("TransferAlreadyExists"),
    ).toEqual({ _tag: "TransferAlreadyExists", transferId: "t1" });
  });
  it("TransferAlreadyExists after the amount's shape and before the wallets", () => {
    given(...twoWallets, transfer("w1", "w2"))
      .when(transfer("w1", "w2", { currency: "USD", amount: 0n }))
      .thenRejects("AmountNotPositive");
    given(...twoWallets, transfer("w1", "w2"))
      .when(transfer("w8", "w9"))
      .thenRejects("TransferAlreadyExists");
  });
  it("moves money from one wallet's available account to the other's", () => {
    expect(
      given(...twoWallets)
        .when(transfer("w1", "w2", usd("7.50")))
        .thenEvents(),
    ).toEqual([
      {
        type: "FundsTransferred",
        transferId: "t1",
        fromWalletId: "w1",
        toWalletId: "w2",
        amount: usd("7.50"),
        postings: [
          { account: "liabilities:wallets:w1:available", currency: "USD", amount: 750n },
          { account: "liabilities:wallets:w2:available", currency: "USD", amount: -750n },
        ],
      },
    ]);
  });
  it("reaches a frozen target", () => {
    given(...twoWallets, freeze("w2"))
      .when(transfer("w1", "w2"))
      .thenEvents();
  });
  it("WalletNotFound names the source first, then the target", () => {
    expect(given().when(transfer("w8", "w9")).thenRejects("WalletNotFound").walletId).toBe("w8");
    expect(
      given(...twoWallets)
        .when(transfer("w1", "w9"))
        .thenRejects("WalletNotFound").walletId,
    ).toBe("w9");
  });
  it("WalletFrozen for a frozen source", () => {
    given(...twoWallets, freeze("w1"))
      .when(transfer("w1", "w2"))
      .thenRejects("WalletFrozen");
  });
  it("WalletClosed for a closed source or target", () => {
    expect(
      given(...twoWallets, open("w3"), close("w3"))
        .when(transfer("w3", "w1"))
        .thenRejects("WalletClosed").walletId,
    ).toBe("w3");
    expect(
      given(...twoWallets, close("w2"))
        .when(transfer("w1", "w2"))
        .thenRejects("WalletClosed").walletId,
    ).toBe("w2");
  });
  it("SameWallet", () => {
    expect(
      given(...twoWallets)
        .when(transfer("w1", "w1"))
        .thenRejects("SameWallet"),
    ).toEqual({ _tag: "SameWallet", walletId: "w1" });
  });
  it("checks the source's lifecycle before SameWallet, and SameWallet before funds", () => {
    given(...twoWallets, freeze("w1"))
      .when(transfer("w1", "w1"))
      .thenRejects("WalletFrozen");
    given(...twoWallets)
      .when(transfer("w1", "w1", usd("1000.00")))
      .thenRejects("SameWallet");
  });
  it("InsufficientFunds on the source", () => {
    expect(
      given(...twoWallets)
        .when(transfer("w1", "w2", usd("20.01")))
        .thenRejects("InsufficientFunds").walletId,
    ).toBe("w1");
  });
  it("AmountNotPositive and CurrencyUnknown before anything else", () => {
    given()
      .when(transfer("w1", "w1", negative))
      .thenRejects("AmountNotPositive");
    given()
      .when(transfer("w1", "w1", unknownCurrency))
      .thenRejects("CurrencyUnknown");
  });
});

/** Every command on one wallet: a wallet that does not exist, then one that is closed. */
const ON_ONE_WALLET: readonly [string, (walletId: string) => LedgerCommand][] = [
  ["FreezeWallet", freeze],
  ["UnfreezeWallet", unfreeze],
  ["CloseWallet (already closed)", close],
  ["SetOverdraftLimit", limit],
  ["DepositFunds", deposit],
  ["WithdrawFunds", withdraw],
];
describe.each(ON_ONE_WALLET)("%s", (_name, command) => {
  it("WalletNotFound, naming the wallet", () => {
    expect(given().when(command("w9")).thenRejects("WalletNotFound")).toEqual({
      _tag: "WalletNotFound",
      walletId: "w9",
    });
  });
  it("WalletClosed", () => {
    given(open("w1"), close("w1")).when(command("w1")).thenRejects("WalletClosed");
  });
});

describe("custom assets", () => {
  it("a currency unknown to ISO 4217 is refused unless the ledger's registry has it", () => {
    given(open("w1"))
      .when(deposit("w1", { currency: "POINTS", amount: 5n }))
      .thenRejects("CurrencyUnknown");
    const registry = new Map([["POINTS", { code: "POINTS", exponent: 0 }]]);
    givenWith({ registry }, open("w1"))
      .when(deposit("w1", { currency: "POINTS", amount: 5n }))
      .thenEvents();
  });
});
