import { describe, expect, it } from "vitest";
import { ledgerCommandCodec, type LedgerCommand } from "../commands/ledger-command.js";
import { ledgerEventCodec, type LedgerEvent } from "../events/ledger-event.js";
import { iso4217 } from "../money/index.js";
import { MICRO_DEPOSIT_ATTEMPTS_MAX } from "../state/funding-state.js";
import { currencyLegs, given, T0, type TimedCommand } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";
import { MILLISECONDS_PER_DAY } from "../time/timestamp.js";

const open = (walletId = "w1"): LedgerCommand => ({
  type: "OpenWallet",
  walletId,
  ownerId: `owner-${walletId}`,
});
const CARD_EXPIRES_AT = T0 + 30 * MILLISECONDS_PER_DAY;
const linkCard = (sourceId = "card1", walletId = "w1"): LedgerCommand => ({
  type: "LinkCard",
  sourceId,
  walletId,
  maskedNumber: "**** 4242",
  currency: "USD",
  expiresAt: CARD_EXPIRES_AT,
});
const linkBank = (sourceId = "bank1", walletId = "w1"): LedgerCommand => ({
  type: "LinkBankAccount",
  sourceId,
  walletId,
  maskedNumber: "**** 6789",
  currency: "USD",
});
const sendDeposits: LedgerCommand = {
  type: "SendMicroDeposits",
  sourceId: "bank1",
  amounts: [usd("0.32"), usd("0.45")],
};
const confirm = (first: string, second: string): LedgerCommand => ({
  type: "ConfirmMicroDeposits",
  sourceId: "bank1",
  amounts: [usd(first), usd(second)],
});
const topUp = (amount: string, sourceId = "card1", walletId = "w1"): LedgerCommand => ({
  type: "TopUpWallet",
  walletId,
  sourceId,
  amount: usd(amount),
});
const withdraw = (amount: string, sourceId = "bank1"): LedgerCommand => ({
  type: "WithdrawToFundingSource",
  walletId: "w1",
  sourceId,
  amount: usd(amount),
});
const verifiedCard: TimedCommand[] = [
  open(),
  linkCard(),
  { type: "VerifyCard", sourceId: "card1" },
];
const verifiedBank: TimedCommand[] = [open(), linkBank(), sendDeposits, confirm("0.45", "0.32")];

const postingsOf = (events: readonly LedgerEvent[]) => events.flatMap(currencyLegs);

describe("linking funding sources", () => {
  it("links a card unverified, with its kind, masked number, currency and expiry, and no money", () => {
    const [event] = given(open()).when(linkCard()).thenEvents();
    expect(event).toEqual({
      type: "FundingSourceLinked",
      sourceId: "card1",
      walletId: "w1",
      kind: "card",
      maskedNumber: "**** 4242",
      currency: "USD",
      expiresAt: CARD_EXPIRES_AT,
      postings: [],
    });
  });

  it("refuses a card that is already past its expiry", () => {
    given(open()).when(linkCard(), CARD_EXPIRES_AT).thenRejects("FundingSourceExpired");
  });

  it("refuses a second source with the same id, and a source for an unknown or closed wallet", () => {
    given(open(), linkCard()).when(linkBank("card1")).thenRejects("FundingSourceAlreadyExists");
    given().when(linkBank()).thenRejects("WalletNotFound");
    given(open(), { type: "CloseWallet", walletId: "w1" })
      .when(linkBank())
      .thenRejects("WalletClosed");
    given(open())
      .when({
        type: "LinkBankAccount",
        sourceId: "b",
        walletId: "w1",
        maskedNumber: "**** 1234",
        currency: "QQQ",
      })
      .thenRejects("CurrencyUnknown");
  });
});

