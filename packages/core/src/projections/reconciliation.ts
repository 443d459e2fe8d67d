/**
 * Reconciliation of clearing accounts against a settlement file. The ledger side is what each
 * clearing account still has in flight, per reference: the sum of a reference's postings on
 * `assets:clearing:{channel}` (a payout and its return net to nothing), less what settlements
 * already cleared. The file side is one line per movement the processor or bank reports. They
 * match by channel, reference and currency; a match with another amount is a mismatch; what is
 * left on either side is unmatched. Pure: the CLI reads the stream and the file, and records
 * the matched lines as `RecordSettlement` commands.
 *
 * A reference is the payout id for `MerchantPaidOut` and `PayoutReturned`, and the recorded
 * idempotency key of the command for every other event that moves a clearing account.
 */
import type { RecordedEvent } from "../journal/recorded-event.js";

/** Signed minor units as the clearing account moves: + money owed to the platform, − owed out. */
export interface InFlight {
  readonly channel: string;
  readonly reference: string;
  readonly currency: string;
  readonly amount: bigint;
}

/** A settlement file's line: + money that reached the platform's bank, − money that left it. */
export interface SettlementLine extends InFlight {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
}

export interface Reconciliation {
  readonly matched: readonly SettlementLine[];
  readonly mismatched: readonly { readonly line: SettlementLine; readonly ledger: bigint }[];
  readonly unmatchedLines: readonly SettlementLine[];
  readonly unmatchedLedger: readonly InFlight[];
}

const CLEARING = "assets:clearing:";
const keyOf = (item: Omit<InFlight, "amount">): string =>
  `${item.channel}|${item.reference}|${item.currency}`;

/** What each clearing reference still has in flight after the events given, zeros dropped. */
export function inFlight(events: Iterable<RecordedEvent>): InFlight[] {
  const open = new Map<string, InFlight>();
  for (const recorded of events) {
    const event = recorded.event;
    const reference =
      event.type === "MerchantPaidOut" || event.type === "PayoutReturned"
        ? event.payoutId
        : event.type === "SettlementRecorded"
          ? event.reference
          : recorded.idempotencyKey;
    for (const posting of event.postings) {
      if (!posting.account.startsWith(CLEARING)) continue;
      const item = {
        channel: posting.account.slice(CLEARING.length),
        reference,
        currency: posting.currency,
      };
      const key = keyOf(item);
      open.set(key, { ...item, amount: (open.get(key)?.amount ?? 0n) + posting.amount });
    }
  }
  return [...open.values()].filter((item) => item.amount !== 0n);
}

export function reconcileClearing(
  ledger: readonly InFlight[],
  lines: readonly SettlementLine[],
): Reconciliation {
  const open = new Map(ledger.map((item) => [keyOf(item), item]));
  const matched: SettlementLine[] = [];
  const mismatched: { line: SettlementLine; ledger: bigint }[] = [];
  const unmatchedLines: SettlementLine[] = [];
  for (const line of lines) {
    const item = open.get(keyOf(line));
    if (item === undefined) unmatchedLines.push(line);
    else if (item.amount === line.amount) {
      matched.push(line);
      open.delete(keyOf(line));
    } else {
      mismatched.push({ line, ledger: item.amount });
      open.delete(keyOf(line));
    }
  }
  return { matched, mismatched, unmatchedLines, unmatchedLedger: [...open.values()] };
}
