/**
 * The history projection held in memory: for stores that keep no projection of their own
 * (memory, EventStoreDB). Every account's lines live on the heap, as the wallet history did
 * before ADR 0018; it starts empty at every start and is built from the stream on first use.
 */
import type {
  AccountHistoryLine,
  AccountHistoryPage,
  AccountHistoryQuery,
  EventLookup,
  EventLookupQuery,
  HistoryContents,
  HistoryProjection,
  SequencePage,
} from "./history-projection.js";
import { lookupKey, matchesQuery, pageLimit } from "./history-query.js";
import type { ProjectedEvent, ProjectedPosting } from "./projected-event.js";

type EventInfo = Omit<ProjectedEvent, "postings">;

/**
 * A line as kept: the event's details by reference, not copied into each of its lines (a
 * line is made whole only when a query returns it), which halves what the heap holds.
 */
interface KeptLine {
  readonly event: EventInfo;
  readonly posting: ProjectedPosting;
  readonly balance: bigint;
}

const wholeLine = (kept: KeptLine): AccountHistoryLine => ({
  ...kept.event,
  ...kept.posting,
  balance: kept.balance,
});

const matches = (kept: KeptLine, query: AccountHistoryQuery): boolean =>
  matchesQuery(
    { recordedAt: kept.event.recordedAt, type: kept.event.type, currency: kept.posting.currency },
    query,
  );

export class MemoryHistoryProjection implements HistoryProjection {
  /** Index `sequence - 1`: the projection is always a prefix of the stream. */
  private events: EventInfo[] = [];
  private lines = new Map<string, KeptLine[]>();
  private balances = new Map<string, bigint>();
  /** A lookup's sequences: one number for the usual single event, an array past it. */
  private lookups = new Map<string, number | number[]>();

  async checkpoint(): Promise<number> {
    return this.events.length;
  }

  async apply(events: readonly ProjectedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.sequence <= this.events.length) continue;
      if (event.sequence !== this.events.length + 1)
        throw new RangeError(
          `history projection at ${this.events.length} cannot fold event ${event.sequence}`,
        );
      this.fold(event);
    }
  }

  async reset(): Promise<void> {
    this.events = [];
    this.lines = new Map();
    this.balances = new Map();
    this.lookups = new Map();
  }

  async page(account: string, query: AccountHistoryQuery): Promise<AccountHistoryPage> {
    const lines = this.lines.get(account) ?? [];
    const limit = pageLimit(query.limit);
    const found: AccountHistoryLine[] = [];
    let index = query.before === undefined ? lines.length - 1 : lastIndexBelow(lines, query.before);
    for (; index >= 0; index -= 1) {
      const line = lines[index] as KeptLine;
      if (query.from !== undefined && line.event.recordedAt < query.from) {
        index = -1;
        break;
      }
      if (!matches(line, query)) continue;
      const last = found[found.length - 1];
      if (found.length >= limit && last !== undefined && last.sequence !== line.event.sequence)
        break;
      found.push(wholeLine(line));
    }
    const more = index >= 0 && found.length > 0 && this.olderMatch(lines, index, query);
    return { lines: found, nextCursor: more ? found[found.length - 1]?.sequence : undefined };
  }

  async balanceAtSequence(account: string, currency: string, sequence: number): Promise<bigint> {
    const lines = this.lines.get(account) ?? [];
    for (let index = lastIndexBelow(lines, sequence + 1); index >= 0; index -= 1) {
      const line = lines[index] as KeptLine;
      if (line.posting.currency === currency) return line.balance;
    }
    return 0n;
  }

  async sequenceAtTime(at: number): Promise<number> {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.events[middle] as EventInfo).recordedAt <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  async find(lookup: EventLookup, query: EventLookupQuery): Promise<SequencePage> {
    const kept = this.lookups.get(lookupKey(lookup)) ?? [];
    const all = typeof kept === "number" ? [kept] : kept;
    const limit = pageLimit(query.limit);
    const after = query.after ?? 0;
    const start = all.findIndex((sequence) => sequence > after);
    const sequences = start < 0 ? [] : all.slice(start, start + limit);
    const more = start >= 0 && start + limit < all.length;
    return { sequences, nextCursor: more ? sequences[sequences.length - 1] : undefined };
  }

  async contents(): Promise<HistoryContents> {
    const lines = [...this.lines.values()].flat().map(wholeLine);
    return { checkpoint: this.events.length, events: [...this.events], lines: sortLines(lines) };
  }

  private fold(event: ProjectedEvent): void {
    const { postings, ...info } = event;
    this.events.push(info);
    this.remember(lookupKey({ idempotencyKey: event.idempotencyKey }), event.sequence);
    this.remember(lookupKey({ commandId: event.commandId }), event.sequence);
    for (const [key, value] of Object.entries(event.metadata ?? {}))
      this.remember(lookupKey({ metadata: { key, value } }), event.sequence);
    const ordered = [...postings].sort((a, b) => compareText(a.currency, b.currency));
    for (const posting of ordered) {
      const balanceKey = `${posting.account}\u0000${posting.currency}`;
      const balance = (this.balances.get(balanceKey) ?? 0n) + posting.amount;
      this.balances.set(balanceKey, balance);
      let lines = this.lines.get(posting.account);
      if (lines === undefined) {
        lines = [];
        this.lines.set(posting.account, lines);
      }
      lines.push({ event: info, posting, balance });
    }
  }

  private remember(key: string, sequence: number): void {
    const kept = this.lookups.get(key);
    if (kept === undefined) this.lookups.set(key, sequence);
    else if (typeof kept === "number") {
      if (kept !== sequence) this.lookups.set(key, [kept, sequence]);
    } else if (kept[kept.length - 1] !== sequence) kept.push(sequence);
  }

  private olderMatch(lines: readonly KeptLine[], from: number, query: AccountHistoryQuery) {
    for (let index = from; index >= 0; index -= 1) {
      const line = lines[index] as KeptLine;
      if (query.from !== undefined && line.event.recordedAt < query.from) return false;
      if (matches(line, query)) return true;
    }
    return false;
  }
}

/** Canonical order of `contents`: account, then sequence, then currency. */
export function sortLines(lines: readonly AccountHistoryLine[]): AccountHistoryLine[] {
  return [...lines].sort(
    (a, b) =>
      compareText(a.account, b.account) ||
      a.sequence - b.sequence ||
      compareText(a.currency, b.currency),
  );
}

/** Code-unit order, as SQLite's BINARY collation compares ASCII text. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the last line with sequence < bound, or -1. */
function lastIndexBelow(lines: readonly KeptLine[], bound: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((lines[middle] as KeptLine).event.sequence < bound) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