describe("verifying funding sources", () => {
  it("verifies a card by the network's authorisation, not by micro-deposits", () => {
    expect(
      given(open(), linkCard()).when({ type: "VerifyCard", sourceId: "card1" }).thenEvents()[0],
    ).toMatchObject({ type: "FundingSourceVerified", method: "card-authorization" });
    given(open(), linkCard())
      .when({ type: "SendMicroDeposits", sourceId: "card1", amounts: [usd("0.01"), usd("0.02")] })
      .thenRejects("VerificationMethodMismatch");
    given(open(), linkBank())
      .when({ type: "VerifyCard", sourceId: "bank1" })
      .thenRejects("VerificationMethodMismatch");
  });

  it("does not verify a card that has expired since it was linked", () => {
    given(open(), linkCard())
      .when({ type: "VerifyCard", sourceId: "card1" }, CARD_EXPIRES_AT)
      .thenRejects("FundingSourceExpired");
  });

  it("verifies a bank account when the user confirms both micro-deposit amounts, in either order", () => {
    for (const [first, second] of [
      ["0.32", "0.45"],
      ["0.45", "0.32"],
    ] as const) {
      expect(
        given(open(), linkBank(), sendDeposits).when(confirm(first, second)).thenEvents()[0],
      ).toMatchObject({ type: "FundingSourceVerified", method: "micro-deposits" });
    }
  });

  it("records a wrong pair as a failed attempt, and refuses confirmation once the attempts are used", () => {
    const [failure] = given(open(), linkBank(), sendDeposits)
      .when(confirm("0.32", "0.54"))
      .thenEvents();
    expect(failure).toEqual({
      type: "MicroDepositsMismatched",
      sourceId: "bank1",
      attempt: 1,
      attemptsMax: MICRO_DEPOSIT_ATTEMPTS_MAX,
      postings: [],
    });
    const failures = Array.from({ length: MICRO_DEPOSIT_ATTEMPTS_MAX }, () =>
      confirm("0.01", "0.02"),
    );
    const rejection = given(open(), linkBank(), sendDeposits, ...failures)
      .when(confirm("0.32", "0.45"))
      .thenRejects("MicroDepositAttemptsExhausted");
    expect(rejection.attemptsMax).toBe(MICRO_DEPOSIT_ATTEMPTS_MAX);
  });

  it("verifies on the last allowed attempt", () => {
    const failures = Array.from({ length: MICRO_DEPOSIT_ATTEMPTS_MAX - 1 }, () =>
      confirm("0.01", "0.02"),
    );
    expect(
      given(open(), linkBank(), sendDeposits, ...failures)
        .when(confirm("0.32", "0.45"))
        .thenEvents()[0]?.type,
    ).toBe("FundingSourceVerified");
  });

  it("refuses confirmation before deposits are sent, deposits sent twice, and a second verification", () => {
    given(open(), linkBank()).when(confirm("0.32", "0.45")).thenRejects("MicroDepositsNotSent");
    given(open(), linkBank(), sendDeposits)
      .when(sendDeposits)
      .thenRejects("MicroDepositsAlreadySent");
    given(...verifiedBank)
      .when(confirm("0.32", "0.45"))
      .thenRejects("FundingSourceAlreadyVerified");
  });

  it("refuses micro-deposits in another currency than the account's", () => {
    given(open(), linkBank())
      .when({
        type: "SendMicroDeposits",
        sourceId: "bank1",
        amounts: [usd("0.01"), { currency: "EUR", amount: 2n }],
      })
      .thenRejects("CurrencyMismatch");
  });
});

