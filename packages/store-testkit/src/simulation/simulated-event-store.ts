/**
 * The `EventStore` port over a `SimulatedDisk`, with faults chosen by the simulation's PRNG.
 *
 * Every call becomes one or more pending operations in the `OperationScheduler`, completed
 * when the simulator picks them (delayed, and reordered with other work). A mutating call
 * has two phases, as in a real store: the write (visible to this process at once), then the
 * sync and the reply. A crash between them loses the write and the reply never comes.
 *
 * Faults, drawn per call:
 * - `fail`: nothing happens and the call rejects with a retryable `StoreError`;
 * - `tear` (mutating calls): the write happens and is synced as a whole (a SQLite transaction
 *   is atomic), but the caller sees a retryable `StoreError`.
 *
 * A store object belongs to one process generation: once the disk has crashed past it, its
 * calls never answer and never touch the disk (the generation token).
 *
 * The variants other than `correct` are deliberately broken stores, kept to prove that the
 * simulation catches what they break (simulation.test.ts, "the simulator catches …").
 */
import {
  PullSubscription,
  StoreError,
  type EventStore,
  type EventStorePort as port,
} from "@pacioli/engine";
import type { OperationScheduler } from "./operation-scheduler.js";
import type { Prng } from "./prng.js";
import type { SimulatedDisk } from "./simulated-disk.js";

export type StoreVariant =
  | "correct"
  /** Replies to an append before syncing it (the sync comes later, as its own operation). */
  | "ack-before-sync"
  /** Now and then writes an append's events twice, as a driver retrying blindly would. */
  | "append-twice"
  /** On a disk whose sync is a lie: a crash loses the last synced event too. */
  | "lying-sync"
  /** Makes an append's key records durable at once, apart from its events' transaction. */
  | "key-records-apart";

/** Per-call fault odds, in parts per thousand. */
export interface StoreFaultRates {
  readonly failPerMille: number;
  readonly tearPerMille: number;
}

export const NO_FAULTS: StoreFaultRates = { failPerMille: 0, tearPerMille: 0 };

type Fault = "none" | "fail" | "tear";

/** Events a subscription reads per page while catching up. */
const SUBSCRIPTION_PAGE_SIZE = 64;

export class SimulatedEventStore implements EventStore {
  readonly generation: number;
  /** Calls answered with an injected fault, for the report. */
  faultsInjected = 0;

  constructor(
    private readonly disk: SimulatedDisk,
    private readonly scheduler: OperationScheduler,
    private readonly prng: Prng,
    private readonly faults: () => StoreFaultRates,
    private readonly variant: StoreVariant = "correct",
  ) {
    this.generation = disk.generation;
  }

  append(
    stream: string,
    events: readonly port.NewEvent[],
    expectedVersion: number,
    options: port.AppendOptions = {},
  ): Promise<port.AppendResult> {
    return this.mutation(`append ${events.length}@${expectedVersion}`, () => {
      const result = this.disk.write(
        stream,
        events,
        expectedVersion,
        options.idempotency,
        this.variant === "key-records-apart",
      );
      if (this.variant === "append-twice" && result._tag === "Appended" && this.prng.chance(1, 8))
        this.disk.appendUnchecked(stream, events);
      return result;
    });
  }

