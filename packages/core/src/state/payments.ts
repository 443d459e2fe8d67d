/**
 * Which events are payments: money a wallet sends to someone else (a hold for a merchant, a
 * checkout, a transfer to another wallet). Limits, the velocity rule and strong
 * authentication apply to what a command's events do, not to which command it was, so a new
 * kind of payment is covered by naming its event here.
 *
 * Withdrawals and conversions are not payments (the money stays the wallet holder's); they
 * are still refused on a frozen wallet by the decisions themselves.
 */
import type { Money } from "../codec/money-codec.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import type { LedgerState } from "./ledger-state.js";
import { AssertionFailure } from "../assertion.js";

export interface PaymentFact {
  readonly walletId: string;
  /** What this event adds to the wallet's spending. */
  readonly money: Money;
  /** The whole transaction's amount so far (a hold with its increments). */
  readonly transactionTotal: bigint;
  /** False for an increment of an earlier payment. */
  readonly isNewPayment: boolean;
}

/** The payment an event makes, read against the state before the event is folded. */
export function paymentOf(state: LedgerState, event: LedgerEvent): PaymentFact | undefined {
  switch (event.type) {
    case "HoldPlaced":
      return {
        walletId: event.walletId,
        money: event.amount,
        transactionTotal: event.amount.amount,
        isNewPayment: true,
      };
    case "FundsTransferred":
      return {
        walletId: event.fromWalletId,
        money: event.amount,
        transactionTotal: event.amount.amount,
        isNewPayment: true,
      };
    case "CheckoutStarted": {
      // The wallet spends what it paid: the converted source amount, or the price less any discount.
      const paid = event.conversion?.source ?? {
        currency: event.amount.currency,
        amount: event.amount.amount - (event.promotion?.discount.amount ?? 0n),
      };
      return {
        walletId: event.walletId,
        money: paid,
        transactionTotal: paid.amount,
        isNewPayment: true,
      };
    }
    case "HoldIncreased": {
      const hold = state.holds.get(event.holdId);
      if (hold === undefined)
        throw new AssertionFailure(`increase of unknown hold ${event.holdId}`);
      return {
        walletId: hold.walletId,
        money: event.amount,
        transactionTotal: hold.authorized + event.amount.amount,
        isNewPayment: false,
      };
    }
    default:
      return undefined;
  }
}
