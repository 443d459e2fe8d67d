/**
 * The query side of a ledger: history of any account or wallet, balances as of a sequence or
 * a time, events found by idempotency key, command id or metadata, all read from the history
 * projection (ADR 0018). The writer only hands durable batches to the follower.
 *
 * Read-your-writes: by default a query first waits until the projection holds every event
 * this ledger has acknowledged; `atLeast` asks for another position (a sequence from an
 * ack, perhaps another process's: the projection then reads the store up to it), and
 * `atLeast: 0` reads what is projected now without waiting.
 */
import type { CurrencyRegistry, HistoryQuery, RecordedEvent } from "@pacioli/core";
import { decodeEntry } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";
import { HistoryFollower } from "./history-follower.js";
import {
  HISTORY_LOOKUP_LIMIT_MAX,
  type AccountHistoryPage,
  type AccountHistoryQuery,
  type EventLookup,
  type EventLookupQuery,
  type HistoryProjection,
} from "./history-projection.js";
import { MemoryHistoryProjection } from "./memory-history-projection.js";
import {
  walletBalanceAtSequence,
  walletHistoryPage,
  type WalletHistoryPage,
} from "./wallet-history-view.js";

export interface ReadConsistency {
  /** Wait until the projection holds this sequence (default: every acknowledged event). */
  readonly atLeast?: number;
}

export type BalancePoint = ({ readonly sequence: number } | { readonly at: number }) &
  ReadConsistency;

export interface FoundEvents {
  /** Oldest first. */
  readonly events: readonly RecordedEvent[];
  /** Pass as `after` for the next page; undefined at the end. */
  readonly nextCursor: number | undefined;
}

export class LedgerHistory {
  private readonly follower: HistoryFollower;
  /** Sequence of the last event known durable (acknowledged, or loaded at start). */
  private durable = 0;

  constructor(
    private readonly store: EventStore,
    private readonly stream: string,
    private readonly registry: () => CurrencyRegistry,
    onWarning?: (message: string) => void,
  ) {
    const projection: HistoryProjection =
      store.historyProjection?.(stream) ?? new MemoryHistoryProjection();
    this.follower = new HistoryFollower(projection, store, stream, registry, onWarning);
  }

  get projection(): HistoryProjection {
    return this.follower.projection;
  }

  /** The stream was read up to `sequence` (a start or a reload): all of it is durable. */
  loaded(sequence: number): void {
    this.durable = Math.max(this.durable, sequence);
  }

  /** A batch is durable: handed to the follower, folded in the background. */
  committed(events: readonly RecordedEvent[]): void {
    const last = events[events.length - 1];
    if (last !== undefined) this.durable = Math.max(this.durable, last.sequence);
    this.follower.follow(events);
  }

  /** Waits until the projection holds `atLeast` (default: every acknowledged event). */
  reach(consistency: ReadConsistency = {}): Promise<number> {
    return this.follower.reach(consistency.atLeast ?? this.durable);
  }

  async walletHistory(
    walletId: string,
    query: HistoryQuery & ReadConsistency,
  ): Promise<WalletHistoryPage> {
    await this.reach(query);
    return walletHistoryPage(this.projection, walletId, query);
  }

  async walletBalanceAsOf(walletId: string, currency: string, point: BalancePoint) {
    await this.reach(point);
    return walletBalanceAtSequence(
      this.projection,
      walletId,
      currency,
      await this.sequenceOf(point),
    );
  }

  async accountHistory(
    account: string,
    query: AccountHistoryQuery & ReadConsistency,
  ): Promise<AccountHistoryPage> {
    await this.reach(query);
    return this.projection.page(account, query);
  }

  /** Signed balance (debit positive) of any account just after a sequence, or at a time. */
  async accountBalanceAsOf(
    account: string,
    currency: string,
    point: BalancePoint,
  ): Promise<bigint> {
    await this.reach(point);
    return this.projection.balanceAtSequence(account, currency, await this.sequenceOf(point));
  }

  async findEvents(
    lookup: EventLookup,
    query: EventLookupQuery & ReadConsistency,
  ): Promise<FoundEvents> {
    await this.reach(query);
    const page = await this.projection.find(lookup, {
      ...query,
      limit: Math.min(query.limit, HISTORY_LOOKUP_LIMIT_MAX),
    });
    const registry = this.registry();
    const events: RecordedEvent[] = [];
    for (const sequence of page.sequences) {
      const [stored] = await this.store.readStream(this.stream, {
        fromIndex: sequence - 1,
        limit: 1,
      });
      if (stored === undefined)
        throw new RangeError(`the history projection names event ${sequence}, not in the stream`);
      events.push(decodeEntry(registry, stored).recorded);
    }
    return { events, nextCursor: page.nextCursor };
  }

  /** Empties the projection and folds the stream again; resolves with its new checkpoint. */
  rebuild(): Promise<number> {
    return this.follower.rebuild(this.durable);
  }

  /** Resolves once the background follower has nothing left to fold. */
  settled(): Promise<void> {
    return this.follower.settled();
  }

  private async sequenceOf(point: BalancePoint): Promise<number> {
    return "sequence" in point ? point.sequence : this.projection.sequenceAtTime(point.at);
  }
}
