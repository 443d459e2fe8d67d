/**
 * A wallet's history as its holder reads it (available and held, + meaning more), made from
 * the projection's lines of the wallet's two accounts: each page merges one page of each,
 * so it costs two indexed range reads and, for an event that touched only one of the two
 * accounts, one indexed lookup of the other's balance.
 */
import {
  walletAvailableAccount,
  walletHeldAccount,
  type HistoryLine,
  type HistoryQuery,
  type Metadata,
} from "@pacioli/core";
import type {
  AccountHistoryLine,
  AccountHistoryPage,
  HistoryProjection,
} from "./history-projection.js";
import { pageLimit } from "./history-query.js";
import { compareText } from "./memory-history-projection.js";

/** A wallet history line, with the command that caused it and the other side of the entry. */
export interface WalletHistoryLine extends HistoryLine {
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor?: string;
  readonly metadata?: Metadata;
  /** The counterparty of the available line (of the held line when only it moved). */
  readonly counterparty?: string;
}

export interface WalletHistoryPage {
  readonly lines: readonly WalletHistoryLine[];
  readonly nextCursor: number | undefined;
}

export async function walletHistoryPage(
  projection: HistoryProjection,
  walletId: string,
  query: HistoryQuery,
): Promise<WalletHistoryPage> {
  const accounts = [walletAvailableAccount(walletId), walletHeldAccount(walletId)] as const;
  const limit = pageLimit(query.limit);
  // Each account's page ends on an event boundary, so the merged lines down to the higher of
  // the two pages' last sequences are complete; below it one side may have more to say.
  const pages = await Promise.all(
    accounts.map((account) => projection.page(account, { ...query, limit })),
  );
  const floor = Math.max(
    ...pages.map((page) =>
      page.nextCursor === undefined ? 0 : (page.lines.at(-1)?.sequence ?? 0),
    ),
  );
  const merged = pages
    .flatMap((page) => page.lines)
    .filter((line) => line.sequence >= floor)
    .sort((a, b) => b.sequence - a.sequence || compareText(b.currency, a.currency));
  const groups = groupByEntry(merged);
  // Never cut between two currencies of one event: the cursor is a sequence.
  let end = Math.min(limit, groups.length);
  while (end < groups.length && groups[end]?.[0]?.sequence === groups[end - 1]?.[0]?.sequence)
    end += 1;
  const kept = groups.slice(0, end);
  const balanceOf = balanceResolver(projection, accounts, pages, query);
  const lines = await Promise.all(kept.map((group) => walletLine(balanceOf, accounts, group)));
  const more = groups.length > end || pages.some((page) => page.nextCursor !== undefined);
  return { lines, nextCursor: more ? lines.at(-1)?.sequence : undefined };
}

/** Available and held of a wallet in a currency just after `sequence` (holder's sense). */
export async function walletBalanceAtSequence(
  projection: HistoryProjection,
  walletId: string,
  currency: string,
  sequence: number,
): Promise<{ available: bigint; held: bigint }> {
  const [available, held] = await Promise.all([
    projection.balanceAtSequence(walletAvailableAccount(walletId), currency, sequence),
    projection.balanceAtSequence(walletHeldAccount(walletId), currency, sequence),
  ]);
  return { available: -available, held: -held };
}

/** Lines of one event in one currency (one per account that moved). */
function groupByEntry(lines: readonly AccountHistoryLine[]): AccountHistoryLine[][] {
  const groups: AccountHistoryLine[][] = [];
  for (const line of lines) {
    const last = groups[groups.length - 1];
    const head = last?.[0];
    if (head !== undefined && head.sequence === line.sequence && head.currency === line.currency)
      last?.push(line);
    else groups.push([line]);
  }
  return groups;
}

type BalanceOf = (account: string, currency: string, sequence: number) => Promise<bigint>;

/**
 * The balance of one of the wallet's accounts just after `sequence`, for an event that did
 * not touch it. Without a type or `from` filter, the account's page holds every line of it
 * from the page's end up, so the latest of them at or below `sequence` is the answer; only
 * below the page's end is the projection asked, once per account and currency. With such a
 * filter (the page skips lines) every answer is looked up.
 */
function balanceResolver(
  projection: HistoryProjection,
  accounts: readonly string[],
  pages: readonly AccountHistoryPage[],
  query: HistoryQuery,
): BalanceOf {
  const complete = query.types === undefined && query.from === undefined;
  const below = new Map<string, Promise<bigint>>();
  return async (account, currency, sequence) => {
    const page = pages[accounts.indexOf(account)];
    if (!complete || page === undefined)
      return projection.balanceAtSequence(account, currency, sequence);
    const line = page.lines.find(
      (candidate) => candidate.currency === currency && candidate.sequence <= sequence,
    );
    if (line !== undefined) return line.balance;
    const end = page.lines.at(-1)?.sequence;
    if (page.nextCursor === undefined || end === undefined) return 0n;
    const key = `${account}\u0000${currency}`;
    let found = below.get(key);
    if (found === undefined) {
      found = projection.balanceAtSequence(account, currency, end - 1);
      below.set(key, found);
    }
    return found;
  };
}

async function walletLine(
  balanceOfAccount: BalanceOf,
  [availableAccount, heldAccount]: readonly [string, string],
  group: readonly AccountHistoryLine[],
): Promise<WalletHistoryLine> {
  const head = group[0] as AccountHistoryLine;
  const available = group.find((line) => line.account === availableAccount);
  const held = group.find((line) => line.account === heldAccount);
  const balanceOf = async (line: AccountHistoryLine | undefined, account: string) =>
    line?.balance ?? (await balanceOfAccount(account, head.currency, head.sequence));
  const counterparty = (available ?? held)?.counterparty;
  return {
    sequence: head.sequence,
    recordedAt: head.recordedAt,
    type: head.type,
    currency: head.currency,
    availableChange: -(available?.amount ?? 0n),
    heldChange: -(held?.amount ?? 0n),
    available: -(await balanceOf(available, availableAccount)),
    held: -(await balanceOf(held, heldAccount)),
    commandId: head.commandId,
    idempotencyKey: head.idempotencyKey,
    ...(head.actor === undefined ? {} : { actor: head.actor }),
    ...(head.metadata === undefined ? {} : { metadata: head.metadata }),
    ...(counterparty === undefined ? {} : { counterparty }),
  };
}
