/**
 * An event store held in memory: for tests and ephemeral use.
 *
 * It keeps the port's promises exactly as the durable stores do (it passes the same
 * contract suite in `@pacioli/store-testkit`), so code tested against it behaves the same
 * on SQLite. Nothing survives `close` or the process.
 *
 * - Positions are the 1-based index in the global log, zero-padded to 16 digits, so that
 *   lexicographic order is commit order.
 * - An append retried with the same event ids at the same expected version is recognised
 *   by comparing ids with the events already at [expectedVersion, expectedVersion + n): it
 *   returns the original result and writes nothing. Ids alone decide (they are
 *   deterministic), the payloads are not compared.
 * - An empty append, a negative or fractional version, and a non-positive page size are
 *   programmer errors: they reject with a `RangeError`.
 */
import { appendRetryResult } from "./append-retry.js";
import { StoreError, type EventStore } from "./event-store.js";
import type * as port from "./event-store.js";
import { assertAppendArguments, assertCount, readStreamStart } from "./port-arguments.js";
import { PullSubscription } from "./pull-subscription.js";
import { assertReadAllLimit, readAllPage } from "./read-all-page.js";

const position_digits = 16;
/** Events a subscription reads per page while catching up. */
const subscription_page_size = 256;

export class MemoryEventStore implements EventStore {
  private readonly log: port.StoredEvent[] = [];
  private readonly streams = new Map<string, port.StoredEvent[]>();
  private readonly snapshots = new Map<string, port.StoredSnapshot>();
  /** The key window per stream: the latest record of each key (ADR 0011). */
  private readonly idempotency = new Map<string, Map<string, port.IdempotencyRecord>>();
  private readonly subscriptions = new Set<PullSubscription>();
  private closed = false;

  async append(
    stream: string,
    events: readonly port.NewEvent[],
    expectedVersion: number,
    options: port.AppendOptions = {},
  ): Promise<port.AppendResult> {
    this.assertOpen();
    assertAppendArguments(events, expectedVersion);
    let existing = this.streams.get(stream);
    if (existing === undefined) this.streams.set(stream, (existing = []));
    if (existing.length !== expectedVersion)
      return appendRetryResult(existing, events, expectedVersion);
    const sequence = this.log.length;
    const stored = events.map((event, offset) =>
      storedEvent(stream, event, expectedVersion + offset, formatPosition(sequence + offset + 1)),
    );
    // In place: readers only ever get slices, and copying the stream on every append made a
    // lone caller's appends cost O(stream length) each.
    for (const event of stored) {
      this.log.push(event);
      existing.push(event);
    }
    if (options.idempotency !== undefined && options.idempotency.length > 0) {
      let records = this.idempotency.get(stream);
      if (records === undefined) this.idempotency.set(stream, (records = new Map()));
      for (const record of options.idempotency) records.set(record.key, { ...record });
    }
    for (const subscription of this.subscriptions) subscription.notify();
    return {
      _tag: "Appended",
      nextVersion: expectedVersion + events.length,
      position: this.lastPosition(),
    };
  }

  async findIdempotency(
    stream: string,
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, port.IdempotencyRecord>> {
    this.assertOpen();
    const records = this.idempotency.get(stream);
    const found = new Map<string, port.IdempotencyRecord>();
    if (records === undefined) return found;
    for (const key of keys) {
      const record = records.get(key);
      if (record !== undefined) found.set(key, record);
    }
    return found;
  }

  async streamVersion(stream: string): Promise<number> {
    this.assertOpen();
    return this.streams.get(stream)?.length ?? 0;
  }

  async readStream(
    stream: string,
    options: port.ReadStreamOptions = {},
  ): Promise<readonly port.StoredEvent[]> {
    this.assertOpen();
    const fromIndex = readStreamStart(options);
    const events = this.streams.get(stream) ?? [];
    return events.slice(
      fromIndex,
      options.limit === undefined ? undefined : fromIndex + options.limit,
    );
  }

  async readAll(after: port.Position | null, limit: number): Promise<port.ReadAllPage> {
    this.assertOpen();
    assertReadAllLimit(limit);
    const start = after === null ? 0 : firstIndexAfter(this.log, after);
    return readAllPage(this.log.slice(start, start + limit + 1), after, limit, (event) => event);
  }

  subscribe(
    after: port.Position | null,
    handler: port.EventHandler,
    options: port.SubscribeOptions = {},
  ): port.Subscription {
    this.assertOpen();
    const subscription = new PullSubscription(
      (cursor) => this.readAll(cursor, subscription_page_size),
      handler,
      options,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    subscription.start(after);
    return subscription;
  }

  async readSnapshot(stream: string): Promise<port.StoredSnapshot | null> {
    this.assertOpen();
    return this.snapshots.get(stream) ?? null;
  }

  async writeSnapshot(snapshot: port.StoredSnapshot): Promise<void> {
    this.assertOpen();
    assertCount(snapshot.version, "snapshot version");
    this.snapshots.set(snapshot.stream, { ...snapshot });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }

  private lastPosition(): port.Position {
    const last = this.log.at(-1);
    if (last === undefined) throw new Error("invariant: the log is empty right after an append");
    return last.position;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError("the memory event store is closed", false);
  }
}

function storedEvent(
  stream: string,
  event: port.NewEvent,
  streamIndex: number,
  position: port.Position,
): port.StoredEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    payload: event.payload,
    stream,
    streamIndex,
    position,
  };
}

function firstIndexAfter(log: readonly port.StoredEvent[], after: port.Position): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const event = log[middle];
    if (event !== undefined && event.position <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

function formatPosition(sequence: number): port.Position {
  return sequence.toString().padStart(position_digits, "0") as port.Position;
}
