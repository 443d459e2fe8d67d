/**
 * Merchant balance transactions, in the shape of Stripe's: every change of a merchant's
 * balance as one line with its gross amount, fee lines and net (net = gross − fees, and net
 * is exactly what the merchant's account moved by in that event, in the holder's sense).
 *
 * - `EscrowReleased`: gross is the escrow paid out, fee lines are the event's own
 *   (percentage, fixed), net what reached the merchant.
 * - `OrderRefunded` from the merchant's balance: gross is minus the refunded part, the fee
 *   line is minus the fee returned, net the balance change.
 * - Any other event that moves a merchant account (a direct hold's capture or refund, ...):
 *   gross = net, no fee lines; anything it books to `income:fees:*` shows as fee lines.
 * Each line is checked on the way in: its net must equal the merchant's posted change.
 */
import type { RecordedEvent } from "../journal/recorded-event.js";
import type { LedgerEvent, LedgerEventType } from "../events/ledger-event.js";
import type { Timestamp } from "../time/timestamp.js";
import { AssertionFailure } from "../assertion.js";

export interface FeeDetail {
  /** `percentage` / `fixed` for checkout fees, `refund` for a fee given back, else the revenue kind. */
  readonly kind: string;
  /** Positive when the merchant pays it, negative when it is given back. */
  readonly amount: bigint;
}

export interface BalanceTransaction {
  readonly sequence: number;
  readonly recordedAt: Timestamp;
  readonly merchantId: string;
  readonly type: LedgerEventType;
  /** The order or hold the line belongs to, when there is one. */
  readonly source: string | undefined;
  readonly currency: string;
  readonly gross: bigint;
  readonly fees: readonly FeeDetail[];
  readonly net: bigint;
}

const MERCHANT_PREFIX = "liabilities:merchants:";
const FEE_PREFIX = "income:fees:";

export class MerchantBalanceTransactions {
  private readonly byMerchant = new Map<string, BalanceTransaction[]>();

  apply(recorded: RecordedEvent): void {
    for (const [key, net] of merchantChanges(recorded.event)) {
      const [merchantId, currency] = splitKey(key);
      const { gross, fees } = grossAndFees(recorded.event, net);
      const line: BalanceTransaction = {
        sequence: recorded.sequence,
        recordedAt: recorded.recordedAt,
        merchantId,
        type: recorded.event.type,
        source: sourceOf(recorded.event),
        currency,
        gross,
        fees,
        net,
      };
      assertLine(line);
      let lines = this.byMerchant.get(merchantId);
      if (lines === undefined) this.byMerchant.set(merchantId, (lines = []));
      lines.push(line);
    }
  }

  /** Lines of a merchant, oldest first. */
  of(merchantId: string): readonly BalanceTransaction[] {
    return this.byMerchant.get(merchantId) ?? [];
  }
}

function grossAndFees(event: LedgerEvent, net: bigint): { gross: bigint; fees: FeeDetail[] } {
  if (event.type === "EscrowReleased")
    return {
      gross: event.gross.amount,
      fees: event.fees.map((line) => ({ kind: line.kind, amount: line.amount.amount })),
    };
  if (event.type === "OrderRefunded") {
    const returned = event.feeReturned.amount;
    return {
      gross: -event.fromMerchant.amount,
      fees: returned === 0n ? [] : [{ kind: "refund", amount: -returned }],
    };
  }
  const fees = revenueLines(event);
  return { gross: net + fees.reduce((sum, fee) => sum + fee.amount, 0n), fees };
}

/** Fees booked by an event: credits to `income:fees:{kind}` are fees paid (positive). */
function revenueLines(event: LedgerEvent): FeeDetail[] {
  const fees: FeeDetail[] = [];
  for (const posting of event.postings) {
    if (posting.account.startsWith(FEE_PREFIX))
      fees.push({ kind: posting.account.slice(FEE_PREFIX.length), amount: -posting.amount });
  }
  return fees;
}

/** Per merchant and currency, how the event changed the balance as the merchant reads it. */
function merchantChanges(event: LedgerEvent): Map<string, bigint> {
  const changes = new Map<string, bigint>();
  for (const posting of event.postings) {
    if (!posting.account.startsWith(MERCHANT_PREFIX)) continue;
    const key = `${posting.account.slice(MERCHANT_PREFIX.length)}|${posting.currency}`;
    // Merchant accounts are liabilities: a credit (negative) is more for the merchant.
    changes.set(key, (changes.get(key) ?? 0n) - posting.amount);
  }
  return changes;
}

function sourceOf(event: LedgerEvent): string | undefined {
  if ("orderId" in event) return event.orderId;
  if ("holdId" in event) return event.holdId;
  return undefined;
}

function assertLine(line: BalanceTransaction): void {
  const fees = line.fees.reduce((sum, fee) => sum + fee.amount, 0n);
  if (line.gross - fees !== line.net)
    throw new AssertionFailure(
      `balance transaction ${line.sequence} gross ${line.gross} − fees ${fees} ≠ net ${line.net}`,
    );
}

const splitKey = (key: string): [string, string] => {
  const at = key.lastIndexOf("|");
  return [key.slice(0, at), key.slice(at + 1)];
};
