/**
 * Decisions about funding sources and the money that moves through them.
 *
 * A top-up debits the clearing account of the source's kind (the card network or bank now
 * owes the platform) and credits the wallet; a withdrawal does the reverse. Both are refused
 * unless the source belongs to the wallet, is verified, not removed and, for a card, not
 * expired at the command's time. Rule order: existence, ownership, lifecycle (removed,
 * unverified, expired), consistency (currency), then the wallet and its funds.
 */
import type { CommandOf } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import { clearingAccount } from "../ledger/account.js";
import type { Rejection } from "../rejections/rejection.js";
import { MICRO_DEPOSIT_ATTEMPTS_MAX, type FundingSource } from "../state/funding-state.js";
import type { LedgerState, Wallet } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";
import { clearingLegs } from "./wallet-decisions.js";
import { accepted, fact, rejected, type Decide, type Decision } from "./decision.js";
import {
  checkCreditable,
  checkCurrency,
  checkDebitable,
  checkFunds,
  checkMoney,
  findCreditableWallet,
  findWallet,
  isRejection,
} from "./guards.js";

function findSource(state: LedgerState, sourceId: string): FundingSource | Rejection {
  return state.fundingSources.get(sourceId) ?? { _tag: "FundingSourceNotFound", sourceId };
}

/** A source that is linked and not removed, for verification steps. */
function findLinkedSource(state: LedgerState, sourceId: string): FundingSource | Rejection {
  const source = findSource(state, sourceId);
  if (isRejection(source)) return source;
  return source.status === "removed" ? { _tag: "FundingSourceRemoved", sourceId } : source;
}

const checkExpiry = (source: FundingSource, at: Timestamp): Rejection | undefined =>
  source.expiresAt !== undefined && at >= source.expiresAt
    ? { _tag: "FundingSourceExpired", sourceId: source.id, expiresAt: source.expiresAt, at }
    : undefined;

/** Whether `source` may move `money` for `walletId` at `at`: the rule every transfer through it obeys. */
function checkUsable(
  source: FundingSource,
  walletId: string,
  money: Money,
  at: Timestamp,
): Rejection | undefined {
  if (source.walletId !== walletId)
    return { _tag: "FundingSourceNotOwned", sourceId: source.id, walletId };
  if (source.status === "removed") return { _tag: "FundingSourceRemoved", sourceId: source.id };
  if (source.status === "unverified")
    return { _tag: "FundingSourceUnverified", sourceId: source.id };
  return checkExpiry(source, at) ?? checkCurrency(source.currency, money.currency);
}

function checkLinkable(
  state: LedgerState,
  sourceId: string,
  walletId: string,
  currency: string,
): Rejection | undefined {
  if (!state.registry.has(currency)) return { _tag: "CurrencyUnknown", currency };
  if (state.fundingSources.has(sourceId)) return { _tag: "FundingSourceAlreadyExists", sourceId };
  const wallet = findCreditableWallet(state, walletId);
  return isRejection(wallet) ? wallet : undefined;
}

/** A card already past its expiry is refused at link time: it could never fund anything. */
export const linkCard: Decide<"LinkCard"> = (state, command, at) => {
  const blocked =
    checkLinkable(state, command.sourceId, command.walletId, command.currency) ??
    (at >= command.expiresAt
      ? ({
          _tag: "FundingSourceExpired",
          sourceId: command.sourceId,
          expiresAt: command.expiresAt,
          at,
        } as const)
      : undefined);
  if (blocked !== undefined) return rejected(blocked);
  const { sourceId, walletId, maskedNumber, currency, expiresAt } = command;
  return fact({
    type: "FundingSourceLinked",
    sourceId,
    walletId,
    kind: "card",
    maskedNumber,
    currency,
    expiresAt,
  });
};

export const linkBankAccount: Decide<"LinkBankAccount"> = (state, command) => {
  const blocked = checkLinkable(state, command.sourceId, command.walletId, command.currency);
  if (blocked !== undefined) return rejected(blocked);
  const { sourceId, walletId, maskedNumber, currency } = command;
  return fact({
    type: "FundingSourceLinked",
    sourceId,
    walletId,
    kind: "bank",
    maskedNumber,
    currency,
  });
};

function checkUnverified(
  source: FundingSource,
  kind: FundingSource["kind"],
): Rejection | undefined {
  if (source.kind !== kind)
    return { _tag: "VerificationMethodMismatch", sourceId: source.id, kind: source.kind };
  return source.status === "verified"
    ? { _tag: "FundingSourceAlreadyVerified", sourceId: source.id }
    : undefined;
}

/** A linked source of `kind` not verified yet: what every verification step acts on. */
function findSourceToVerify(
  state: LedgerState,
  sourceId: string,
  kind: FundingSource["kind"],
): FundingSource | Rejection {
  const source = findLinkedSource(state, sourceId);
  return isRejection(source) ? source : (checkUnverified(source, kind) ?? source);
}

export const verifyCard: Decide<"VerifyCard"> = (state, command, at) => {
  const source = findSourceToVerify(state, command.sourceId, "card");
  if (isRejection(source)) return rejected(source);
  const expired = checkExpiry(source, at);
  if (expired !== undefined) return rejected(expired);
  return fact({ type: "FundingSourceVerified", sourceId: source.id, method: "card-authorization" });
};

