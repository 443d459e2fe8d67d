/**
 * A read-only `EventStore` over what the simulated disk holds durably, answering at once and
 * without faults: what a fresh process would find after a crash. The simulation opens a
 * second ledger on it (state equal to a replay) and runs the audit over it.
 */
import type {
  AppendResult,
  EventStore,
  IdempotencyRecord,
  Position,
  ReadAllPage,
  ReadStreamOptions,
  StoredEvent,
  StoredSnapshot,
  Subscription,
} from "@pacioli/engine";
import type { SimulatedDisk } from "./simulated-disk.js";

export class DurableViewStore implements EventStore {
  constructor(private readonly disk: SimulatedDisk) {}

  async append(): Promise<AppendResult> {
    throw new Error("the durable view is read-only");
  }

  async findIdempotency(
    stream: string,
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, IdempotencyRecord>> {
    return this.disk.findIdempotency(stream, keys, true);
  }

  async streamVersion(stream: string): Promise<number> {
    return this.durable(stream).length;
  }

  async readStream(
    stream: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly StoredEvent[]> {
    const fromIndex = options.fromIndex ?? 0;
    return this.durable(stream).slice(
      fromIndex,
      options.limit === undefined ? undefined : fromIndex + options.limit,
    );
  }

  async readAll(after: Position | null, limit: number): Promise<ReadAllPage> {
    const start = after === null ? 0 : Number(after);
    const end = Math.min(start + limit, this.disk.durableLength);
    const events: StoredEvent[] = [];
    for (let index = start; index < end; index += 1)
      events.push(this.disk.eventAt(index) as StoredEvent);
    return {
      events,
      last: events.at(-1)?.position ?? after,
      isEnd: end >= this.disk.durableLength,
    };
  }

  subscribe(): Subscription {
    throw new Error("the durable view has no subscriptions");
  }

  async readSnapshot(stream: string): Promise<StoredSnapshot | null> {
    return this.disk.durableSnapshot(stream);
  }

  async writeSnapshot(): Promise<void> {
    throw new Error("the durable view is read-only");
  }

  async close(): Promise<void> {}

  private durable(stream: string): StoredEvent[] {
    return this.disk
      .streamEvents(stream)
      .filter((event) => Number(event.position) <= this.disk.durableLength);
  }
}
