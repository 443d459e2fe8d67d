/**
 * The event store port on EventStoreDB/KurrentDB.
 *
 * How the port maps onto the server:
 * - Versions ↔ revisions. The port counts events (a missing stream has version 0); the server
 *   numbers them from 0. Expected version 0 is `no_stream`, version v > 0 is revision v - 1,
 *   and a reply's revision r is version r + 1. `any` and `stream_exists` are never sent.
 * - Conflicts ↔ `WrongExpectedVersionError`: returned as a `VersionConflict` value with the
 *   stream's actual version (from the error when the client exposes it, else read back).
 * - Retries. An append whose outcome is unknown (unavailable node, deadline, leader change) is
 *   retried here, a bounded number of times, at the same exact expected revision with the same
 *   event UUIDs (`event-uuid.ts`). The server recognises such a retry through its index: when
 *   the events after the expected revision carry those ids it writes nothing and reports
 *   success. The adapter reports that as `Appended` with the ORIGINAL next version and the
 *   position of the original last event (looked up when the server's idempotent reply carries
 *   no position) — exactly what the port promises for a retry: the original result, nothing
 *   written. A retry after another writer moved on is still recognised (ids after the expected
 *   revision are compared, not the stream's end), as in the memory store.
 * - Positions ↔ (commit, prepare), see `global-position.ts`. Missing stream ↔ version 0 and
 *   an empty read.
 * - `readAll`/`subscribe` read `$all` with a server-side filter that keeps ledger streams only
 *   (`stream-names.ts`); `subscribe` resubscribes after drops (`catch-up-subscription.ts`).
 * - Snapshots: a manifest in `<stream>-snapshots`, with `$maxCount: 1` so the server keeps only
 *   the latest, pointing to the payload cut into chunks that each fit one append, in a chunk
 *   stream per write (`snapshot-chunks.ts`); the replaced snapshot's chunk stream is
 *   soft-deleted. Old single-event snapshots are still read. Ledger streams get no metadata at
 *   all (never `$maxAge`/`$maxCount` there: the ledger is the book of record).
 * - The maximum append size is enforced before sending (`append-size.ts`).
 *
 * Event data is sent as `application/octet-stream` with the canonical JSON bytes (see
 * `event-metadata.ts` for why not `application/json`).
 */
import { randomBytes } from "node:crypto";
import {
  assertAppendArguments,
  assertCount,
  assertReadAllLimit,
  readStreamStart,
  readAllPage,
  StoreError,
  StoreFormatError,
  type EventStore,
  type EventStorePort as port,
} from "@pacioli/engine";
import { AppendTooLargeError, appendSizeBytes } from "./append-size.js";
import { CatchUpSubscription, type ResubscribeLimits } from "./catch-up-subscription.js";
import {
  actualRevisionOf,
  errorType,
  type ClientApi,
  type ClientExpectedRevision,
  type ClientFilter,
  type ClientProposedEvent,
  type ClientRecordedEvent,
  type ClientResolvedEvent,
} from "./client-api.js";
import { eventIdOf, eventMetadataBytes, snapshotVersionOf } from "./event-metadata.js";
import { eventUuid } from "./event-uuid.js";
import { decodePosition, encodePosition } from "./global-position.js";
import {
  assembleSnapshotPayload,
  decodeSnapshotManifest,
  isSnapshotManifest,
  snapshotChunkBytes,
  snapshotChunkEvent,
  snapshotManifestEvent,
  snapshotManifestOf,
  type SnapshotManifest,
} from "./snapshot-chunks.js";
import {
  assertLedgerStreamName,
  ledgerStreamRegex,
  snapshotChunkStreamName,
  snapshotStreamName,
} from "./stream-names.js";

export interface EventStoreDbStoreLimits extends ResubscribeLimits {
  /** Largest append sent, in bytes as the server counts them; match the server's `MaxAppendSize`. */
  readonly maxAppendBytes: number;
  /** Attempts for an append whose outcome is unknown (1 = no retry). */
  readonly appendAttemptsMax: number;
  /** Delay between append attempts. */
  readonly appendRetryDelayMs: number;
  /** Attempts to write a snapshot when another writer moves the snapshot stream meanwhile. */
  readonly snapshotWriteAttemptsMax: number;
}

