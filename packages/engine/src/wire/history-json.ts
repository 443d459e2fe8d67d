/**
 * History lines and balances as JSON: the one wire format of every history surface (the
 * CLI's `history --json` for a wallet or any account, the HTTP API's wallet and account
 * history), so a line carries the same fields wherever it is read. Amounts are decimal
 * strings in the currency's exponent, times ISO-8601 UTC; a field the command did not carry
 * (actor, metadata) or a line without another side (counterparty) is `null`, never absent,
 * so every line has the same keys. docs/reference/history-queries.md ("Wire format") lists
 * them, and a test fails when the list and these functions differ.
 */
import {
  formatAmount,
  formatTimestamp,
  lookupCurrency,
  AssertionFailure,
  type CurrencyRegistry,
  type Metadata,
} from "@pacioli/core";
import type { AccountHistoryLine } from "../history/history-projection.js";
import type { WalletHistoryLine } from "../history/wallet-history-view.js";

/** What the command that caused a line carried, and the other side of the entry. */
export interface LineOriginJson {
  readonly counterparty: string | null;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor: string | null;
  readonly metadata: Metadata | null;
}

export interface WalletHistoryLineJson extends LineOriginJson {
  readonly sequence: number;
  readonly recordedAt: string;
  readonly type: string;
  readonly currency: string;
  readonly availableChange: string;
  readonly heldChange: string;
  readonly available: string;
  readonly held: string;
}

export interface AccountHistoryLineJson extends LineOriginJson {
  readonly sequence: number;
  readonly recordedAt: string;
  readonly type: string;
  readonly account: string;
  readonly currency: string;
  /** Signed as the ledger signs it: debit positive, credit negative. */
  readonly amount: string;
  readonly balance: string;
}

/** A wallet's line in the holder's sense (+ means more money for the holder). */
export function walletHistoryLineJson(
  registry: CurrencyRegistry,
  line: WalletHistoryLine,
): WalletHistoryLineJson {
  const money = (amount: bigint) => amountText(registry, amount, line.currency);
  return {
    sequence: line.sequence,
    recordedAt: formatTimestamp(line.recordedAt),
    type: line.type,
    currency: line.currency,
    availableChange: money(line.availableChange),
    heldChange: money(line.heldChange),
    available: money(line.available),
    held: money(line.held),
    ...originJson(line),
  };
}

/** Any account's line, signed as the ledger signs it. */
export function accountHistoryLineJson(
  registry: CurrencyRegistry,
  line: AccountHistoryLine,
): AccountHistoryLineJson {
  return {
    sequence: line.sequence,
    recordedAt: formatTimestamp(line.recordedAt),
    type: line.type,
    account: line.account,
    currency: line.currency,
    amount: amountText(registry, line.amount, line.currency),
    balance: amountText(registry, line.balance, line.currency),
    ...originJson(line),
  };
}

function originJson(line: {
  readonly counterparty?: string;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor?: string;
  readonly metadata?: Metadata;
}): LineOriginJson {
  return {
    counterparty: line.counterparty ?? null,
    commandId: line.commandId,
    idempotencyKey: line.idempotencyKey,
    actor: line.actor ?? null,
    metadata: line.metadata ?? null,
  };
}

/** Minor units as the decimal text of the currency ("12.30", "-5.000", "1000"). */
export function amountText(registry: CurrencyRegistry, amount: bigint, currency: string): string {
  const found = lookupCurrency(registry, currency);
  if (found._tag === "Left")
    throw new AssertionFailure(`${currency} is in the ledger but not in its registry`);
  return formatAmount(amount, found.right);
}
