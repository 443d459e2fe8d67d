/**
 * CSV of postings, one row per posting, for spreadsheets and SQL loaders (RFC 4180 quoting).
 * Amounts are signed decimals in the accounting convention (debit positive); every event's
 * rows sum to zero per currency.
 */
import { formatTimestamp, type RecordedEvent } from "@pacioli/core";
import { moneyText } from "../cli/money-text.js";

export const CSV_HEADER =
  "sequence,recorded_at,effective_at,event_type,command_id,idempotency_key,account,currency,amount";

const quote = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;

export function csvRows(recorded: RecordedEvent): string[] {
  const prefix = [
    String(recorded.sequence),
    formatTimestamp(recorded.recordedAt),
    recorded.effectiveAt === undefined ? "" : formatTimestamp(recorded.effectiveAt),
    recorded.event.type,
    quote(recorded.commandId),
    quote(recorded.idempotencyKey),
  ].join(",");
  return recorded.event.postings.map(
    (posting) =>
      `${prefix},${quote(posting.account)},${posting.currency},${moneyText(posting.amount, posting.currency)}`,
  );
}
