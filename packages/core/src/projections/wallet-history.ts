/**
 * Wallet history: every entry that touched a wallet, with the wallet's running available and
 * held balances after it, per currency. Lines are kept in sequence order per wallet, so a
 * page (newest first, from a cursor) and a balance "as of" a sequence or time are binary
 * searches, never a replay.
 */
import type { RecordedEvent } from "../journal/recorded-event.js";
import { walletOfAccount } from "../ledger/account.js";
import type { LedgerEventType } from "../events/ledger-event.js";
import type { Timestamp } from "../time/timestamp.js";

export interface HistoryLine {
  readonly sequence: number;
  readonly recordedAt: Timestamp;
  readonly type: LedgerEventType;
  readonly currency: string;
  /** Change of the wallet's available and held balances (holder's sense: + means more). */
  readonly availableChange: bigint;
  readonly heldChange: bigint;
  /** Balances after this entry. */
  readonly available: bigint;
  readonly held: bigint;
}

export interface HistoryQuery {
  readonly limit: number;
  /** Return lines strictly older than this sequence (the `nextCursor` of the previous page). */
  readonly before?: number;
  readonly types?: readonly LedgerEventType[];
  readonly from?: Timestamp;
  readonly to?: Timestamp;
  readonly currency?: string;
}

export interface HistoryPage {
  readonly lines: readonly HistoryLine[];
  /** Pass as `before` for the next page; undefined at the end. */
  readonly nextCursor: number | undefined;
}

export const HISTORY_PAGE_LIMIT_MAX = 1000;

interface WalletLines {
  readonly lines: HistoryLine[];
  readonly current: Map<string, { available: bigint; held: bigint }>;
}

export class WalletHistory {
  private readonly wallets = new Map<string, WalletLines>();

  apply(recorded: RecordedEvent): void {
    const changes = walletChanges(recorded);
    if (changes === undefined) return;
    for (const change of changes) {
      const wallet = this.linesOf(change.walletId);
      const current = wallet.current.get(change.currency) ?? { available: 0n, held: 0n };
      const next = {
        available: current.available + change.available,
        held: current.held + change.held,
      };
      wallet.current.set(change.currency, next);
      wallet.lines.push({
        sequence: recorded.sequence,
        recordedAt: recorded.recordedAt,
        type: recorded.event.type,
        currency: change.currency,
        availableChange: change.available,
        heldChange: change.held,
        available: next.available,
        held: next.held,
      });
    }
  }

  page(walletId: string, query: HistoryQuery): HistoryPage {
    const lines = this.wallets.get(walletId)?.lines ?? [];
    const limit = Math.max(1, Math.min(query.limit, HISTORY_PAGE_LIMIT_MAX));
    const found: HistoryLine[] = [];
    let index = query.before === undefined ? lines.length - 1 : lastIndexBelow(lines, query.before);
    for (; index >= 0 && found.length < limit; index -= 1) {
      const line = lines[index] as HistoryLine;
      if (query.from !== undefined && line.recordedAt < query.from) break; // older lines only get older
      if (matches(line, query)) found.push(line);
    }
    const last = found[found.length - 1];
    const more = index >= 0 && last !== undefined && found.length === limit;
    return { lines: found, nextCursor: more ? last.sequence : undefined };
  }

  /** Available and held balance of a wallet in a currency just after `sequence` was applied. */
  balanceAtSequence(walletId: string, currency: string, sequence: number): HistoryBalance {
    const lines = this.wallets.get(walletId)?.lines ?? [];
    return latestBalance(lines, lastIndexBelow(lines, sequence + 1), currency, () => true);
  }

  /** Balance at the end of the given instant (every entry recorded at or before it). */
  balanceAtTime(walletId: string, currency: string, at: Timestamp): HistoryBalance {
    const lines = this.wallets.get(walletId)?.lines ?? [];
    return latestBalance(lines, lines.length - 1, currency, (line) => line.recordedAt <= at);
  }

  private linesOf(walletId: string): WalletLines {
    let wallet = this.wallets.get(walletId);
    if (wallet === undefined) {
      wallet = { lines: [], current: new Map() };
      this.wallets.set(walletId, wallet);
    }
    return wallet;
  }
}

function matches(line: HistoryLine, query: HistoryQuery): boolean {
  if (query.to !== undefined && line.recordedAt > query.to) return false;
  if (query.types !== undefined && !query.types.includes(line.type)) return false;
  if (query.currency !== undefined && line.currency !== query.currency) return false;
  return true;
}

/** Index of the last line with sequence < bound, or -1. */
export interface HistoryBalance {
  available: bigint;
  held: bigint;
}

/** The balance the latest line in `currency` left, searching back from `index` among `counted` lines. */
function latestBalance(
  lines: readonly HistoryLine[],
  index: number,
  currency: string,
  counted: (line: HistoryLine) => boolean,
): HistoryBalance {
  for (; index >= 0; index -= 1) {
    const line = lines[index] as HistoryLine;
    if (line.currency === currency && counted(line))
      return { available: line.available, held: line.held };
  }
  return { available: 0n, held: 0n };
}

function lastIndexBelow(lines: readonly HistoryLine[], bound: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((lines[middle] as HistoryLine).sequence < bound) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

interface WalletChange {
  readonly walletId: string;
  readonly currency: string;
  available: bigint;
  held: bigint;
}

/**
 * Per wallet and currency, how an event changed available and held (holder's sense). A
 * short list searched linearly: an entry has a handful of postings, and this runs on every
 * event, where a Map and composite string keys cost more than the search.
 */
function walletChanges(recorded: RecordedEvent): WalletChange[] | undefined {
  const postings = recorded.event.postings;
  let changes: WalletChange[] | undefined;
  for (const posting of postings) {
    const walletId = walletOfAccount(posting.account);
    if (walletId === undefined) continue;
    changes ??= [];
    let change = changes.find(
      (candidate) => candidate.walletId === walletId && candidate.currency === posting.currency,
    );
    if (change === undefined) {
      change = { walletId, currency: posting.currency, available: 0n, held: 0n };
      changes.push(change);
    }
    // Wallet accounts are liabilities: a credit (negative) is more for the holder.
    if (posting.account.endsWith(":available")) change.available -= posting.amount;
    else change.held -= posting.amount;
  }
  return changes;
}