describe("topping up and withdrawing through a funding source", () => {
  it("tops up through the clearing account of the source's kind", () => {
    const events = given(...verifiedCard)
      .when(topUp("50.00"))
      .thenEvents();
    expect(events[0]).toMatchObject({ type: "WalletToppedUp", sourceId: "card1", channel: "card" });
    expect(postingsOf(events)).toEqual([
      ["assets:clearing:card", "USD", 5000n],
      ["liabilities:wallets:w1:available", "USD", -5000n],
    ]);
  });

  it("withdraws to a verified bank account through the bank clearing account", () => {
    const events = given(...verifiedBank, topUpFromBank("80.00"))
      .when(withdraw("30.00"))
      .thenEvents();
    expect(postingsOf(events)).toEqual([
      ["liabilities:wallets:w1:available", "USD", 3000n],
      ["assets:clearing:bank", "USD", -3000n],
    ]);
  });

  it("refuses a top-up from an unverified source", () => {
    given(open(), linkCard()).when(topUp("10.00")).thenRejects("FundingSourceUnverified");
    given(open(), linkBank(), sendDeposits, confirm("0.01", "0.02"))
      .when(topUp("10.00", "bank1"))
      .thenRejects("FundingSourceUnverified");
  });

  it("refuses a top-up from a card past its expiry, judged at the command's time", () => {
    given(...verifiedCard)
      .when(topUp("10.00"), CARD_EXPIRES_AT - 1)
      .thenEvents();
    const rejection = given(...verifiedCard)
      .when(topUp("10.00"), CARD_EXPIRES_AT)
      .thenRejects("FundingSourceExpired");
    expect(rejection).toEqual({
      _tag: "FundingSourceExpired",
      sourceId: "card1",
      expiresAt: CARD_EXPIRES_AT,
      at: CARD_EXPIRES_AT,
    });
  });

  it("refuses a top-up from a removed source, and removing it twice", () => {
    const removed: LedgerCommand = { type: "RemoveFundingSource", sourceId: "card1" };
    given(...verifiedCard, removed)
      .when(topUp("10.00"))
      .thenRejects("FundingSourceRemoved");
    given(...verifiedCard, removed)
      .when(removed)
      .thenRejects("FundingSourceRemoved");
  });

  it("refuses a source of another wallet, an unknown source and another currency", () => {
    given(...verifiedCard, open("w2"))
      .when(topUp("10.00", "card1", "w2"))
      .thenRejects("FundingSourceNotOwned");
    given(open()).when(topUp("10.00", "nope")).thenRejects("FundingSourceNotFound");
    given(...verifiedCard)
      .when({
        type: "TopUpWallet",
        walletId: "w1",
        sourceId: "card1",
        amount: { currency: "EUR", amount: 100n },
      })
      .thenRejects("CurrencyMismatch");
  });

  it("refuses a withdrawal from a frozen wallet, an expired card, or beyond the funds", () => {
    given(...verifiedBank, topUpFromBank("10.00"), {
      type: "FreezeWallet",
      walletId: "w1",
      reason: "review",
    })
      .when(withdraw("1.00"))
      .thenRejects("WalletFrozen");
    given(...verifiedCard, topUp("10.00"))
      .when(withdraw("1.00", "card1"), CARD_EXPIRES_AT)
      .thenRejects("FundingSourceExpired");
    given(...verifiedBank, topUpFromBank("10.00"))
      .when(withdraw("10.01"))
      .thenRejects("InsufficientFunds");
  });

  it("accepts a top-up into a frozen wallet (money in is not a payment), and the old DepositFunds still works", () => {
    given(...verifiedCard, { type: "FreezeWallet", walletId: "w1", reason: "review" })
      .when(topUp("1.00"))
      .thenEvents();
    given(open())
      .when({ type: "DepositFunds", walletId: "w1", amount: usd("1.00"), channel: "card" })
      .thenEvents();
  });
});

function topUpFromBank(amount: string): LedgerCommand {
  return topUp(amount, "bank1");
}

describe("funding source codecs", () => {
  const codec = ledgerCommandCodec(iso4217);
  const link = (maskedNumber: string) => ({
    type: "LinkCard",
    sourceId: "card1",
    walletId: "w1",
    maskedNumber,
    currency: "USD",
    expiresAt: "2027-01-01T00:00:00.000Z",
  });

  it("accepts a masked number and refuses a full card number, so a PAN never reaches the stream", () => {
    expect(codec.decode(link("**** 4242"))._tag).toBe("Right");
    expect(codec.decode(link("4242424242424242"))._tag).toBe("Left");
    expect(codec.decode(link("4242 4242 4242 4242"))._tag).toBe("Left");
  });

  it("round-trips a linked card through the event codec, expiry included", () => {
    const [event] = given(open()).when(linkCard()).thenEvents();
    const eventCodec = ledgerEventCodec(iso4217);
    const decoded = eventCodec.decode(JSON.parse(JSON.stringify(eventCodec.encode(event!))));
    expect(decoded).toEqual({ _tag: "Right", right: event });
  });
});
