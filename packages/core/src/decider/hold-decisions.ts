/**
 * Decisions about holds. A hold moves money from a wallet's available account to its held
 * account; a capture moves held money to the payee; a release or expiry moves it back;
 * a refund moves captured money from the payee back to the wallet.
 */
import { escrowAccount, merchantAccount } from "../ledger/account.js";
import { move, type Posting } from "../ledger/posting.js";
import type { Rejection } from "../rejections/rejection.js";
import { holdRemaining, type Hold, type LedgerState, type Wallet } from "../state/ledger-state.js";
import type { Money } from "../codec/money-codec.js";
import type { Timestamp } from "../time/timestamp.js";
import { accepted, rejected, type Decide, type Decision } from "./decision.js";
import {
  checkCreditable,
  checkCurrency,
  checkFunds,
  checkMoney,
  findCreditableWallet,
  findDebitableWallet,
  findWallet,
  isRejection,
} from "./guards.js";
import { AssertionFailure } from "../assertion.js";

function findOpenHold(state: LedgerState, holdId: string): Hold | Rejection {
  const hold = state.holds.get(holdId);
  if (hold === undefined) return { _tag: "HoldNotFound", holdId };
  if (hold.status !== "open") return { _tag: "HoldNotOpen", holdId, status: hold.status };
  return hold;
}

/** The open hold an increase or capture of `money` acts on: the money's shape first, then the hold. */
function findOpenHoldFor(state: LedgerState, holdId: string, money: Money): Hold | Rejection {
  return checkMoney(state, money) ?? findOpenHold(state, holdId);
}

function checkNotExpired(
  hold: { id: string; expiresAt: Timestamp },
  at: Timestamp,
): Rejection | undefined {
  return at >= hold.expiresAt
    ? { _tag: "HoldExpired", holdId: hold.id, expiresAt: hold.expiresAt, at }
    : undefined;
}

/** After the buyer confirmed receipt, nothing more is captured into the order's escrow. */
function checkReceiptNotConfirmed(state: LedgerState, hold: Hold): Rejection | undefined {
  if (hold.orderId === undefined) return undefined;
  return state.orders.get(hold.orderId)?.receiptConfirmed === true
    ? { _tag: "ReceiptAlreadyConfirmed", orderId: hold.orderId }
    : undefined;
}

/** The legs of money put on hold: from the wallet's available account to its held account. */
export const holdLegs = (wallet: Wallet, currency: string, amount: bigint): Posting[] =>
  move(wallet.availableAccount, wallet.heldAccount, currency, amount);

/** The wallet of a hold: a hold is only ever placed on a wallet that exists. */
function walletOf(state: LedgerState, hold: Hold): Wallet {
  const wallet = state.wallets.get(hold.walletId);
  if (wallet === undefined)
    throw new AssertionFailure(`hold ${hold.id} on unknown wallet ${hold.walletId}`);
  return wallet;
}

/** Postings that return a hold's remainder to the wallet (none when nothing remains). */
function returnRemainder(state: LedgerState, hold: Hold, remainder: bigint): Posting[] {
  if (remainder === 0n) return [];
  const wallet = walletOf(state, hold);
  return move(wallet.heldAccount, wallet.availableAccount, hold.currency, remainder);
}

/** A release or an expiry: all that remains of the hold goes back to the wallet's available. */
function remainderReturned(
  state: LedgerState,
  hold: Hold,
  type: "HoldReleased" | "HoldExpired",
): Decision {
  const remaining = holdRemaining(hold);
  return accepted({
    type,
    holdId: hold.id,
    released: { currency: hold.currency, amount: remaining },
    postings: returnRemainder(state, hold, remaining),
  });
}

export const placeHold: Decide<"PlaceHold"> = (state, command, at) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  if (state.holds.has(command.holdId))
    return rejected({ _tag: "HoldAlreadyExists", holdId: command.holdId });
  const wallet = findDebitableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const blocked =
    checkNotExpired({ id: command.holdId, expiresAt: command.expiresAt }, at) ??
    checkFunds(state, wallet, command.amount);
  if (blocked !== undefined) return rejected(blocked);
  return accepted({
    type: "HoldPlaced",
    holdId: command.holdId,
    walletId: wallet.id,
    merchantId: command.merchantId,
    amount: command.amount,
    expiresAt: command.expiresAt,
    postings: holdLegs(wallet, command.amount.currency, command.amount.amount),
  });
};

