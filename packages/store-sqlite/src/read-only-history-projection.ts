/**
 * The history projection of a ledger file opened read-only (an auditor's copy, a file
 * without write permission): the persisted tables answer every query up to their
 * checkpoint, and only the events the file's projection has not folded yet (the tail) are
 * folded here, in memory, from that checkpoint on. Nothing is written to the file.
 *
 * - **Base.** The persisted projection is used up to `floor`, its checkpoint when first
 *   asked. Every read of it is bounded by `floor` (rows another process folds later are not
 *   looked at) and runs in one read transaction that also checks the file's checkpoint is
 *   still at `floor` or beyond: a projection another process is rebuilding at that moment
 *   (checkpoint back below `floor`) is not read half-built — the base is dropped and the
 *   whole stream folded in memory. A checkpoint beyond the stream's end (a file edited by
 *   hand) is never trusted either.
 * - **Tail.** Lines of the events after `floor`, with their balances continued from the
 *   base's balance at `floor`. Queries merge the two: the tail holds only newer sequences.
 * - `reset` drops the base: the follower then folds the whole stream in memory, as for a
 *   store without a projection.
 *
 * The persisted rows are trusted as the engine wrote them; `pacioli rebuild-history --check`
 * compares them with a rebuild from the events.
 */
import type Database from "better-sqlite3";
import {
  compareText,
  lookupKey,
  matchesQuery,
  pageLimit,
  sortLines,
  StoreError,
  type HistoryProjectionPort as port,
  type ProjectedEvent,
} from "@pacioli/engine";

type EventInfo = Omit<ProjectedEvent, "postings">;

