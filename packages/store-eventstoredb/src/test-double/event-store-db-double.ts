/**
 * A gRPC test double of an EventStoreDB/KurrentDB node, served by `@grpc/grpc-js` from the
 * service definitions generated inside the client packages (see `protocol.ts`).
 *
 * EventStoreDB cannot run on the machines this project is developed on (no Docker engine, no
 * server package), so the adapter is tested against this double, and against a real server
 * whenever `KURRENTDB_URL` is set. The double implements exactly the RPCs the two clients
 * use for what the adapter does, with the server semantics of `double-log.ts`:
 *
 * - `ServerFeatures.GetSupportedMethods`: both Node clients probe it to decide between
 *   `Streams.BatchAppend` (what they use against every server since 21.10) and the older
 *   `Streams.Append`; the KurrentDB client's Rust read bridge probes it too. The double
 *   advertises `BatchAppend` by default, like a real server; `advertiseBatchAppend: false`
 *   makes the clients fall back to `Append`, so both append paths are tested.
 * - `Streams.Append` and `Streams.BatchAppend`: exact-revision checks, idempotent retries,
 *   `WrongExpectedVersion`, the maximum append size.
 * - `Streams.Delete`: soft deletes, as the adapter uses them for replaced snapshot chunks.
 * - `Streams.Read`: stream reads forwards/backwards with a count, `$all` reads with a stream-name
 *   or event-type filter (regex or prefixes), and `$all` subscriptions: confirmation, catch-up,
 *   `CaughtUp`, then live events. Stream subscriptions are not implemented (the adapter does not
 *   use them) and fail with UNIMPLEMENTED, so a client relying on them finds out.
 *
 * Fault injection for tests: `dropSubscriptions()` ends every live subscription with
 * UNAVAILABLE, as a node restart or a leader change would; `dropSubscriptionsAfter(n)` ends the
 * next subscription after it has delivered n events, to cut a catch-up in the middle.
 *
 * Not modelled: TLS and authentication (use `?tls=false`), gossip and clusters, tombstones,
 * persistent subscriptions, projections, operations, users.
 */
import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import type * as StreamsPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js";
import type * as SharedPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js";
import {
  DoubleLog,
  type DoubleLogOptions,
  type DoubleRecord,
  type ExpectedRevision,
  type ProposedRecord,
  type AppendOutcome,
} from "./double-log.js";
import { expectedRevisionOf, writeExpectedRevision } from "./expected-revision-message.js";
import { loadProtocol, type Protocol, type ProtocolSource } from "./protocol.js";
import {
  identifier,
  proposedRecord,
  streamName,
  uuidMessage,
  uuidString,
} from "./proto-messages.js";

export interface EventStoreDbDoubleOptions extends DoubleLogOptions {
  /** Whose generated code to serve (default: the KurrentDB client's). */
  readonly protocolSource?: ProtocolSource;
  /** Advertise `Streams.BatchAppend` in ServerFeatures (default true, like every server since 21.10). */
  readonly advertiseBatchAppend?: boolean;
  /** Report idempotent retries without a position (`no_position`), as some server versions do. */
  readonly idempotentWithoutPosition?: boolean;
  /** Share state with another double (e.g. to restart the "server" without losing the log). */
  readonly log?: DoubleLog;
  /** Version reported by ServerFeatures. */
  readonly serverVersion?: string;
}

export interface EventStoreDbDouble {
  readonly log: DoubleLog;
  readonly port: number;
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly esdbUrl: string;
  /** `kurrentdb://127.0.0.1:<port>?tls=false` */
  readonly kurrentDbUrl: string;
  /** Live subscriptions (`$all` reads in subscription mode) currently open. */
  readonly activeSubscriptionCount: number;
  /** Ends every live subscription with UNAVAILABLE. */
  dropSubscriptions(): void;
  /** Ends the next subscription opened (or one already open) once it has delivered `events` more events. */
  dropSubscriptionsAfter(events: number): void;
  stop(): Promise<void>;
}

const SERVER_VERSION_DEFAULT = "24.10.0";

