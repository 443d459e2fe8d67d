/**
 * The event store port implemented directly on the double's `DoubleLog`, without gRPC or a
 * client: the double's server semantics, mapped to the port exactly as the adapter maps the
 * real server (versions ↔ revisions, positions ↔ (commit, prepare), ids ↔ derived UUIDs,
 * `$all` filtered to ledger streams, snapshots in `<stream>-snapshots` with `$maxCount: 1`).
 *
 * Running the shared contract on it, beside the memory store, catches a difference between
 * what the double models and what the port promises, independently of the adapter and of the
 * clients; a failure here means the double (or its model of the server) is wrong.
 */
import {
  assertAppendArguments,
  assertCount,
  readStreamStart,
  StoreError,
  type EventStore,
  type EventStorePort as port,
} from "@pacioli/engine";
import {
  eventIdOf,
  eventMetadataBytes,
  event_type_snapshot,
  snapshotVersionOf,
} from "../event-metadata.js";
import { eventUuid } from "../event-uuid.js";
import { encodePosition } from "../global-position.js";
import { assertLedgerStreamName, ledgerStreamRegex, snapshotStreamName } from "../stream-names.js";
import { DoubleLog, type DoubleRecord } from "./double-log.js";

const ledger_stream = new RegExp(ledgerStreamRegex(""));

export class DoubleLogEventStore implements EventStore {
  readonly #subscriptions = new Set<{ close(): Promise<void> }>();
  #closed = false;

  constructor(readonly log: DoubleLog = new DoubleLog()) {}

  async append(
    stream: string,
    events: readonly port.NewEvent[],
    expectedVersion: number,
  ): Promise<port.AppendResult> {
    this.#assertOpen();
    assertAppendArguments(events, expectedVersion);
    assertLedgerStreamName(stream);
    const outcome = this.log.append(
      stream,
      expectedVersion === 0
        ? { _tag: "NoStream" }
        : { _tag: "Revision", revision: expectedVersion - 1 },
      events.map((event) => ({
        id: eventUuid(event.eventId),
        type: event.type,
        contentType: "application/octet-stream",
        data: Buffer.from(event.payload, "utf8"),
        metadata: eventMetadataBytes(event.eventId),
      })),
    );
    switch (outcome._tag) {
      case "Written":
      case "Idempotent":
        return {
          _tag: "Appended",
          nextVersion: outcome.currentRevision + 1,
          position: encodePosition(outcome),
        };
      case "WrongExpectedVersion":
        return {
          _tag: "VersionConflict",
          expectedVersion,
          actualVersion: (outcome.currentRevision ?? -1) + 1,
        };
      case "MaximumAppendSizeExceeded":
        throw new StoreError(`maximum append size ${outcome.maxAppendSize} exceeded`, false);
    }
  }

  async streamVersion(stream: string): Promise<number> {
    this.#assertOpen();
    return (this.log.currentRevision(stream) ?? -1) + 1;
  }

  async readStream(
    stream: string,
    options: port.ReadStreamOptions = {},
  ): Promise<readonly port.StoredEvent[]> {
    this.#assertOpen();
    const fromIndex = readStreamStart(options);
    const visible = (this.log.visibleStream(stream) ?? []).filter(
      (record) => record.revision >= fromIndex,
    );
    return visible.slice(0, options.limit).map(storedEvent);
  }

  async readAll(after: port.Position | null, limit: number): Promise<port.ReadAllPage> {
    this.#assertOpen();
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const following = this.#ledgerRecordsAfter(after);
    const events = following.slice(0, limit).map(storedEvent);
    return { events, last: events.at(-1)?.position ?? after, isEnd: following.length <= limit };
  }

  subscribe(
    after: port.Position | null,
    handler: port.EventHandler,
    options: port.SubscribeOptions = {},
  ): port.Subscription {
    this.#assertOpen();
    let closed = false;
    let cursor = after;
    let wake: (() => void) | null = null;
    const unsubscribe = this.log.onAppend(() => wake?.());
    const run = async (): Promise<void> => {
      while (!closed) {
        const pending = this.#ledgerRecordsAfter(cursor);
        for (const record of pending) {
          if (closed) return;
          const event = storedEvent(record);
          await handler(event);
          cursor = event.position;
        }
        if (pending.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    };
    const subscription = {
      close: async () => {
        closed = true;
        unsubscribe();
        wake?.();
        await done.catch(() => undefined);
      },
    };
    const done = run().then(
      () => this.#subscriptions.delete(subscription),
      (error: unknown) => {
        this.#subscriptions.delete(subscription);
        unsubscribe();
        if (closed) return;
        if (options.onError === undefined) throw error;
        options.onError(error);
      },
    );
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async readSnapshot(stream: string): Promise<port.StoredSnapshot | null> {
    this.#assertOpen();
    const last = this.log.visibleStream(snapshotStreamName(stream))?.at(-1);
    const version = snapshotVersionOf(
      JSON.parse(Buffer.from(last?.metadata ?? Buffer.from("null")).toString("utf8")),
    );
    return last === undefined || version === null
      ? null
      : { stream, version, payload: Buffer.from(last.data).toString("utf8") };
  }

  async writeSnapshot(snapshot: port.StoredSnapshot): Promise<void> {
    this.#assertOpen();
    assertCount(snapshot.version, "snapshot version");
    const stream = snapshotStreamName(snapshot.stream);
    const current = this.log.currentRevision(stream);
    if (current === null) {
      this.log.append(`$$${stream}`, { _tag: "Any" }, [
        {
          id: eventUuid(`$$${stream}`),
          type: "$metadata",
          contentType: "application/json",
          data: Buffer.from('{"$maxCount":1}'),
          metadata: new Uint8Array(),
        },
      ]);
    }
    this.log.append(
      stream,
      current === null ? { _tag: "NoStream" } : { _tag: "Revision", revision: current },
      [
        {
          id: eventUuid(
            `snapshot\u0000${snapshot.stream}\u0000${snapshot.version}\u0000${snapshot.payload}`,
          ),
          type: event_type_snapshot,
          contentType: "application/octet-stream",
          data: Buffer.from(snapshot.payload, "utf8"),
          metadata: Buffer.from(
            JSON.stringify({ pacioliSnapshotVersion: snapshot.version }),
            "utf8",
          ),
        },
      ],
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
  }

  #ledgerRecordsAfter(after: port.Position | null): DoubleRecord[] {
    return this.log.records.filter(
      (record) =>
        ledger_stream.test(record.stream) && (after === null || encodePosition(record) > after),
    );
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError("the double-log event store is closed", false);
  }
}

function storedEvent(record: DoubleRecord): port.StoredEvent {
  const metadata: unknown =
    record.metadata.length === 0 ? null : JSON.parse(Buffer.from(record.metadata).toString("utf8"));
  return {
    eventId: eventIdOf(metadata) ?? record.id,
    type: record.type,
    payload: Buffer.from(record.data).toString("utf8"),
    stream: record.stream,
    streamIndex: record.revision,
    position: encodePosition(record),
  };
}