/** A hold grows only before its first capture (an incremental authorisation). */
export const increaseHold: Decide<"IncreaseHold"> = (state, command, at) => {
  const hold = findOpenHoldFor(state, command.holdId, command.amount);
  if (isRejection(hold)) return rejected(hold);
  const wallet = findDebitableWallet(state, hold.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const blocked =
    checkNotExpired(hold, at) ??
    checkCurrency(hold.currency, command.amount.currency) ??
    (hold.captured > 0n
      ? ({ _tag: "HoldAlreadyCaptured", holdId: hold.id, captured: hold.captured } as const)
      : undefined) ??
    checkFunds(state, wallet, command.amount);
  if (blocked !== undefined) return rejected(blocked);
  return accepted({
    type: "HoldIncreased",
    holdId: hold.id,
    amount: command.amount,
    postings: holdLegs(wallet, hold.currency, command.amount.amount),
  });
};

export const captureHold: Decide<"CaptureHold"> = (state, command, at) => {
  const hold = findOpenHoldFor(state, command.holdId, command.amount);
  if (isRejection(hold)) return rejected(hold);
  const remaining = holdRemaining(hold);
  const blocked =
    checkReceiptNotConfirmed(state, hold) ??
    checkNotExpired(hold, at) ??
    checkCurrency(hold.currency, command.amount.currency) ??
    (command.amount.amount > remaining
      ? ({
          _tag: "CaptureExceedsHold",
          holdId: hold.id,
          remaining,
          requested: command.amount.amount,
        } as const)
      : undefined);
  if (blocked !== undefined) return rejected(blocked);
  const wallet = walletOf(state, hold);
  const remainder = command.final ? remaining - command.amount.amount : 0n;
  return accepted({
    type: "HoldCaptured",
    holdId: hold.id,
    amount: command.amount,
    final: command.final,
    released: { currency: hold.currency, amount: remainder },
    postings: [
      // A checkout's hold pays into its order's escrow; a direct hold pays the merchant.
      ...move(
        wallet.heldAccount,
        hold.orderId === undefined ? merchantAccount(hold.merchantId) : escrowAccount(hold.orderId),
        hold.currency,
        command.amount.amount,
      ),
      ...returnRemainder(state, hold, remainder),
    ],
  });
};

export const releaseHold: Decide<"ReleaseHold"> = (state, command) => {
  const hold = findOpenHold(state, command.holdId);
  if (isRejection(hold)) return rejected(hold);
  // A closed wallet accepts nothing. CloseWallet refuses while a hold is open, so only a
  // stream recorded before that rule can have an open hold on a closed wallet.
  const wallet = findCreditableWallet(state, hold.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  return remainderReturned(state, hold, "HoldReleased");
};

/** Expiry is decided against the command's time: the deadline was fixed when the hold was placed. */
export const expireHold: Decide<"ExpireHold"> = (state, command, at) => {
  const hold = findOpenHold(state, command.holdId);
  if (isRejection(hold)) return rejected(hold);
  if (at < hold.expiresAt)
    return rejected({ _tag: "HoldNotExpired", holdId: hold.id, expiresAt: hold.expiresAt, at });
  return remainderReturned(state, hold, "HoldExpired");
};

/** Refunds give captured money back, partially or in several steps, never more than captured. */
export const refundCapture: Decide<"RefundCapture"> = (state, command) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  const hold = state.holds.get(command.holdId);
  if (hold === undefined) return rejected({ _tag: "HoldNotFound", holdId: command.holdId });
  const wallet = findWallet(state, hold.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const refundable = hold.captured - hold.refunded;
  const blocked =
    // An order's money is refunded through its order, which knows what escrow and fees hold.
    (hold.orderId !== undefined
      ? ({ _tag: "HoldBelongsToOrder", holdId: hold.id, orderId: hold.orderId } as const)
      : undefined) ??
    checkCreditable(wallet) ??
    (hold.refundIds?.has(command.refundId) === true
      ? ({ _tag: "RefundAlreadyIssued", refundId: command.refundId } as const)
      : undefined) ??
    checkCurrency(hold.currency, command.amount.currency) ??
    (command.amount.amount > refundable
      ? ({
          _tag: "RefundExceedsCaptured",
          holdId: hold.id,
          refundable,
          requested: command.amount.amount,
        } as const)
      : undefined);
  if (blocked !== undefined) return rejected(blocked);
  return accepted({
    type: "RefundIssued",
    refundId: command.refundId,
    holdId: hold.id,
    amount: command.amount,
    postings: move(
      merchantAccount(hold.merchantId),
      wallet.availableAccount,
      hold.currency,
      command.amount.amount,
    ),
  });
};