interface ActiveSubscription {
  readonly call: grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>;
  dropAfter: number | null;
  end(status: Partial<grpc.StatusObject>): void;
}

export async function startEventStoreDbDouble(
  options: EventStoreDbDoubleOptions = {},
): Promise<EventStoreDbDouble> {
  const protocol = loadProtocol(options.protocolSource ?? "@kurrent/kurrentdb-client");
  const log = options.log ?? new DoubleLog(options);
  const subscriptions = new Set<ActiveSubscription>();
  let pendingDropAfter: number | null = null;
  const server = new grpc.Server();
  const handlers = new StreamsHandlers(protocol, log, options, subscriptions, () => {
    const value = pendingDropAfter;
    pendingDropAfter = null;
    return value;
  });

  server.addService(protocol.streamsService, {
    read: handlers.read,
    append: handlers.append,
    batchAppend: handlers.batchAppend,
    delete: handlers.delete,
    tombstone: unimplemented("Streams.Tombstone"),
  });
  server.addService(protocol.serverFeaturesService, {
    getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
      callback(null, supportedMethods(protocol, options));
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error === null ? resolve(boundPort) : reject(error),
    );
  });

  return {
    log,
    port,
    esdbUrl: `esdb://127.0.0.1:${port}?tls=false`,
    kurrentDbUrl: `kurrentdb://127.0.0.1:${port}?tls=false`,
    get activeSubscriptionCount() {
      return subscriptions.size;
    },
    dropSubscriptions() {
      for (const subscription of [...subscriptions]) {
        subscription.end({
          code: grpc.status.UNAVAILABLE,
          details: "subscription dropped by the test double",
        });
      }
    },
    dropSubscriptionsAfter(events: number) {
      const open = [...subscriptions];
      if (open.length === 0) pendingDropAfter = events;
      for (const subscription of open) subscription.dropAfter = events;
    },
    async stop() {
      for (const subscription of [...subscriptions]) {
        subscription.end({ code: grpc.status.UNAVAILABLE, details: "server stopping" });
      }
      // Force: clients keep their HTTP/2 sessions open (the Rust bridge until it is collected),
      // and a graceful shutdown would wait for them.
      server.forceShutdown();
    },
  };
}

function unimplemented(method: string) {
  return (
    call: { emit?: (event: string, error: unknown) => void },
    callback?: grpc.sendUnaryData<unknown>,
  ) => {
    const error = {
      code: grpc.status.UNIMPLEMENTED,
      details: `${method} is not implemented by the test double`,
    };
    if (callback !== undefined) callback(error, null);
    else call.emit?.("error", error);
  };
}

function supportedMethods(protocol: Protocol, options: EventStoreDbDoubleOptions) {
  const { SupportedMethods, SupportedMethod } = protocol.serverFeatures;
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const methods = [
    method("event_store.client.streams.streams", "read", ["position", "events"]),
    method("event_store.client.streams.streams", "append"),
    method("event_store.client.server_features.serverfeatures", "getsupportedmethods"),
  ];
  if (options.advertiseBatchAppend ?? true)
    methods.push(method("event_store.client.streams.streams", "batchappend"));
  return new SupportedMethods()
    .setEventStoreServerVersion(options.serverVersion ?? SERVER_VERSION_DEFAULT)
    .setMethodsList(methods);
}

/** The Streams service: one method per RPC, each translating messages to `DoubleLog` calls. */
class StreamsHandlers {
  constructor(
    private readonly protocol: Protocol,
    private readonly log: DoubleLog,
    private readonly options: EventStoreDbDoubleOptions,
    private readonly subscriptions: Set<ActiveSubscription>,
    private readonly takePendingDrop: () => number | null,
  ) {}

  // -- Read ---------------------------------------------------------------------------------