  /** The key window (ADR 0011): a read like any other, with its faults and delays. */
  findIdempotency(
    stream: string,
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, port.IdempotencyRecord>> {
    return this.query(`find-keys ${keys.length}`, () => this.disk.findIdempotency(stream, keys));
  }

  streamVersion(stream: string): Promise<number> {
    return this.query("version", () => this.disk.streamEvents(stream).length);
  }

  readStream(
    stream: string,
    options: port.ReadStreamOptions = {},
  ): Promise<readonly port.StoredEvent[]> {
    const fromIndex = options.fromIndex ?? 0;
    return this.query(`read ${fromIndex}+${options.limit ?? "all"}`, () =>
      this.disk
        .streamEvents(stream)
        .slice(fromIndex, options.limit === undefined ? undefined : fromIndex + options.limit),
    );
  }

  readAll(after: port.Position | null, limit: number): Promise<port.ReadAllPage> {
    return this.query("read-all", () => this.pageAfter(after, limit));
  }

  /**
   * Catch-up then live, reading the disk directly (no faults: a failing subscription only
   * ends with `onError`, which says nothing about durability). Gone with its process.
   */
  subscribe(
    after: port.Position | null,
    handler: port.EventHandler,
    options: port.SubscribeOptions = {},
  ): port.Subscription {
    const read = (cursor: port.Position | null): Promise<port.ReadAllPage> =>
      this.alive()
        ? Promise.resolve(this.pageAfter(cursor, SUBSCRIPTION_PAGE_SIZE))
        : new Promise<port.ReadAllPage>(() => undefined);
    let unlisten: () => void = () => undefined;
    const subscription = new PullSubscription(read, handler, options, () => unlisten());
    unlisten = this.disk.listen(() => subscription.notify());
    subscription.start(after);
    return subscription;
  }

  readSnapshot(stream: string): Promise<port.StoredSnapshot | null> {
    return this.query("read-snapshot", () => this.disk.readSnapshot(stream));
  }

  writeSnapshot(snapshot: port.StoredSnapshot): Promise<void> {
    return this.mutation(`snapshot@${snapshot.version}`, () => this.disk.writeSnapshot(snapshot));
  }

  async close(): Promise<void> {}

  private alive(): boolean {
    return this.disk.generation === this.generation;
  }

  private pageAfter(after: port.Position | null, limit: number): port.ReadAllPage {
    const { events, isEnd } = this.disk.readAll(after, limit);
    return { events, last: events.at(-1)?.position ?? after, isEnd };
  }

  private drawFault(mutating: boolean): Fault {
    const rates = this.faults();
    const draw = this.prng.below(1000);
    if (draw < rates.failPerMille) return "fail";
    if (mutating && draw < rates.failPerMille + rates.tearPerMille) return "tear";
    return "none";
  }

  /** A read: one operation that answers, or fails. */
  private query<T>(label: string, read: () => T): Promise<T> {
    return this.operation(label, false, (fault, resolve, reject) => {
      if (fault === "fail") return this.rejectInjected(reject, label);
      resolve(read());
    });
  }

  /** A write: the write phase, then the sync-and-reply phase (or, broken, reply then sync). */
  private mutation<T>(label: string, write: () => T): Promise<T> {
    return this.operation<T>(label, true, (fault, resolve, reject) => {
      if (fault === "fail") return this.rejectInjected(reject, label);
      const result = write();
      if (this.variant === "ack-before-sync") {
        resolve(result);
        return this.later("sync", () => this.disk.sync());
      }
      this.later("sync+reply", () => {
        this.disk.sync();
        if (fault === "tear") this.rejectInjected(reject, `${label} (written)`);
        else resolve(result);
      });
    });
  }

  /**
   * One scheduled operation with its fault drawn now: it never answers once the process is
   * dead (a crash), and otherwise runs when the scheduler picks it.
   */
  private operation<T>(
    label: string,
    mutating: boolean,
    body: (fault: Fault, resolve: (value: T) => void, reject: (error: unknown) => void) => void,
  ): Promise<T> {
    if (!this.alive()) return new Promise<T>(() => undefined);
    const fault = this.drawFault(mutating);
    return new Promise<T>((resolve, reject) => {
      this.scheduler.enqueue({
        generation: this.generation,
        label: `${label}${fault === "none" ? "" : ` ${fault}`}`,
        run: () => (this.alive() ? body(fault, resolve, reject) : undefined),
      });
    });
  }

  private later(label: string, run: () => void): void {
    this.scheduler.enqueue({
      generation: this.generation,
      label,
      run: () => (this.alive() ? run() : undefined),
    });
  }

  private rejectInjected(reject: (error: unknown) => void, label: string): void {
    this.faultsInjected += 1;
    reject(new StoreError(`simulated fault: ${label}`, true));
  }
}
