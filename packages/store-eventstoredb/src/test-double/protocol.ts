/**
 * The protocol the test double speaks, loaded from the generated code INSIDE a client package.
 *
 * The double does not carry its own `.proto` files: it serves the very service definitions
 * (`streams_grpc_pb`, `serverfeatures_grpc_pb`) and message classes (`streams_pb`, `shared_pb`,
 * `status_pb`) that the client under test was generated from, so a message the client cannot
 * decode cannot be produced by the double either. Both clients speak the same wire protocol
 * (`event_store.client.*`); their generated modules only live at different paths, so the double
 * can be built from either and each client can be tested against a double built from its own
 * package.
 *
 * Types come from the KurrentDB client's declarations; the EventStoreDB client's generated
 * classes have the same shape (same protos), which the test suite checks by running both.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import type * as StreamsPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js";
import type * as SharedPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js";
import type * as StatusPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js";
import type * as ServerFeaturesPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js";

/** Which client package's generated code the double is built from. */
export type ProtocolSource = "@kurrent/kurrentdb-client" | "@eventstore/db-client";

/** The two well-known types the double builds itself (`google.protobuf.Any`, `.Empty`). */
export interface GoogleAny {
  pack(serialized: Uint8Array, name: string, typeUrlPrefix?: string): void;
}
export interface GoogleProtobuf {
  readonly Any: new () => GoogleAny;
  readonly Empty: new () => object;
}

export interface Protocol {
  readonly source: ProtocolSource;
  readonly streams: typeof StreamsPb;
  readonly shared: typeof SharedPb;
  readonly status: typeof StatusPb;
  readonly serverFeatures: typeof ServerFeaturesPb;
  readonly googleAny: Pick<GoogleProtobuf, "Any">;
  readonly googleEmpty: Pick<GoogleProtobuf, "Empty">;
  readonly streamsService: grpc.ServiceDefinition;
  readonly serverFeaturesService: grpc.ServiceDefinition;
}

const generatedDirectoryBySource: Record<ProtocolSource, string> = {
  "@kurrent/kurrentdb-client": "generated/kurrentdb/protocols/v1",
  "@eventstore/db-client": "generated",
};

const cache = new Map<ProtocolSource, Protocol>();

export function loadProtocol(source: ProtocolSource): Protocol {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve(`${source}/package.json`));
  const generated = join(packageRoot, generatedDirectoryBySource[source]);
  // google-protobuf must be the very copy the generated classes were built against:
  // `Any.pack`/`Empty` instances from another copy would not serialise into them.
  const generatedRequire = createRequire(join(generated, "streams_pb.js"));
  const load = <T>(file: string): T => generatedRequire(join(generated, file)) as T;
  const streamsGrpc = load<{ StreamsService: grpc.ServiceDefinition }>("streams_grpc_pb.js");
  const serverFeaturesGrpc = load<{ ServerFeaturesService: grpc.ServiceDefinition }>(
    "serverfeatures_grpc_pb.js",
  );
  const protocol: Protocol = {
    source,
    streams: load<typeof StreamsPb>("streams_pb.js"),
    shared: load<typeof SharedPb>("shared_pb.js"),
    status: load<typeof StatusPb>("status_pb.js"),
    serverFeatures: load<typeof ServerFeaturesPb>("serverfeatures_pb.js"),
    googleAny: generatedRequire("google-protobuf/google/protobuf/any_pb.js") as Pick<
      GoogleProtobuf,
      "Any"
    >,
    googleEmpty: generatedRequire("google-protobuf/google/protobuf/empty_pb.js") as Pick<
      GoogleProtobuf,
      "Empty"
    >,
    streamsService: streamsGrpc.StreamsService,
    serverFeaturesService: serverFeaturesGrpc.ServerFeaturesService,
  };
  cache.set(source, protocol);
  return protocol;
}
