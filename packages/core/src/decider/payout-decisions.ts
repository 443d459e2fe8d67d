/**
 * Merchant payouts. `PayOutMerchant` pays the merchant's whole balance in its schedule's
 * currency to its bank account, through `assets:clearing:bank`, in one balanced entry:
 *
 *   reserve = gross × reserveBasisPoints / 10 000, rounded with the schedule's mode
 *   net     = gross − reserve − fee            (refused below the minimum, or at zero)
 *
 * A balance a clawback left negative is paid from first: the gross is what the merchant is owed
 * after its debt, so the next payouts recover it. The reserve waits in
 * `liabilities:reserves:{merchant}` until `reserveReleasesAt` (due work), then returns to the
 * balance; a payout the bank returns puts its net back on the balance (the fee is kept, as the
 * bank's return costs the platform too).
 */
import { balanceOf } from "../ledger/balances.js";
import {
  clearingAccount,
  feeRevenueAccount,
  merchantReserveAccount,
  normalBalance,
} from "../ledger/account.js";
import { move } from "../ledger/posting.js";
import { basisPointsOf } from "../money/index.js";
import type { Rejection } from "../rejections/rejection.js";
import type { Merchant } from "../state/checkout-state.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Payout } from "../state/payout-state.js";
import { MILLISECONDS_PER_DAY } from "../time/timestamp.js";
import { findMerchant } from "./checkout-guards.js";
import { accepted, fact, rejected, type Decide } from "./decision.js";
import { checkCurrency, isRejection } from "./guards.js";

/** Where payouts leave for the bank and returns come back. */
export const PAYOUT_CLEARING = clearingAccount("bank");
export const PAYOUT_FEE_REVENUE = feeRevenueAccount("payout");

export const setPayoutSchedule: Decide<"SetPayoutSchedule"> = (state, command) => {
  const { bankAccountId, fee, minimum, reserveBasisPoints, reserveDays, rounding } = command;
  if (!state.registry.has(fee.currency))
    return rejected({ _tag: "CurrencyUnknown", currency: fee.currency });
  const mismatch = checkCurrency(fee.currency, minimum.currency);
  if (mismatch !== undefined) return rejected(mismatch);
  const merchant = findMerchant(state, command.merchantId);
  if (isRejection(merchant)) return rejected(merchant);
  return fact({
    type: "PayoutScheduleSet",
    merchantId: merchant.id,
    bankAccountId,
    fee,
    minimum,
    reserveBasisPoints,
    reserveDays,
    rounding,
  });
};

export const payOutMerchant: Decide<"PayOutMerchant"> = (state, command, at) => {
  if (state.payouts.has(command.payoutId))
    return rejected({ _tag: "PayoutAlreadyExists", payoutId: command.payoutId });
  const merchant = findMerchant(state, command.merchantId);
  if (isRejection(merchant)) return rejected(merchant);
  const schedule = state.payoutSchedules.get(merchant.id);
  if (schedule === undefined)
    return rejected({ _tag: "PayoutScheduleNotSet", merchantId: merchant.id });
  const currency = schedule.currency;
  const gross = normalBalance(
    merchant.account,
    balanceOf(state.balances, merchant.account, currency),
  );
  const reserve =
    gross > 0n ? basisPointsOf(gross, BigInt(schedule.reserveBasisPoints), schedule.rounding) : 0n;
  const net = gross - reserve - schedule.fee;
  if (net <= 0n || net < schedule.minimum)
    return rejected({
      _tag: "PayoutBelowMinimum",
      merchantId: merchant.id,
      currency,
      balance: gross,
      net,
      minimum: schedule.minimum,
    });
  const reserveAccount = merchantReserveAccount(merchant.id);
  return accepted({
    type: "MerchantPaidOut",
    payoutId: command.payoutId,
    merchantId: merchant.id,
    bankAccountId: schedule.bankAccountId,
    gross: { currency, amount: gross },
    reserve: { currency, amount: reserve },
    fee: { currency, amount: schedule.fee },
    net: { currency, amount: net },
    reserveReleasesAt: at + schedule.reserveDays * MILLISECONDS_PER_DAY,
    postings: [
      ...(reserve > 0n ? move(merchant.account, reserveAccount, currency, reserve) : []),
      ...(schedule.fee > 0n
        ? move(merchant.account, PAYOUT_FEE_REVENUE, currency, schedule.fee)
        : []),
      ...move(merchant.account, PAYOUT_CLEARING, currency, net),
    ],
  });
};

/**
 * A payout with the merchant it paid (a payout's merchant is never removed, so only a payout
 * that does not exist is refused in practice).
 */
function findPayout(
  state: LedgerState,
  payoutId: string,
): { payout: Payout; merchant: Merchant } | Rejection {
  const payout = state.payouts.get(payoutId);
  if (payout === undefined) return { _tag: "PayoutNotFound", payoutId };
  const merchant = findMerchant(state, payout.merchantId);
  return isRejection(merchant) ? merchant : { payout, merchant };
}

export const releasePayoutReserve: Decide<"ReleasePayoutReserve"> = (state, command, at) => {
  const found = findPayout(state, command.payoutId);
  if (isRejection(found)) return rejected(found);
  const { payout, merchant } = found;
  if (payout.reserveReleased)
    return rejected({ _tag: "PayoutReserveNotHeld", payoutId: payout.id });
  if (at < payout.reserveReleasesAt)
    return rejected({
      _tag: "PayoutReserveHeld",
      payoutId: payout.id,
      reserveReleasesAt: payout.reserveReleasesAt,
      at,
    });
  return accepted({
    type: "PayoutReserveReleased",
    payoutId: payout.id,
    merchantId: merchant.id,
    amount: { currency: payout.currency, amount: payout.reserve },
    postings: move(
      merchantReserveAccount(merchant.id),
      merchant.account,
      payout.currency,
      payout.reserve,
    ),
  });
};

export const returnPayout: Decide<"ReturnPayout"> = (state, command) => {
  const found = findPayout(state, command.payoutId);
  if (isRejection(found)) return rejected(found);
  const { payout, merchant } = found;
  if (payout.returned) return rejected({ _tag: "PayoutAlreadyReturned", payoutId: payout.id });
  return accepted({
    type: "PayoutReturned",
    payoutId: payout.id,
    merchantId: merchant.id,
    amount: { currency: payout.currency, amount: payout.net },
    reason: command.reason,
    postings: move(PAYOUT_CLEARING, merchant.account, payout.currency, payout.net),
  });
};
