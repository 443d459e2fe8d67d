/** Decisions about a wallet's lifecycle and its money in, out and across. */
import type { CommandOf } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import { clearingAccount, type Account } from "../ledger/account.js";
import type { Wallet } from "../state/ledger-state.js";
import { move, type Posting } from "../ledger/posting.js";
import { availableBalance, heldBalance, nonZeroCurrencies } from "../state/wallet-balances.js";
import { accepted, fact, rejected, type Decide, type Decision } from "./decision.js";
import {
  checkCreditable,
  checkDebitable,
  checkFunds,
  checkLimitMoney,
  checkMoney,
  findCreditableWallet,
  findDebitableWallet,
  findWallet,
  isRejection,
} from "./guards.js";

export const openWallet: Decide<"OpenWallet"> = (state, command) => {
  if (state.wallets.has(command.walletId))
    return rejected({ _tag: "WalletAlreadyExists", walletId: command.walletId });
  return fact({ type: "WalletOpened", walletId: command.walletId, ownerId: command.ownerId });
};

/** Only a wallet money may still leave can be frozen: a closed or frozen one is refused. */
export const freezeWallet: Decide<"FreezeWallet"> = (state, command) => {
  const wallet = findDebitableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  return fact({ type: "WalletFrozen", walletId: wallet.id, reason: command.reason });
};

export const unfreezeWallet: Decide<"UnfreezeWallet"> = (state, command) => {
  const wallet = findCreditableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  if (wallet.status !== "frozen") return rejected({ _tag: "WalletNotFrozen", walletId: wallet.id });
  return fact({ type: "WalletUnfrozen", walletId: wallet.id });
};

/** A wallet closes only at zero (nothing available, nothing held, in any currency) and with no open hold. */
export const closeWallet: Decide<"CloseWallet"> = (state, command) => {
  const wallet = findCreditableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const [currency] = nonZeroCurrencies(state, wallet);
  if (currency !== undefined) {
    return rejected({
      _tag: "WalletNotEmpty",
      walletId: wallet.id,
      currency,
      available: availableBalance(state, wallet, currency),
      held: heldBalance(state, wallet, currency),
    });
  }
  // An open hold with nothing left in it would still accept a release or capture later.
  if (wallet.openHolds > 0)
    return rejected({
      _tag: "WalletHasOpenHolds",
      walletId: wallet.id,
      openHolds: wallet.openHolds,
    });
  return fact({ type: "WalletClosed", walletId: wallet.id });
};

export const setOverdraftLimit: Decide<"SetOverdraftLimit"> = (state, command) => {
  const invalid = checkLimitMoney(state, command.limit);
  if (invalid !== undefined) return rejected(invalid);
  const wallet = findCreditableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  // The limit is an invariant, not only a gate: a wallet never owes more than its limit allows.
  const available = availableBalance(state, wallet, command.limit.currency);
  if (available < -command.limit.amount) {
    return rejected({
      _tag: "OverdraftLimitBelowDebt",
      walletId: wallet.id,
      currency: command.limit.currency,
      available,
      limit: command.limit.amount,
    });
  }
  return fact({ type: "OverdraftLimitSet", walletId: wallet.id, limit: command.limit });
};

/**
 * The legs of money between a wallet and a clearing account: `in` debits the clearing asset
 * and credits the wallet liability (the clearing asset grows, and so does what we owe the
 * wallet); `out` the reverse.
 */
export function clearingLegs(
  direction: "in" | "out",
  wallet: Wallet,
  clearing: Account,
  money: Money,
): Posting[] {
  return direction === "in"
    ? move(clearing, wallet.availableAccount, money.currency, money.amount)
    : move(wallet.availableAccount, clearing, money.currency, money.amount);
}

/** Money in from a channel, or out to it. */
function channelMoved(
  type: "FundsDeposited" | "FundsWithdrawn",
  wallet: Wallet,
  command: CommandOf<"DepositFunds" | "WithdrawFunds">,
): Decision {
  const direction = type === "FundsDeposited" ? "in" : "out";
  const { amount, channel } = command;
  return accepted({
    type,
    walletId: wallet.id,
    amount,
    channel,
    postings: clearingLegs(direction, wallet, clearingAccount(channel), amount),
  });
}

export const depositFunds: Decide<"DepositFunds"> = (state, command) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  const wallet = findCreditableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  return channelMoved("FundsDeposited", wallet, command);
};

export const withdrawFunds: Decide<"WithdrawFunds"> = (state, command) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  const wallet = findDebitableWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const insufficient = checkFunds(state, wallet, command.amount);
  if (insufficient !== undefined) return rejected(insufficient);
  return channelMoved("FundsWithdrawn", wallet, command);
};

export const transferFunds: Decide<"TransferFunds"> = (state, command) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  if (state.transferIds.has(command.transferId))
    return rejected({ _tag: "TransferAlreadyExists", transferId: command.transferId });
  const source = findWallet(state, command.fromWalletId);
  if (isRejection(source)) return rejected(source);
  const target = findWallet(state, command.toWalletId);
  if (isRejection(target)) return rejected(target);
  const blocked = checkDebitable(source) ?? checkCreditable(target);
  if (blocked !== undefined) return rejected(blocked);
  if (source.id === target.id) return rejected({ _tag: "SameWallet", walletId: source.id });
  const insufficient = checkFunds(state, source, command.amount);
  if (insufficient !== undefined) return rejected(insufficient);
  return accepted({
    type: "FundsTransferred",
    transferId: command.transferId,
    fromWalletId: source.id,
    toWalletId: target.id,
    amount: command.amount,
    postings: move(
      source.availableAccount,
      target.availableAccount,
      command.amount.currency,
      command.amount.amount,
    ),
  });
};
