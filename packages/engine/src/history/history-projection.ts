/**
 * The history projection: every event's who/why/when and one line per account and currency it
 * posted to, with the account's running balance after it. Kept off the write path by a
 * checkpointed follower (`HistoryFollower`, ADR 0018): it folds durable events in sequence
 * order and moves its checkpoint in the same step, so it is always exactly the stream's
 * prefix up to the checkpoint, and rebuilt from the stream on demand.
 *
 * The SQLite store keeps it in tables of the ledger file (`EventStore.historyProjection`);
 * for stores without one (memory, EventStoreDB) the engine holds `MemoryHistoryProjection`,
 * built from the stream on first use after every start.
 */
import type { HistoryQuery, LedgerEventType, Metadata } from "@pacioli/core";
import type { ProjectedEvent } from "./projected-event.js";

/** One line: what an event did to one account in one currency. */
export interface AccountHistoryLine {
  readonly sequence: number;
  readonly recordedAt: number;
  readonly type: LedgerEventType;
  readonly account: string;
  readonly currency: string;
  /** Signed change (accounting sense: debit positive, credit negative). */
  readonly amount: bigint;
  /** The account's balance in this currency after the event (same sign convention). */
  readonly balance: bigint;
  readonly counterparty?: string;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor?: string;
  readonly metadata?: Metadata;
}

/**
 * A page of any account's lines is asked for as a wallet's is (core's `HistoryQuery`): a limit
 * (1 to `HISTORY_PAGE_LIMIT_MAX`), `before` a sequence (the previous page's `nextCursor`),
 * event types, a recorded-at range (epoch milliseconds, inclusive) and a currency.
 */
export type AccountHistoryQuery = HistoryQuery;

export interface AccountHistoryPage {
  /**
   * Newest first (sequence, then currency, both descending). A page never ends inside an
   * event: when the limit falls between two lines of one event, the event's other matching
   * lines are added, so a page may hold a few more lines than `limit`.
   */
  readonly lines: readonly AccountHistoryLine[];
  /** Pass as `before` for the next page; undefined when no older line matches. */
  readonly nextCursor: number | undefined;
}

/** Events found by what their command carried. */
export type EventLookup =
  | { readonly idempotencyKey: string }
  | { readonly commandId: string }
  | { readonly metadata: { readonly key: string; readonly value: string } };

export interface EventLookupQuery {
  readonly limit: number;
  /** Sequences strictly greater than this one (the previous page's `nextCursor`). */
  readonly after?: number;
}

export interface SequencePage {
  /** Oldest first. */
  readonly sequences: readonly number[];
  readonly nextCursor: number | undefined;
}

/** Everything the projection holds, in a canonical order: for tests and `rebuild --verify`. */
export interface HistoryContents {
  readonly checkpoint: number;
  readonly events: readonly Omit<ProjectedEvent, "postings">[];
  readonly lines: readonly AccountHistoryLine[];
}

export interface HistoryProjection {
  /** Sequence of the last event folded in (0: none). */
  checkpoint(): Promise<number>;
  /**
   * Folds events (consecutive sequences) and moves the checkpoint to the last one, all or
   * nothing. Events at or below the checkpoint are skipped (another follower got there
   * first); a gap after it is refused with an error.
   */
  apply(events: readonly ProjectedEvent[]): Promise<void>;
  /** Forgets everything (checkpoint 0), before a rebuild. */
  reset(): Promise<void>;
  page(account: string, query: AccountHistoryQuery): Promise<AccountHistoryPage>;
  /** Balance just after `sequence`; 0 before the account's first line. */
  balanceAtSequence(account: string, currency: string, sequence: number): Promise<bigint>;
  /** Sequence of the last event recorded at or before `at` (0: none). */
  sequenceAtTime(at: number): Promise<number>;
  find(lookup: EventLookup, query: EventLookupQuery): Promise<SequencePage>;
  contents(): Promise<HistoryContents>;
}

export const HISTORY_LOOKUP_LIMIT_MAX = 1000;