function checkMicroDepositAmounts(
  state: LedgerState,
  source: FundingSource,
  amounts: readonly [Money, Money],
): Rejection | undefined {
  for (const money of amounts) {
    const invalid = checkMoney(state, money) ?? checkCurrency(source.currency, money.currency);
    if (invalid !== undefined) return invalid;
  }
  return undefined;
}

/** Sent once per link: sending again would reset the attempt bound the user is held to. */
export const sendMicroDeposits: Decide<"SendMicroDeposits"> = (state, command) => {
  const source = findSourceToVerify(state, command.sourceId, "bank");
  if (isRejection(source)) return rejected(source);
  const blocked =
    (source.microDeposits === undefined
      ? undefined
      : ({ _tag: "MicroDepositsAlreadySent", sourceId: source.id } as const)) ??
    checkMicroDepositAmounts(state, source, command.amounts);
  if (blocked !== undefined) return rejected(blocked);
  return fact({ type: "MicroDepositsSent", sourceId: source.id, amounts: command.amounts });
};

/** The two amounts match in either order. */
function sameAmounts(sent: readonly [bigint, bigint], confirmed: readonly [Money, Money]): boolean {
  const [first, second] = [confirmed[0].amount, confirmed[1].amount];
  return (sent[0] === first && sent[1] === second) || (sent[0] === second && sent[1] === first);
}

/**
 * A wrong pair is not a rejection but a recorded attempt (`MicroDepositsMismatched`): a
 * rejection changes nothing, and the attempt bound must hold across retries and replays.
 */
export const confirmMicroDeposits: Decide<"ConfirmMicroDeposits"> = (state, command) => {
  const source = findSourceToVerify(state, command.sourceId, "bank");
  if (isRejection(source)) return rejected(source);
  const blocked =
    (source.microDeposits === undefined
      ? ({ _tag: "MicroDepositsNotSent", sourceId: source.id } as const)
      : undefined) ??
    (source.failedAttempts >= MICRO_DEPOSIT_ATTEMPTS_MAX
      ? ({
          _tag: "MicroDepositAttemptsExhausted",
          sourceId: source.id,
          attemptsMax: MICRO_DEPOSIT_ATTEMPTS_MAX,
        } as const)
      : undefined) ??
    checkMicroDepositAmounts(state, source, command.amounts);
  if (blocked !== undefined) return rejected(blocked);
  if (source.microDeposits !== undefined && sameAmounts(source.microDeposits, command.amounts)) {
    return fact({ type: "FundingSourceVerified", sourceId: source.id, method: "micro-deposits" });
  }
  return fact({
    type: "MicroDepositsMismatched",
    sourceId: source.id,
    attempt: source.failedAttempts + 1,
    attemptsMax: MICRO_DEPOSIT_ATTEMPTS_MAX,
  });
};

export const removeFundingSource: Decide<"RemoveFundingSource"> = (state, command) => {
  const source = findLinkedSource(state, command.sourceId);
  if (isRejection(source)) return rejected(source);
  return fact({ type: "FundingSourceRemoved", sourceId: source.id });
};

/** The source and wallet of money moved through a source, each rule they obey checked. */
function findSourceTransfer(
  state: LedgerState,
  command: CommandOf<"TopUpWallet" | "WithdrawToFundingSource">,
  at: Timestamp,
): { source: FundingSource; wallet: Wallet } | Rejection {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return invalid;
  const source = findSource(state, command.sourceId);
  if (isRejection(source)) return source;
  const wallet = findWallet(state, command.walletId);
  if (isRejection(wallet)) return wallet;
  return checkUsable(source, wallet.id, command.amount, at) ?? { source, wallet };
}

/** The event of money moved through a source: in from its clearing account, or out to it. */
function sourceTransferred(
  type: "WalletToppedUp" | "WithdrawnToFundingSource",
  { source, wallet }: { source: FundingSource; wallet: Wallet },
  amount: Money,
): Decision {
  const direction = type === "WalletToppedUp" ? "in" : "out";
  return accepted({
    type,
    walletId: wallet.id,
    sourceId: source.id,
    channel: source.kind,
    amount,
    postings: clearingLegs(direction, wallet, clearingAccount(source.kind), amount),
  });
}

/** Money in from a source: the clearing asset of its kind grows, and so does what we owe the wallet. */
export const topUpWallet: Decide<"TopUpWallet"> = (state, command, at) => {
  const found = findSourceTransfer(state, command, at);
  if (isRejection(found)) return rejected(found);
  const closed = checkCreditable(found.wallet);
  if (closed !== undefined) return rejected(closed);
  return sourceTransferred("WalletToppedUp", found, command.amount);
};

/** Money out to a source; refused on a frozen wallet like any withdrawal. */
export const withdrawToFundingSource: Decide<"WithdrawToFundingSource"> = (state, command, at) => {
  const found = findSourceTransfer(state, command, at);
  if (isRejection(found)) return rejected(found);
  const blocked = checkDebitable(found.wallet) ?? checkFunds(state, found.wallet, command.amount);
  if (blocked !== undefined) return rejected(blocked);
  return sourceTransferred("WithdrawnToFundingSource", found, command.amount);
};
