/**
 * Operator adjustments: a correction entered as a balanced manual entry, never an edit.
 * One operator proposes it with a reason (nothing moves); another approves it, and only then
 * are its postings recorded (the two-person rule: the approver must differ from the
 * proposer, and both are named in the event). A posted adjustment is undone by its reversal,
 * which posts the exact negation, referring to it by id.
 *
 * An adjustment may touch a wallet's available account (an open or frozen wallet, within its
 * funds and overdraft limit), a merchant's balance (within what its settings allow) and any
 * asset, income, expense or equity account. Accounts that mirror an entity's state — held
 * funds, escrow, reserves — are refused: they move only through their own commands, or the
 * invariants that tie them to holds, orders and payouts would break.
 */
import { accountType, merchantAccount, type Account } from "../ledger/account.js";
import { balanceOf } from "../ledger/balances.js";
import type { Posting } from "../ledger/posting.js";
import type { Rejection } from "../rejections/rejection.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Adjustment } from "../state/payout-state.js";
import type { EventOf } from "../events/ledger-event.js";
import {
  accepted,
  fact,
  rejected,
  type Decide,
  type Decision,
  type WithoutPostings,
} from "./decision.js";
import { checkCreditable, checkFunds, findWallet, isRejection } from "./guards.js";

const WALLET_AVAILABLE = /^liabilities:wallets:([^:]+):available$/;
const MERCHANT_BALANCE = /^liabilities:merchants:([^:]+)$/;

export const proposeAdjustment: Decide<"ProposeAdjustment"> = (state, command) => {
  const { adjustmentId, proposedBy, reason, postings: lines } = command;
  if (state.adjustments.has(adjustmentId))
    return rejected({ _tag: "AdjustmentAlreadyExists", adjustmentId });
  const invalid = checkLines(state, adjustmentId, lines);
  if (invalid !== undefined) return rejected(invalid);
  return fact({ type: "AdjustmentProposed", adjustmentId, proposedBy, reason, lines });
};

/** The adjustment a step acts on, in the status that step needs (proposed, or posted). */
function findAdjustment(
  state: LedgerState,
  adjustmentId: string,
  status: "proposed" | "posted",
): Adjustment | Rejection {
  const adjustment = state.adjustments.get(adjustmentId);
  if (adjustment === undefined) return { _tag: "AdjustmentNotFound", adjustmentId };
  if (adjustment.status === status) return adjustment;
  const _tag = status === "proposed" ? "AdjustmentNotProposed" : "AdjustmentNotPosted";
  return { _tag, adjustmentId: adjustment.id, status: adjustment.status };
}

export const approveAdjustment: Decide<"ApproveAdjustment"> = (state, command) => {
  const adjustment = findAdjustment(state, command.adjustmentId, "proposed");
  if (isRejection(adjustment)) return rejected(adjustment);
  if (command.approvedBy === adjustment.proposedBy)
    return rejected({
      _tag: "ApproverIsProposer",
      adjustmentId: adjustment.id,
      operator: command.approvedBy,
    });
  return postLines(state, adjustment.lines, {
    type: "AdjustmentPosted",
    adjustmentId: adjustment.id,
    proposedBy: adjustment.proposedBy,
    approvedBy: command.approvedBy,
    reason: adjustment.reason,
  });
};

export const reverseAdjustment: Decide<"ReverseAdjustment"> = (state, command) => {
  const adjustment = findAdjustment(state, command.adjustmentId, "posted");
  if (isRejection(adjustment)) return rejected(adjustment);
  return postLines(state, adjustment.lines.map(negated), {
    type: "AdjustmentReversed",
    adjustmentId: adjustment.id,
    reversedBy: command.reversedBy,
    reason: command.reason,
  });
};

const negated = (posting: Posting): Posting => ({ ...posting, amount: -posting.amount });

/**
 * Approval posts the proposal's lines, reversal their negation; the world may have moved
 * since, so either way the lines are judged again against the ledger as it is now.
 */
function postLines(
  state: LedgerState,
  lines: readonly Posting[],
  event: WithoutPostings<EventOf<"AdjustmentPosted"> | EventOf<"AdjustmentReversed">>,
): Decision {
  const blocked = checkLines(state, event.adjustmentId, lines);
  if (blocked !== undefined) return rejected(blocked);
  return accepted({ ...event, postings: [...lines] });
}

/** Shape, balance, accounts allowed, then funds: the rules an adjustment's lines must keep. */
function checkLines(
  state: LedgerState,
  adjustmentId: string,
  lines: readonly Posting[],
): Rejection | undefined {
  if (lines.length === 0) return { _tag: "AdjustmentEmpty", adjustmentId };
  const sums = new Map<string, bigint>();
  for (const line of lines) {
    if (!state.registry.has(line.currency))
      return { _tag: "CurrencyUnknown", currency: line.currency };
    sums.set(line.currency, (sums.get(line.currency) ?? 0n) + line.amount);
  }
  for (const [currency, sum] of sums)
    if (sum !== 0n) return { _tag: "AdjustmentUnbalanced", currency, sum };
  for (const line of lines) {
    const refused = checkAccount(state, line.account);
    if (refused !== undefined) return refused;
  }
  return checkDebits(state, lines);
}

function checkAccount(state: LedgerState, account: Account): Rejection | undefined {
  if (accountType(account) !== "liabilities") return undefined;
  const walletId = WALLET_AVAILABLE.exec(account)?.[1];
  if (walletId !== undefined) {
    const wallet = findWallet(state, walletId);
    return isRejection(wallet) ? wallet : checkCreditable(wallet);
  }
  const merchantId = MERCHANT_BALANCE.exec(account)?.[1];
  if (merchantId !== undefined)
    return state.merchants.has(merchantId) ? undefined : { _tag: "MerchantNotFound", merchantId };
  return { _tag: "AdjustmentAccountNotAllowed", account };
}

/** Net debits to wallets and merchants stay within what each may owe. */
function checkDebits(state: LedgerState, lines: readonly Posting[]): Rejection | undefined {
  const net = new Map<string, Posting>();
  for (const line of lines) {
    const key = `${line.account} ${line.currency}`;
    const sofar = net.get(key)?.amount ?? 0n;
    net.set(key, { ...line, amount: sofar + line.amount });
  }
  for (const { account, currency, amount } of net.values()) {
    if (amount <= 0n) continue; // a credit: money reaching the holder
    const walletId = WALLET_AVAILABLE.exec(account)?.[1];
    const wallet = walletId === undefined ? undefined : state.wallets.get(walletId);
    if (wallet !== undefined) {
      const short = checkFunds(state, wallet, { currency, amount });
      if (short !== undefined) return short;
    }
    const merchantId = MERCHANT_BALANCE.exec(account)?.[1];
    const merchant = merchantId === undefined ? undefined : state.merchants.get(merchantId);
    if (merchant !== undefined && !merchant.allowNegativeBalance) {
      const balance = -balanceOf(state.balances, merchantAccount(merchant.id), currency);
      if (balance - amount < 0n)
        return {
          _tag: "MerchantBalanceInsufficient",
          merchantId: merchant.id,
          currency,
          balance,
          requested: amount,
        };
    }
  }
  return undefined;
}
