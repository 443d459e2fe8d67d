/**
 * What decisions about merchants, checkouts, escrow and disputes need to remember.
 *
 * An order does not copy its hold's totals: authorised, captured and returned live on the
 * hold (`state.holds.get(order.holdId)`), so there is one source for each figure. The order
 * adds where captured money went next: released to the merchant, refunded from escrow,
 * refunded from the merchant's balance. The escrow balance is what is left:
 *   escrow = captured − releasedGross − refundedFromEscrow
 * and, once the hold is closed and escrow is empty, every authorised unit is accounted for:
 *   releasedGross + refundedFromEscrow + returned = authorised.
 */
import type {
  DisputeOutcome,
  FeeRefundPolicy,
  PaymentInitiator,
} from "../codec/checkout-codecs.js";
import type { Money } from "../codec/money-codec.js";
import type { Account } from "../ledger/account.js";
import type { RoundingMode } from "../money/index.js";
import type { Timestamp } from "../time/timestamp.js";
import type { Hold } from "./ledger-state.js";

export interface FeeSchedule {
  readonly currency: string;
  readonly basisPoints: number;
  /** Charged once per order, on its first release. */
  readonly fixed: bigint;
  readonly rounding: RoundingMode;
  readonly refundFee: FeeRefundPolicy;
}

export interface Merchant {
  readonly id: string;
  readonly settlementCurrency: string;
  readonly account: Account;
  allowNegativeBalance: boolean;
  /** Per currency. */
  readonly feeSchedules: Map<string, FeeSchedule>;
}

export interface Agreement {
  readonly id: string;
  readonly walletId: string;
  readonly merchantId: string;
  readonly perPaymentCap: Money | undefined;
  readonly perDayCap: Money | undefined;
  revoked: boolean;
  /** UTC day (days since the epoch) of `usedOnDay`. */
  usageDay: number;
  /** Authorised under this agreement on `usageDay`. */
  usedOnDay: bigint;
}

export interface Order {
  readonly id: string;
  readonly walletId: string;
  readonly merchantId: string;
  readonly holdId: string;
  readonly currency: string;
  readonly initiatedBy: PaymentInitiator;
  readonly agreementId: string | undefined;
  readonly escrowAccount: Account;
  protectionEndsAt: Timestamp | undefined;
  /** Escrow paid out to the merchant, before fees. */
  releasedGross: bigint;
  releaseCount: number;
  refundedFromEscrow: bigint;
  refundedFromMerchant: bigint;
  feeCharged: bigint;
  feeReturned: bigint;
  /** The refund rule of the schedule that charged the fee (the latest release's). */
  feeRefund: FeeRefundPolicy;
  openDisputeId: string | undefined;
  /** The buyer confirmed receipt: buyer protection is over (no dispute, no capture into escrow). */
  receiptConfirmed: boolean;
  readonly refundIds: Set<string>;
}

export type DisputeStatus = "open" | `resolved-for-${DisputeOutcome}`;

export interface Dispute {
  readonly id: string;
  readonly orderId: string;
  readonly openedAt: Timestamp;
  status: DisputeStatus;
}

export const escrowBalanceOf = (order: Order, hold: Hold): bigint =>
  hold.captured - order.releasedGross - order.refundedFromEscrow;
export const orderRefunded = (order: Order): bigint =>
  order.refundedFromEscrow + order.refundedFromMerchant;
/** What may still be refunded: captured less everything refunded, on every path. */
export const orderRefundable = (order: Order, hold: Hold): bigint =>
  hold.captured - orderRefunded(order);
