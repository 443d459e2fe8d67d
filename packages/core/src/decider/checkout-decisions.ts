/**
 * Checkout: the buyer's wallet pays for an order by a hold in the merchant's settlement
 * currency. The hold belongs to the order, so `CaptureHold` on it moves captured money into
 * the order's escrow (`liabilities:escrow:{order}`) instead of to the merchant; partial and
 * multiple captures, the final capture's release of the remainder and expiry at the deadline
 * are the ordinary hold rules.
 *
 * A merchant-initiated checkout (a charge under an agreement) needs an active agreement
 * between this wallet and this merchant, within its caps; a buyer-initiated one does not.
 *
 * Extension points, kept as separate functions on purpose: `checkAuthorisation` (who may
 * start the payment) and `checkoutPostings` (the money legs of the checkout). Cross-currency
 * checkout and promotions add their legs in `checkoutPostings` (or a sibling that calls it),
 * so the rules above stay untouched.
 */
import type { CommandOf } from "../commands/ledger-command.js";
import type { Money } from "../codec/money-codec.js";
import type { EventOf } from "../events/ledger-event.js";
import { type Posting } from "../ledger/posting.js";
import type { Rejection } from "../rejections/rejection.js";
import type { Merchant } from "../state/checkout-state.js";
import type { LedgerState, Wallet } from "../state/ledger-state.js";
import { utcDay, type Timestamp } from "../time/timestamp.js";
import { findWalletAndMerchant } from "./checkout-guards.js";
import { holdLegs } from "./hold-decisions.js";
import { accepted, rejected, type Decide } from "./decision.js";
import { checkDebitable, checkMoney, isRejection } from "./guards.js";
import {
  checkoutFundingFields,
  fundCheckout,
  fundedCheckoutPostings,
  type CheckoutFunding,
} from "./checkout-funding.js";

type CheckoutCommand = CommandOf<"Checkout">;

export const checkout: Decide<"Checkout"> = (state, command, at) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  if (state.orders.has(command.orderId))
    return rejected({ _tag: "OrderAlreadyExists", orderId: command.orderId });
  if (state.holds.has(command.holdId))
    return rejected({ _tag: "HoldAlreadyExists", holdId: command.holdId });
  const parties = findWalletAndMerchant(state, command.walletId, command.merchantId);
  if (isRejection(parties)) return rejected(parties);
  const { wallet, merchant } = parties;
  const blocked =
    checkDebitable(wallet) ??
    checkAuthorisation(state, command, at) ??
    (at >= command.expiresAt
      ? ({ _tag: "HoldExpired", holdId: command.holdId, expiresAt: command.expiresAt, at } as const)
      : undefined) ??
    checkSettlementCurrency(merchant, command.amount);
  if (blocked !== undefined) return rejected(blocked);
  const funding = fundCheckout(state, wallet, command, at);
  if (isRejection(funding)) return rejected(funding);
  return accepted(checkoutStarted(wallet, command, funding));
};

/** Same-currency checkout only, until FX conversion hooks in here. */
function checkSettlementCurrency(merchant: Merchant, amount: Money): Rejection | undefined {
  return amount.currency === merchant.settlementCurrency
    ? undefined
    : { _tag: "CurrencyMismatch", expected: merchant.settlementCurrency, actual: amount.currency };
}

/**
 * Who may start this payment. Buyers always may; a merchant needs the wallet's active
 * agreement, and the payment must fit its caps (per payment, and per UTC day of `at`,
 * counting what was authorised under the agreement that day).
 */
export function checkAuthorisation(
  state: LedgerState,
  command: CheckoutCommand,
  at: Timestamp,
): Rejection | undefined {
  if (command.initiatedBy === "buyer") return undefined;
  const agreement =
    command.agreementId === undefined ? undefined : state.agreements.get(command.agreementId);
  if (
    agreement === undefined ||
    agreement.walletId !== command.walletId ||
    agreement.merchantId !== command.merchantId
  ) {
    return {
      _tag: "MerchantNotAuthorized",
      walletId: command.walletId,
      merchantId: command.merchantId,
      agreementId: command.agreementId,
    };
  }
  if (agreement.revoked) return { _tag: "AgreementRevoked", agreementId: agreement.id };
  const { amount } = command;
  const perPayment = agreement.perPaymentCap;
  if (perPayment !== undefined) {
    if (perPayment.currency !== amount.currency)
      return { _tag: "CurrencyMismatch", expected: perPayment.currency, actual: amount.currency };
    if (amount.amount > perPayment.amount)
      return {
        _tag: "PaymentCapExceeded",
        agreementId: agreement.id,
        cap: perPayment.amount,
        requested: amount.amount,
      };
  }
  const perDay = agreement.perDayCap;
  if (perDay !== undefined) {
    if (perDay.currency !== amount.currency)
      return { _tag: "CurrencyMismatch", expected: perDay.currency, actual: amount.currency };
    const usedToday = agreement.usageDay === utcDay(at) ? agreement.usedOnDay : 0n;
    if (usedToday + amount.amount > perDay.amount)
      return {
        _tag: "DailyCapExceeded",
        agreementId: agreement.id,
        cap: perDay.amount,
        usedToday,
        requested: amount.amount,
      };
  }
  return undefined;
}

/** The money legs of a checkout: the order amount moves from the wallet's available to its held account. */
export function checkoutPostings(wallet: Wallet, amount: Money): Posting[] {
  return holdLegs(wallet, amount.currency, amount.amount);
}

function checkoutStarted(
  wallet: Wallet,
  command: CheckoutCommand,
  funding: CheckoutFunding,
): EventOf<"CheckoutStarted"> {
  const merchantInitiated = command.initiatedBy === "merchant" && command.agreementId !== undefined;
  return {
    type: "CheckoutStarted",
    orderId: command.orderId,
    holdId: command.holdId,
    walletId: wallet.id,
    merchantId: command.merchantId,
    amount: command.amount,
    expiresAt: command.expiresAt,
    initiatedBy: command.initiatedBy,
    ...(merchantInitiated ? { agreementId: command.agreementId } : {}),
    ...checkoutFundingFields(command.amount, funding),
    postings: fundedCheckoutPostings(wallet, command.amount, funding),
  };
}