export interface EventStoreDbStoreNaming {
  /** Namespace prepended to every stream on the server (default ""); invisible to the engine. */
  readonly streamPrefix: string;
}

/** Errors after which the outcome of a request is unknown but a retry may succeed. */
const transient_error_types = new Set(["unavailable", "deadline-exceeded", "not-leader"]);
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED, when a client surfaces a raw status. */
const transient_grpc_codes = new Set([4, 14]);
/**
 * Manifests tried by one `readSnapshot`: chunks missing under a manifest that has since been
 * replaced were deleted by that replacement's writer, so the newer manifest is tried.
 */
const snapshot_read_attempts_max = 3;

export class EventStoreDbStore implements EventStore {
  readonly #client: ClientApi;
  readonly #limits: EventStoreDbStoreLimits;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #filter: ClientFilter;
  readonly #ledgerStream: RegExp;
  readonly #subscriptions = new Set<CatchUpSubscription>();
  #closed = false;

  constructor(
    client: ClientApi,
    limits: EventStoreDbStoreLimits,
    ownsClient: boolean,
    naming: EventStoreDbStoreNaming = { streamPrefix: "" },
  ) {
    this.#client = client;
    this.#prefix = naming.streamPrefix;
    this.#filter = {
      filterOn: "streamName",
      regex: ledgerStreamRegex(naming.streamPrefix),
      checkpointInterval: 1,
    };
    this.#ledgerStream = new RegExp(this.#filter.regex);
    this.#limits = limits;
    this.#ownsClient = ownsClient;
  }

  /**
   * The largest append this store sends, in bytes as `appendSizeBytes` counts them. The engine
   * sizes its group commits to stay at or under it; a larger append rejects with
   * `AppendTooLargeError` before anything is sent.
   */
  get maxAppendBytes(): number {
    return this.#limits.maxAppendBytes;
  }

  /** Which client API the store drives ("kurrentdb" or "eventstoredb"). */
  get clientFlavour(): ClientApi["flavour"] {
    return this.#client.flavour;
  }

  async append(
    stream: string,
    events: readonly port.NewEvent[],
    expectedVersion: number,
  ): Promise<port.AppendResult> {
    this.#assertOpen();
    assertAppendArguments(events, expectedVersion);
    assertLedgerStreamName(stream);
    const appendBytes = appendSizeBytes(events);
    if (appendBytes > this.#limits.maxAppendBytes)
      throw new AppendTooLargeError(stream, appendBytes, this.#limits.maxAppendBytes);
    const proposed = events.map(proposedEvent);
    const expected: ClientExpectedRevision =
      expectedVersion === 0 ? "no_stream" : BigInt(expectedVersion - 1);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.#client.append(this.#prefix + stream, proposed, expected);
        if (!result.success) return this.#conflict(stream, expectedVersion, null);
        const nextVersion = Number(result.nextExpectedRevision) + 1;
        if (nextVersion !== expectedVersion + events.length) {
          throw new StoreError(
            `server reported version ${nextVersion} after appending ${events.length} events at ${expectedVersion}`,
            false,
          );
        }
        const position =
          result.position ?? (await this.#positionOf(stream, result.nextExpectedRevision));
        return { _tag: "Appended", nextVersion, position: encodePosition(position) };
      } catch (error) {
        if (errorType(error) === "wrong-expected-version")
          return this.#conflict(stream, expectedVersion, actualRevisionOf(error));
        if (isTransient(error) && attempt < this.#limits.appendAttemptsMax) {
          await delay(this.#limits.appendRetryDelayMs);
          continue;
        }
        throw toStoreError(error, `append to ${JSON.stringify(stream)}`);
      }
    }
  }

  async streamVersion(stream: string): Promise<number> {
    this.#assertOpen();
    const [last] = await this.#read(this.#prefix + stream, {
      fromRevision: "end",
      maxCount: 1,
      direction: "backwards",
    });
    return last === undefined ? 0 : Number(last.revision) + 1;
  }

  async readStream(
    stream: string,
    options: port.ReadStreamOptions = {},
  ): Promise<readonly port.StoredEvent[]> {
    this.#assertOpen();
    const fromIndex = readStreamStart(options);
    if (options.limit === 0) return [];
    const recorded = await this.#read(this.#prefix + stream, {
      fromRevision: BigInt(fromIndex),
      maxCount: options.limit ?? Number.MAX_SAFE_INTEGER,
      direction: "forwards",
    });
    return recorded.map((event) => this.#storedEvent(event));
  }

  async readAll(after: port.Position | null, limit: number): Promise<port.ReadAllPage> {
    this.#assertOpen();
    assertReadAllLimit(limit);
    // A read from a position includes the event at it, hence + 1; one more tells whether
    // anything follows the page (isEnd) without a second round trip.
    const maxCount = limit + 2;
    const found: port.StoredEvent[] = [];
    // The filter is applied by the server where the client supports it (the KurrentDB client
    // does; @eventstore/db-client 6.2.1's readAll silently ignores `filter`), and again here,
    // reading on past events filtered out until the page is full or the log ends.
    let cursor: port.Position | null = after;
    try {
      for (;;) {
        let rawCount = 0;
        let rawLast: port.Position | null = null;
        const fromPosition = cursor === null ? "start" : decodePosition(cursor);
        for await (const resolved of this.#client.readAll({
          fromPosition,
          maxCount,
          filter: this.#filter,
        })) {
          rawCount += 1;
          const recorded = resolved.event;
          if (recorded?.position === undefined) continue;
          const position = encodePosition(recorded.position);
          if (cursor !== null && position <= cursor) continue;
          rawLast = position;
          if (this.#isLedgerStream(recorded.streamId)) found.push(this.#storedEvent(recorded));
        }
        if (found.length > limit || rawCount < maxCount || rawLast === null) break;
        cursor = rawLast;
      }
    } catch (error) {
      throw toStoreError(error, "read $all");
    }
    return readAllPage(found, after, limit, (event) => event);
  }

  subscribe(
    after: port.Position | null,
    handler: port.EventHandler,
    options: port.SubscribeOptions = {},
  ): port.Subscription {
    this.#assertOpen();
    if (after !== null) decodePosition(after);
    const subscription: CatchUpSubscription = new CatchUpSubscription(
      this.#client,
      after,
      this.#filter,
      (resolved) => this.#storedEventOf(resolved),
      handler,
      options,
      this.#limits,
      () => this.#subscriptions.delete(subscription),
    );
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async readSnapshot(stream: string): Promise<port.StoredSnapshot | null> {
    this.#assertOpen();
    let tried: string | null = null;
    for (let attempt = 1; attempt <= snapshot_read_attempts_max; attempt += 1) {
      const last = await this.#lastSnapshotEvent(stream);
      if (last === undefined) return null;
      if (!isSnapshotManifest(last)) return snapshotOf(stream, last);
      // A manifest whose chunks were already found wanting: they are really missing (or
      // corrupt), not just deleted by a writer that replaced the snapshot meanwhile.
      if (last.id === tried) return null;
      tried = last.id;
      const snapshot = await this.#readChunkedSnapshot(stream, last);
      if (snapshot !== null) return snapshot;
    }
    return null;
  }

  async writeSnapshot(snapshot: port.StoredSnapshot): Promise<void> {
    this.#assertOpen();
    assertCount(snapshot.version, "snapshot version");
    // Chunk stream names are unambiguous only for valid ledger stream names.
    assertLedgerStreamName(snapshot.stream);
    const payload = Buffer.from(snapshot.payload, "utf8");
    const chunkBytes = snapshotChunkBytes(this.#limits.maxAppendBytes);
    const chunkStream = snapshotChunkStreamName(
      snapshot.stream,
      snapshot.version,
      randomBytes(8).toString("hex"),
    );
    const manifest = snapshotManifestOf(chunkStream, payload, chunkBytes);
    await this.#writeChunks(manifest, payload, chunkBytes);
    // Only now, with every chunk durable, does the snapshot replace the previous one.
    const replaced = await this.#writeManifest(snapshot, manifest);
    if (replaced !== null && replaced.chunkStream !== manifest.chunkStream)
      await this.#deleteChunks(replaced);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
    if (this.#ownsClient) await this.#client.dispose();
  }

  // -- snapshots --------------------------------------------------------------------------

  async #lastSnapshotEvent(stream: string): Promise<ClientRecordedEvent | undefined> {
    const [last] = await this.#read(this.#prefix + snapshotStreamName(stream), {
      fromRevision: "end",
      maxCount: 1,
      direction: "backwards",
    });
    return last;
  }

  /** The snapshot a manifest points to, or null when its chunks are missing, short or altered. */
  async #readChunkedSnapshot(
    stream: string,
    recorded: ClientRecordedEvent,
  ): Promise<port.StoredSnapshot | null> {
    const decoded = decodeSnapshotManifest(recorded);
    if (decoded === null) return null;
    const { manifest, version } = decoded;
    const chunks = await this.#read(this.#prefix + manifest.chunkStream, {
      fromRevision: 0n,
      maxCount: manifest.chunks,
      direction: "forwards",
    });
    const payload = assembleSnapshotPayload(manifest, chunks);
    return payload === null ? null : { stream, version, payload };
  }

  /** One append per chunk, each at its exact revision in the write's own fresh stream. */
  async #writeChunks(
    manifest: SnapshotManifest,
    payload: Uint8Array,
    chunkBytes: number,
  ): Promise<void> {
    const stream = this.#prefix + manifest.chunkStream;
    for (let index = 0; index < manifest.chunks; index += 1) {
      const event = snapshotChunkEvent(manifest, payload, chunkBytes, index);
      await this.#appendRetrying(stream, event, index === 0 ? "no_stream" : BigInt(index - 1));
    }
  }

  /**
   * Appends one event at an exact revision; an unknown outcome is retried with the same id,
   * which the server recognises if the first attempt landed.
   */
  async #appendRetrying(
    stream: string,
    event: ClientProposedEvent,
    expected: ClientExpectedRevision,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.#client.append(stream, [event], expected);
        if (!result.success)
          throw new StoreError(`${JSON.stringify(stream)} is not at the revision expected`, false);
        return;
      } catch (error) {
        if (isTransient(error) && attempt < this.#limits.appendAttemptsMax) {
          await delay(this.#limits.appendRetryDelayMs);
          continue;
        }
        throw toStoreError(error, `append to ${JSON.stringify(stream)}`);
      }
    }
  }

  /**
   * Appends the manifest at the exact revision just read (never `any`): last event wins, and
   * a concurrent writer shows up as a conflict, then the write is tried again on top of it.
   * Returns the manifest it replaced, if the event before it was one.
   */
  async #writeManifest(
    snapshot: port.StoredSnapshot,
    manifest: SnapshotManifest,
  ): Promise<SnapshotManifest | null> {
    const snapshotStream = this.#prefix + snapshotStreamName(snapshot.stream);
    const event = snapshotManifestEvent(snapshot.stream, snapshot.version, manifest);
    let replaced: SnapshotManifest | null = null;
    for (let attempt = 1; ; attempt += 1) {
      const last = await this.#lastSnapshotEvent(snapshot.stream);
      // Our own manifest: an earlier attempt whose outcome was unknown landed.
      if (last?.id === event.id) return replaced;
      replaced = last === undefined ? null : (decodeSnapshotManifest(last)?.manifest ?? null);
      try {
        if (last === undefined) await this.#client.setMaxCount(snapshotStream, 1);
        await this.#client.append(
          snapshotStream,
          [event],
          last === undefined ? "no_stream" : last.revision,
        );
        return replaced;
      } catch (error) {
        const conflict = errorType(error) === "wrong-expected-version";
        if ((conflict || isTransient(error)) && attempt < this.#limits.snapshotWriteAttemptsMax)
          continue;
        throw toStoreError(error, `write snapshot of ${JSON.stringify(snapshot.stream)}`);
      }
    }
  }

  /**
   * Soft-deletes the chunks of the snapshot just replaced. Best effort, errors ignored: the new
   * snapshot is durable and readable whatever happens here, and a failure (node lost, another
   * writer deleted them first) only leaves old chunks behind for an operator to delete.
   */
  async #deleteChunks(replaced: SnapshotManifest): Promise<void> {
    try {
      await this.#client.deleteStream(
        this.#prefix + replaced.chunkStream,
        BigInt(replaced.chunks - 1),
      );
    } catch {
      // See above: nothing to undo, nothing the caller could do.
    }
  }

  // -- utils ------------------------------------------------------------------------------

  async #read(
    stream: string,
    options: Parameters<ClientApi["readStream"]>[1],
  ): Promise<ClientRecordedEvent[]> {
    const recorded: ClientRecordedEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(stream, options)) {
        if (resolved.event !== undefined) recorded.push(resolved.event);
      }
    } catch (error) {
      if (errorType(error) === "stream-not-found") return [];
      throw toStoreError(error, `read ${JSON.stringify(stream)}`);
    }
    return recorded;
  }

  async #conflict(
    stream: string,
    expectedVersion: number,
    actual: bigint | "no_stream" | null,
  ): Promise<port.AppendResult> {
    const actualVersion =
      actual === null
        ? await this.streamVersion(stream)
        : actual === "no_stream"
          ? 0
          : Number(actual) + 1;
    return { _tag: "VersionConflict", expectedVersion, actualVersion };
  }

  /** Position of the event at `revision`: for idempotent replies that carry none. */
  async #positionOf(stream: string, revision: bigint) {
    const [event] = await this.#read(this.#prefix + stream, {
      fromRevision: revision,
      maxCount: 1,
      direction: "forwards",
    });
    if (event?.position === undefined || event.revision !== revision) {
      throw new StoreError(`event ${revision} of ${JSON.stringify(stream)} has no position`, true);
    }
    return event.position;
  }

  #storedEventOf(resolved: ClientResolvedEvent): port.StoredEvent | null {
    const recorded = resolved.event;
    return recorded === undefined || !this.#isLedgerStream(recorded.streamId)
      ? null
      : this.#storedEvent(recorded);
  }

  #isLedgerStream(serverStream: string): boolean {
    return this.#ledgerStream.test(serverStream);
  }

  #storedEvent(recorded: ClientRecordedEvent): port.StoredEvent {
    const event = storedEvent(recorded);
    if (!event.stream.startsWith(this.#prefix))
      throw new StoreFormatError(
        `stream ${JSON.stringify(event.stream)} is outside the namespace ${JSON.stringify(this.#prefix)}`,
      );
    return { ...event, stream: event.stream.slice(this.#prefix.length) };
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError("the EventStoreDB store is closed", false);
  }
}

function proposedEvent(event: port.NewEvent): ClientProposedEvent {
  return {
    id: eventUuid(event.eventId),
    type: event.type,
    contentType: "application/octet-stream",
    // Plain Uint8Arrays: the clients test `metadata.constructor === Uint8Array` (a Buffer
    // would be JSON-serialised as an object).
    data: new Uint8Array(Buffer.from(event.payload, "utf8")),
    metadata: new Uint8Array(eventMetadataBytes(event.eventId)),
  };
}

function storedEvent(recorded: ClientRecordedEvent): port.StoredEvent {
  if (!(recorded.data instanceof Uint8Array) || recorded.position === undefined) {
    throw new StoreFormatError(
      `event ${recorded.id} in ${JSON.stringify(recorded.streamId)} was not written by Pacioli (data is not bytes, or no position)`,
    );
  }
  return {
    eventId: eventIdOf(recorded.metadata) ?? recorded.id,
    type: recorded.type,
    payload: Buffer.from(
      recorded.data.buffer,
      recorded.data.byteOffset,
      recorded.data.byteLength,
    ).toString("utf8"),
    stream: recorded.streamId,
    streamIndex: Number(recorded.revision),
    position: encodePosition(recorded.position),
  };
}

/** A snapshot written as one event, as before chunking (still read, no longer written). */
function snapshotOf(stream: string, recorded: ClientRecordedEvent): port.StoredSnapshot {
  const version = snapshotVersionOf(recorded.metadata);
  if (!(recorded.data instanceof Uint8Array) || version === null) {
    throw new StoreFormatError(
      `snapshot event ${recorded.id} of ${JSON.stringify(stream)} is not a Pacioli snapshot`,
    );
  }
  return { stream, version, payload: Buffer.from(recorded.data).toString("utf8") };
}

function isTransient(error: unknown): boolean {
  const type = errorType(error);
  if (type !== null && transient_error_types.has(type)) return true;
  const code =
    typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "number" && transient_grpc_codes.has(code);
}

function toStoreError(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreError(`EventStoreDB could not ${what}: ${detail}`, isTransient(error), {
    cause: error,
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
