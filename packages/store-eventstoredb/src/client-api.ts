/**
 * The part of the EventStoreDB/KurrentDB Node clients the adapter uses, behind one interface.
 *
 * `@kurrent/kurrentdb-client` 1.x is the successor of `@eventstore/db-client` 6.x and speaks
 * the same gRPC protocol. Their APIs differ in one place the adapter touches: the expected
 * revision of an append is `expectedRevision` in the EventStoreDB client and `streamState` in
 * the KurrentDB client. Everything else used here (readStream, readAll, subscribeToAll,
 * setStreamMetadata, deleteStream — `expectedRevision` in both —, dispose, error `type`
 * strings) has the same shape, so this module only
 * picks the option name and narrows the types.
 *
 * The flavour of a client handed in is recognised by `multiStreamAppend`, which only the
 * KurrentDB client has; callers can also say it explicitly.
 *
 * Neither client package is imported at run time here: the generated protobuf modules of the
 * two packages register into one global `proto.event_store.*` namespace of the shared
 * `google-protobuf`, so loading both into one process corrupts whichever loaded first (seen:
 * the KurrentDB client's BatchAppend fails after the EventStoreDB client is loaded). The
 * adapter loads a client package only when it is asked to connect with a connection string.
 */
import type { EventStoreDBClient } from "@eventstore/db-client";
import type { KurrentDBClient } from "@kurrent/kurrentdb-client";

/** A client the user passes in: either package's client. */
export type EventStoreDbClient = KurrentDBClient | EventStoreDBClient;

export type ClientFlavour = "kurrentdb" | "eventstoredb";

export interface ClientPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly isJson: boolean;
  readonly position?: ClientPosition | undefined;
}

export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent | undefined;
}

export interface ClientAppendResult {
  readonly success: boolean;
  readonly nextExpectedRevision: bigint;
  readonly position?: ClientPosition | undefined;
}

export interface ClientProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: "application/octet-stream";
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type ClientExpectedRevision = bigint | "no_stream";

export interface ClientFilter {
  readonly filterOn: "streamName";
  readonly regex: string;
  readonly checkpointInterval: number;
}

export interface ClientSubscription extends AsyncIterable<ClientResolvedEvent> {
  unsubscribe(): Promise<void>;
}

/** What the adapter calls; implemented by `clientApi` over either client. */
export interface ClientApi {
  readonly flavour: ClientFlavour;
  append(
    stream: string,
    events: readonly ClientProposedEvent[],
    expected: ClientExpectedRevision,
  ): Promise<ClientAppendResult>;
  readStream(
    stream: string,
    options: {
      readonly fromRevision: bigint | "start" | "end";
      readonly maxCount: number;
      readonly direction: "forwards" | "backwards";
    },
  ): AsyncIterable<ClientResolvedEvent>;
  readAll(options: {
    readonly fromPosition: ClientPosition | "start";
    readonly maxCount: number;
    readonly filter: ClientFilter;
  }): AsyncIterable<ClientResolvedEvent>;
  subscribeToAll(options: {
    readonly fromPosition: ClientPosition | "start";
    readonly filter: ClientFilter;
  }): ClientSubscription;
  setMaxCount(stream: string, maxCount: number): Promise<void>;
  /** Soft delete (reads then find no stream; scavenging frees the space), at an exact revision. */
  deleteStream(stream: string, expected: bigint): Promise<void>;
  dispose(): Promise<void>;
}

/** The methods both clients share, typed as the adapter uses them. */
interface RawClient {
  appendToStream(
    stream: string,
    events: readonly ClientProposedEvent[],
    options: Record<string, unknown>,
  ): Promise<ClientAppendResult>;
  readStream(stream: string, options: Record<string, unknown>): AsyncIterable<ClientResolvedEvent>;
  readAll(options: Record<string, unknown>): AsyncIterable<ClientResolvedEvent>;
  subscribeToAll(options: Record<string, unknown>): ClientSubscription;
  setStreamMetadata(stream: string, metadata: Record<string, unknown>): Promise<unknown>;
  deleteStream(stream: string, options: Record<string, unknown>): Promise<unknown>;
  dispose(): Promise<void>;
}

export function clientFlavour(client: EventStoreDbClient): ClientFlavour {
  return "multiStreamAppend" in client && typeof client.multiStreamAppend === "function"
    ? "kurrentdb"
    : "eventstoredb";
}

export function clientApi(
  client: EventStoreDbClient,
  flavour: ClientFlavour = clientFlavour(client),
): ClientApi {
  const raw = client as unknown as RawClient;
  const revisionOption = flavour === "kurrentdb" ? "streamState" : "expectedRevision";
  return {
    flavour,
    append: (stream, events, expected) =>
      raw.appendToStream(stream, events, { [revisionOption]: expected }),
    readStream: (stream, options) => raw.readStream(stream, { ...options }),
    readAll: (options) => raw.readAll({ ...options }),
    subscribeToAll: (options) => raw.subscribeToAll({ ...options }),
    setMaxCount: async (stream, maxCount) => {
      await raw.setStreamMetadata(stream, { maxCount });
    },
    deleteStream: async (stream, expected) => {
      await raw.deleteStream(stream, { expectedRevision: expected });
    },
    dispose: () => raw.dispose(),
  };
}

/** The error `type` both clients put on their command errors (e.g. "wrong-expected-version"). */
export function errorType(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const type = (error as { type?: unknown }).type;
  return typeof type === "string" ? type : null;
}

/** The stream revision a WrongExpectedVersionError reports, when the client exposes it. */
export function actualRevisionOf(error: unknown): bigint | "no_stream" | null {
  if (typeof error !== "object" || error === null) return null;
  // KurrentDB client: `actualState`; EventStoreDB client: `actualVersion`.
  const { actualState, actualVersion } = error as {
    actualState?: unknown;
    actualVersion?: unknown;
  };
  const actual = actualState ?? actualVersion;
  if (typeof actual === "bigint" || actual === "no_stream") return actual;
  return null;
}