  readonly read = (
    call: grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>,
  ): void => {
    const options = call.request.getOptions();
    if (options === undefined)
      return this.#fail(call, grpc.status.INVALID_ARGUMENT, "ReadReq without options");
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
    const backwards =
      options.getReadDirection() === this.protocol.streams.ReadReq.Options.ReadDirection.BACKWARDS;
    const filter = this.#filter(options);
    if (options.hasSubscription()) {
      if (!options.hasAll())
        return this.#fail(
          call,
          grpc.status.UNIMPLEMENTED,
          "stream subscriptions are not implemented by the test double",
        );
      return this.#subscribeToAll(call, options.getAll(), filter, structuredIds);
    }
    const records = options.hasStream()
      ? this.#readStream(call, options.getStream(), backwards)
      : this.#readAll(options.getAll(), backwards, filter);
    if (records === null) return;
    let written = 0;
    for (const record of records) {
      if (written >= count) break;
      call.write(this.#eventResponse(record, structuredIds));
      written += 1;
    }
    call.end();
  };

  #readStream(
    call: grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>,
    streamOptions: StreamsPb.ReadReq.Options.StreamOptions | undefined,
    backwards: boolean,
  ): readonly DoubleRecord[] | null {
    const stream = streamName(streamOptions?.getStreamIdentifier());
    const visible = this.log.visibleStream(stream);
    if (visible === null) {
      const notFound = new this.protocol.streams.ReadResp.StreamNotFound().setStreamIdentifier(
        identifier(this.protocol, stream),
      );
      call.write(new this.protocol.streams.ReadResp().setStreamNotFound(notFound));
      call.end();
      return null;
    }
    const from = streamOptions?.hasRevision() ? Number(streamOptions.getRevision()) : null;
    if (backwards) {
      const atOrBefore =
        streamOptions?.hasEnd() || from === null
          ? visible
          : visible.filter((record) => record.revision <= from);
      return [...atOrBefore].reverse();
    }
    if (streamOptions?.hasEnd()) return [];
    return from === null ? visible : visible.filter((record) => record.revision >= from);
  }

  #readAll(
    allOptions: StreamsPb.ReadReq.Options.AllOptions | undefined,
    backwards: boolean,
    filter: (record: DoubleRecord) => boolean,
  ): readonly DoubleRecord[] {
    const records = this.log.records;
    const position = allOptions?.getPosition();
    const index =
      allOptions?.hasPosition() && position !== undefined
        ? this.log.indexAtOrAfter(
            BigInt(position.getCommitPosition()),
            BigInt(position.getPreparePosition()),
          )
        : allOptions?.hasEnd()
          ? records.length
          : backwards
            ? records.length
            : 0;
    // Forwards reads from a position include the event at that position; backwards reads
    // return the events before it. Both as on the server.
    const selected = backwards ? records.slice(0, index).reverse() : records.slice(index);
    return selected.filter(filter);
  }

  #subscribeToAll(
    call: grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>,
    allOptions: StreamsPb.ReadReq.Options.AllOptions | undefined,
    filter: (record: DoubleRecord) => boolean,
    structuredIds: boolean,
  ): void {
    const { ReadResp } = this.protocol.streams;
    let cursor = 0;
    const position = allOptions?.getPosition();
    if (allOptions?.hasEnd()) cursor = this.log.records.length;
    else if (allOptions?.hasPosition() && position !== undefined) {
      const commit = BigInt(position.getCommitPosition());
      const prepare = BigInt(position.getPreparePosition());
      cursor = this.log.indexAtOrAfter(commit, prepare);
      // Subscriptions start strictly after the given position (reads include it).
      const atCursor = this.log.records[cursor];
      if (atCursor !== undefined && atCursor.commit === commit && atCursor.prepare === prepare)
        cursor += 1;
    }
    let ended = false;
    let unsubscribe = (): void => {};
    const subscription: ActiveSubscription = {
      call,
      dropAfter: this.takePendingDrop(),
      end: (status) => {
        if (ended) return;
        ended = true;
        unsubscribe();
        this.subscriptions.delete(subscription);
        if (status.code === grpc.status.OK) call.end();
        // Emitting "error" makes grpc-js flush what was written, then send the status, as a
        // server does when it ends a subscription; `destroy` would discard the buffered events.
        else call.emit("error", Object.assign(new Error(status.details ?? "ended"), status));
      },
    };
    const pump = (): void => {
      while (!ended && cursor < this.log.records.length) {
        const record = this.log.records[cursor];
        cursor += 1;
        if (record === undefined || !filter(record)) continue;
        if (subscription.dropAfter !== null) {
          if (subscription.dropAfter <= 0) {
            subscription.end({
              code: grpc.status.UNAVAILABLE,
              details: "subscription dropped by the test double",
            });
            return;
          }
          subscription.dropAfter -= 1;
        }
        call.write(this.#eventResponse(record, structuredIds));
      }
    };
    this.subscriptions.add(subscription);
    call.on("cancelled", () => subscription.end({ code: grpc.status.CANCELLED }));
    call.on("error", () => subscription.end({ code: grpc.status.CANCELLED }));
    const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
    call.write(new ReadResp().setConfirmation(confirmation));
    pump();
    if (!ended) call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    unsubscribe = this.log.onAppend(pump);
  }

  #filter(options: StreamsPb.ReadReq.Options): (record: DoubleRecord) => boolean {
    if (!options.hasFilter()) return () => true;
    const filter = options.getFilter();
    const onStream = filter?.hasStreamIdentifier() ?? false;
    const expression = onStream ? filter?.getStreamIdentifier() : filter?.getEventType();
    const regexSource = expression?.getRegex() ?? "";
    const prefixes = expression?.getPrefixList() ?? [];
    const regex = regexSource === "" ? null : new RegExp(regexSource);
    return (record) => {
      const subject = onStream ? record.stream : record.type;
      if (regex !== null) return regex.test(subject);
      return prefixes.length === 0 || prefixes.some((prefix) => subject.startsWith(prefix));
    };
  }

  #eventResponse(record: DoubleRecord, structuredIds: boolean): StreamsPb.ReadResp {
    const { ReadResp } = this.protocol.streams;
    const recorded = new ReadResp.ReadEvent.RecordedEvent()
      .setId(uuidMessage(this.protocol, record.id, structuredIds))
      .setStreamIdentifier(identifier(this.protocol, record.stream))
      .setStreamRevision(String(record.revision))
      .setCommitPosition(String(record.commit))
      .setPreparePosition(String(record.prepare))
      .setData(record.data)
      .setCustomMetadata(record.metadata);
    recorded.getMetadataMap().set("type", record.type);
    recorded.getMetadataMap().set("content-type", record.contentType);
    recorded.getMetadataMap().set("created", String(record.createdTicks));
    const event = new ReadResp.ReadEvent()
      .setEvent(recorded)
      .setCommitPosition(String(record.commit));
    return new ReadResp().setEvent(event);
  }

  #fail(
    call: grpc.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>,
    code: grpc.status,
    details: string,
  ): void {
    call.emit("error", Object.assign(new Error(details), { code, details }));
  }

  // -- Append -------------------------------------------------------------------------------

  readonly append = (
    call: grpc.ServerReadableStream<StreamsPb.AppendReq, StreamsPb.AppendResp>,
    callback: grpc.sendUnaryData<StreamsPb.AppendResp>,
  ): void => {
    let options: StreamsPb.AppendReq.Options | undefined;
    const proposed: ProposedRecord[] = [];
    call.on("data", (request: StreamsPb.AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      const message = request.getProposedMessage();
      if (request.hasProposedMessage() && message !== undefined)
        proposed.push(proposedRecord(message));
    });
    call.on("end", () => {
      if (options === undefined)
        return callback(
          { code: grpc.status.INVALID_ARGUMENT, details: "AppendReq without options" },
          null,
        );
      const expected = expectedRevisionOf(
        options.hasRevision() ? options.getRevision() : undefined,
        options.hasNoStream(),
        options.hasStreamExists(),
      );
      const outcome = this.log.append(
        streamName(options.getStreamIdentifier()),
        expected,
        proposed,
      );
      callback(...this.#appendResponse(outcome, expected));
    });
  };

  #appendResponse(
    outcome: AppendOutcome,
    expected: ExpectedRevision,
  ): [grpc.ServiceError | null, StreamsPb.AppendResp | null] {
    const { AppendResp } = this.protocol.streams;
    const empty = () => new this.protocol.shared.Empty();
    switch (outcome._tag) {
      case "Written":
      case "Idempotent": {
        const success = new AppendResp.Success();
        if (outcome.currentRevision < 0) success.setNoStream(empty());
        else success.setCurrentRevision(String(outcome.currentRevision));
        if (this.#withoutPosition(outcome)) success.setNoPosition(empty());
        else
          success.setPosition(
            new AppendResp.Position()
              .setCommitPosition(String(outcome.commit))
              .setPreparePosition(String(outcome.prepare)),
          );
        return [null, new AppendResp().setSuccess(success)];
      }
      case "WrongExpectedVersion": {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (outcome.currentRevision === null) wrong.setCurrentNoStream(empty());
        else wrong.setCurrentRevision(String(outcome.currentRevision));
        writeExpectedRevision(expected, {
          revision: (revision) => wrong.setExpectedRevision(revision),
          noStream: () => wrong.setExpectedNoStream(empty()),
          streamExists: () => wrong.setExpectedStreamExists(empty()),
          any: () => wrong.setExpectedAny(empty()),
        });
        return [null, new AppendResp().setWrongExpectedVersion(wrong)];
      }
      case "MaximumAppendSizeExceeded": {
        // The server answers the unary Append with an error status naming the exception.
        const metadata = new grpc.Metadata();
        metadata.set("exception", "maximum-append-size-exceeded");
        metadata.set("maximum-append-size", String(outcome.maxAppendSize));
        const error = Object.assign(new Error("Maximum Append Size Exceeded"), {
          code: grpc.status.INVALID_ARGUMENT,
          details: `Maximum Append Size of ${outcome.maxAppendSize} Exceeded.`,
          metadata,
        });
        return [error, null];
      }
    }
  }

  #withoutPosition(outcome: AppendOutcome): boolean {
    return outcome._tag === "Idempotent" && (this.options.idempotentWithoutPosition ?? false);
  }

  // -- Delete (soft) ----------------------------------------------------------------------

  readonly delete = (
    call: grpc.ServerUnaryCall<StreamsPb.DeleteReq, StreamsPb.DeleteResp>,
    callback: grpc.sendUnaryData<StreamsPb.DeleteResp>,
  ): void => {
    const options = call.request.getOptions();
    if (options === undefined)
      return callback(
        { code: grpc.status.INVALID_ARGUMENT, details: "DeleteReq without options" },
        null,
      );
    const stream = streamName(options.getStreamIdentifier());
    const expected = expectedRevisionOf(
      options.hasRevision() ? options.getRevision() : undefined,
      options.hasNoStream(),
      options.hasStreamExists(),
    );
    const outcome = this.log.softDelete(stream, expected);
    if (outcome._tag === "WrongExpectedVersion") {
      // As the server reports it on unary calls: FAILED_PRECONDITION naming the exception.
      const metadata = new grpc.Metadata();
      metadata.set("exception", "wrong-expected-version");
      metadata.set("stream-name", stream);
      metadata.set(
        "expected-version",
        expected._tag === "Revision" ? String(expected.revision) : "-1",
      );
      metadata.set("actual-version", String(outcome.currentRevision ?? -1));
      return callback(
        Object.assign(new Error("Wrong expected version"), {
          code: grpc.status.FAILED_PRECONDITION,
          details: "Wrong expected version",
          metadata,
        }),
        null,
      );
    }
    const position = new this.protocol.streams.DeleteResp.Position()
      .setCommitPosition(String(outcome.commit))
      .setPreparePosition(String(outcome.prepare));
    callback(null, new this.protocol.streams.DeleteResp().setPosition(position));
  };

  // -- BatchAppend --------------------------------------------------------------------------

  readonly batchAppend = (
    call: grpc.ServerDuplexStream<StreamsPb.BatchAppendReq, StreamsPb.BatchAppendResp>,
  ): void => {
    // One bidirectional call carries many appends, told apart by correlation id; an append's
    // events may span several requests, the last flagged `is_final`.
    const pending = new Map<
      string,
      { options: StreamsPb.BatchAppendReq.Options | undefined; proposed: ProposedRecord[] }
    >();
    call.on("data", (request: StreamsPb.BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = correlation === undefined ? "" : uuidString(correlation);
      const entry = pending.get(key) ?? { options: undefined, proposed: [] };
      if (request.hasOptions()) entry.options = request.getOptions();
      for (const message of request.getProposedMessagesList())
        entry.proposed.push(proposedRecord(message));
      pending.set(key, entry);
      if (!request.getIsFinal()) return;
      pending.delete(key);
      if (correlation !== undefined)
        call.write(this.#batchResponse(correlation, entry.options, entry.proposed));
    });
    call.on("end", () => call.end());
    call.on("error", () => undefined);
  };

  #batchResponse(
    correlation: SharedPb.UUID,
    options: StreamsPb.BatchAppendReq.Options | undefined,
    proposed: readonly ProposedRecord[],
  ): StreamsPb.BatchAppendResp {
    const { BatchAppendResp } = this.protocol.streams;
    const googleEmpty = () =>
      new this.protocol.googleEmpty.Empty() as ReturnType<StreamsPb.BatchAppendResp["getNoStream"]>;
    const stream = streamName(options?.getStreamIdentifier());
    const expected = expectedRevisionOf(
      options?.hasStreamPosition() === true ? options.getStreamPosition() : undefined,
      options?.hasNoStream() ?? false,
      options?.hasStreamExists() ?? false,
    );
    const response = new BatchAppendResp()
      .setCorrelationId(correlation)
      .setStreamIdentifier(identifier(this.protocol, stream));
    writeExpectedRevision(expected, {
      revision: (revision) => response.setStreamPosition(revision),
      noStream: () => response.setNoStream(googleEmpty()),
      streamExists: () => response.setStreamExists(googleEmpty()),
      any: () => response.setAny(googleEmpty()),
    });
    const outcome = this.log.append(stream, expected, proposed);
    switch (outcome._tag) {
      case "Written":
      case "Idempotent": {
        const success = new BatchAppendResp.Success();
        if (outcome.currentRevision < 0) success.setNoStream(googleEmpty());
        else success.setCurrentRevision(String(outcome.currentRevision));
        if (this.#withoutPosition(outcome)) success.setNoPosition(googleEmpty());
        else
          success.setPosition(
            new this.protocol.shared.AllStreamPosition()
              .setCommitPosition(String(outcome.commit))
              .setPreparePosition(String(outcome.prepare)),
          );
        return response.setSuccess(success);
      }
      case "WrongExpectedVersion": {
        const wrong = new this.protocol.shared.WrongExpectedVersion();
        if (outcome.currentRevision === null) wrong.setCurrentNoStream(googleEmpty());
        else wrong.setCurrentStreamRevision(String(outcome.currentRevision));
        writeExpectedRevision(expected, {
          revision: (revision) => wrong.setExpectedStreamPosition(revision),
          noStream: () => wrong.setExpectedNoStream(googleEmpty()),
          streamExists: () => wrong.setExpectedStreamExists(googleEmpty()),
          any: () => wrong.setExpectedAny(googleEmpty()),
        });
        return response.setError(
          this.#status(
            grpc.status.FAILED_PRECONDITION,
            "Wrong expected version",
            wrong.serializeBinary(),
            "event_store.client.WrongExpectedVersion",
          ),
        );
      }
      case "MaximumAppendSizeExceeded": {
        const exceeded = new this.protocol.shared.MaximumAppendSizeExceeded().setMaxappendsize(
          outcome.maxAppendSize,
        );
        return response.setError(
          this.#status(
            grpc.status.INVALID_ARGUMENT,
            "Maximum append size exceeded",
            exceeded.serializeBinary(),
            "event_store.client.MaximumAppendSizeExceeded",
          ),
        );
      }
    }
  }

  #status(code: grpc.status, message: string, details: Uint8Array, typeName: string) {
    const packed = new this.protocol.googleAny.Any();
    packed.pack(details, typeName);
    return new this.protocol.status.Status()
      .setCode(code as number as ReturnType<InstanceType<Protocol["status"]["Status"]>["getCode"]>)
      .setMessage(message)
      .setDetails(
        packed as Parameters<InstanceType<Protocol["status"]["Status"]>["setDetails"]>[0],
      );
  }
}