export class ReadOnlyHistoryProjection implements port.HistoryProjection {
  /** The base's checkpoint when first read (0: no base). */
  private floor: number | undefined;
  private base: port.HistoryProjection | undefined;
  private tailEvents: EventInfo[] = [];
  /** Per account, the tail's lines in (sequence, currency) order. */
  private tailLines = new Map<string, port.AccountHistoryLine[]>();
  private tailBalances = new Map<string, bigint>();
  private tailLookups = new Map<string, number[]>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database.Database,
    base: port.HistoryProjection,
    private readonly streamVersion: () => Promise<number>,
  ) {
    this.base = base;
  }

  checkpoint(): Promise<number> {
    return this.serially(async () => (await this.start()) + this.tailEvents.length);
  }

  apply(events: readonly ProjectedEvent[]): Promise<void> {
    return this.serially(async () => {
      const floor = await this.start();
      for (const event of events) {
        const checkpoint = floor + this.tailEvents.length;
        if (event.sequence <= checkpoint) continue;
        if (event.sequence !== checkpoint + 1)
          throw new RangeError(
            `history projection at ${checkpoint} cannot fold event ${event.sequence}`,
          );
        await this.fold(event, floor);
      }
    });
  }

  reset(): Promise<void> {
    return this.serially(async () => this.dropBase());
  }

  page(account: string, query: port.AccountHistoryQuery): Promise<port.AccountHistoryPage> {
    return this.serially(async () => {
      const limit = pageLimit(query.limit);
      const tail = tailPage(this.tailLines.get(account) ?? [], query, limit);
      const base = this.base;
      const floor = await this.start();
      if (base === undefined) return tail;
      const baseQuery = { ...query, before: Math.min(query.before ?? Infinity, floor + 1) };
      if (tail.lines.length >= limit) {
        if (tail.nextCursor !== undefined) return tail;
        const older = await this.fromBase(() => base.page(account, { ...baseQuery, limit: 1 }));
        return {
          lines: tail.lines,
          nextCursor: older.lines.length > 0 ? lastSequence(tail) : undefined,
        };
      }
      const rest = await this.fromBase(() =>
        base.page(account, { ...baseQuery, limit: limit - tail.lines.length }),
      );
      return { lines: [...tail.lines, ...rest.lines], nextCursor: rest.nextCursor };
    });
  }

  balanceAtSequence(account: string, currency: string, sequence: number): Promise<bigint> {
    return this.serially(async () => {
      const floor = await this.start();
      if (sequence > floor) {
        const lines = this.tailLines.get(account) ?? [];
        for (let index = lines.length - 1; index >= 0; index -= 1) {
          const line = lines[index] as port.AccountHistoryLine;
          if (line.sequence <= sequence && line.currency === currency) return line.balance;
        }
      }
      return this.baseBalance(account, currency, Math.min(sequence, floor));
    });
  }

  sequenceAtTime(at: number): Promise<number> {
    return this.serially(async () => {
      const floor = await this.start();
      // Recorded times do not decrease along the stream (the engine's clock is monotonic).
      for (let index = this.tailEvents.length - 1; index >= 0; index -= 1)
        if ((this.tailEvents[index] as EventInfo).recordedAt <= at) return floor + index + 1;
      const base = this.base;
      if (base === undefined) return 0;
      return Math.min(await this.fromBase(() => base.sequenceAtTime(at)), floor);
    });
  }

  find(lookup: port.EventLookup, query: port.EventLookupQuery): Promise<port.SequencePage> {
    return this.serially(async () => {
      const limit = pageLimit(query.limit);
      const after = query.after ?? 0;
      const floor = await this.start();
      const base = this.base;
      const fromBase =
        base === undefined || after >= floor
          ? []
          : (await this.fromBase(() => base.find(lookup, { limit: limit + 1, after }))).sequences;
      const tail = (this.tailLookups.get(lookupKey(lookup)) ?? []).filter(
        (sequence) => sequence > after,
      );
      const all = [...fromBase.filter((sequence) => sequence <= floor), ...tail];
      const sequences = all.slice(0, limit);
      return { sequences, nextCursor: all.length > limit ? sequences.at(-1) : undefined };
    });
  }

  contents(): Promise<port.HistoryContents> {
    return this.serially(async () => {
      const floor = await this.start();
      const base = this.base;
      const persisted =
        base === undefined ? { events: [], lines: [] } : await this.fromBase(() => base.contents());
      return {
        checkpoint: floor + this.tailEvents.length,
        events: [
          ...persisted.events.filter((event) => event.sequence <= floor),
          ...this.tailEvents,
        ],
        lines: sortLines([
          ...persisted.lines.filter((line) => line.sequence <= floor),
          ...[...this.tailLines.values()].flat(),
        ]),
      };
    });
  }

  /** The floor, read once: the base's checkpoint when it is within the stream, else 0. */
  private async start(): Promise<number> {
    if (this.floor !== undefined) return this.floor;
    const base = this.base;
    const checkpoint = base === undefined ? 0 : await base.checkpoint();
    if (checkpoint > (await this.streamVersion())) this.dropBase();
    else this.floor = checkpoint;
    return this.floor ?? 0;
  }

  private async fold(event: ProjectedEvent, floor: number): Promise<void> {
    const { postings, ...info } = event;
    this.tailEvents.push(info);
    for (const lookup of lookupsOf(event)) {
      const key = lookupKey(lookup);
      const sequences = this.tailLookups.get(key);
      if (sequences === undefined) this.tailLookups.set(key, [event.sequence]);
      else if (sequences[sequences.length - 1] !== event.sequence) sequences.push(event.sequence);
    }
    const ordered = [...postings].sort((a, b) => compareText(a.currency, b.currency));
    for (const posting of ordered) {
      const key = `${posting.account}\u0000${posting.currency}`;
      const previous =
        this.tailBalances.get(key) ??
        (await this.baseBalance(posting.account, posting.currency, floor));
      const balance = previous + posting.amount;
      this.tailBalances.set(key, balance);
      let lines = this.tailLines.get(posting.account);
      if (lines === undefined) {
        lines = [];
        this.tailLines.set(posting.account, lines);
      }
      lines.push({ ...info, ...posting, balance });
    }
  }

  private async baseBalance(account: string, currency: string, sequence: number): Promise<bigint> {
    const base = this.base;
    if (base === undefined || sequence <= 0) return 0n;
    return this.fromBase(() => base.balanceAtSequence(account, currency, sequence));
  }

  /**
   * One read of the base in a read transaction (one snapshot of the file), which also checks
   * the file's checkpoint has not gone back below the floor: a projection being rebuilt by
   * another process is never read half-built.
   */
  private async fromBase<T>(read: () => Promise<T>): Promise<T> {
    const base = this.base;
    if (base === undefined) throw new RangeError("no persisted history projection to read");
    const floor = this.floor ?? 0;
    // Nested in a transaction already open on this connection, that one is the snapshot.
    const own = !this.db.inTransaction;
    if (own) this.db.exec("BEGIN");
    try {
      const result = await read();
      if ((await base.checkpoint()) < floor) {
        this.dropBase();
        throw new StoreError(
          "the ledger file's history projection was rebuilt by another process while it was read; the query can be sent again (it is now answered from the events)",
          true,
        );
      }
      return result;
    } finally {
      if (own) this.db.exec("COMMIT");
    }
  }

  private dropBase(): void {
    this.base = undefined;
    this.floor = 0;
    this.tailEvents = [];
    this.tailLines = new Map();
    this.tailBalances = new Map();
    this.tailLookups = new Map();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function lookupsOf(event: ProjectedEvent): port.EventLookup[] {
  return [
    { idempotencyKey: event.idempotencyKey },
    { commandId: event.commandId },
    ...Object.entries(event.metadata ?? {}).map(([key, value]) => ({ metadata: { key, value } })),
  ];
}

const lastSequence = (page: port.AccountHistoryPage): number | undefined =>
  page.lines.at(-1)?.sequence;

/**
 * A page of the tail's lines of one account, newest first, never ending inside an event;
 * `nextCursor` set when older matching tail lines exist (the base is asked by the caller).
 */
function tailPage(
  lines: readonly port.AccountHistoryLine[],
  query: port.AccountHistoryQuery,
  limit: number,
): port.AccountHistoryPage {
  const found: port.AccountHistoryLine[] = [];
  let index = lines.length - 1;
  for (; index >= 0; index -= 1) {
    const line = lines[index] as port.AccountHistoryLine;
    if (query.before !== undefined && line.sequence >= query.before) continue;
    if (!matchesQuery(line, query)) continue;
    const last = found[found.length - 1];
    if (found.length >= limit && last !== undefined && last.sequence !== line.sequence) break;
    found.push(line);
  }
  const older = lines
    .slice(0, Math.max(index + 1, 0))
    .some(
      (line) =>
        (query.before === undefined || line.sequence < query.before) && matchesQuery(line, query),
    );
  return { lines: found, nextCursor: index >= 0 && older ? found.at(-1)?.sequence : undefined };
}
