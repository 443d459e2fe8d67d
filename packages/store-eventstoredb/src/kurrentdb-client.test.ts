/**
 * The adapter driving `@kurrent/kurrentdb-client` 1.3.1 (reads through its Rust bridge,
 * appends through grpc-js) against the gRPC double built from that package's generated code.
 * This file must not load `@eventstore/db-client` (see client-api.ts); vitest runs each test
 * file in its own module graph.
 */
import { eventStoreContract } from "@pacioli/store-testkit";
import { afterAll } from "vitest";
import { storesOnSharedDouble } from "./adapter-on-double.js";
import { adapterBehaviour } from "./adapter-behaviour.js";

const clientPackage = "@kurrent/kurrentdb-client";

const batchAppend = storesOnSharedDouble(clientPackage);
afterAll(() => batchAppend.stop());
eventStoreContract(
  "EventStoreDbStore (@kurrent/kurrentdb-client, BatchAppend) on the gRPC double",
  batchAppend.open,
  { numRuns: 40 },
);
const unaryAppend = storesOnSharedDouble(clientPackage, {
  advertiseBatchAppend: false,
  idempotentWithoutPosition: true,
});
afterAll(() => unaryAppend.stop());
eventStoreContract(
  "EventStoreDbStore (@kurrent/kurrentdb-client, Append, idempotent replies without position) on the gRPC double",
  unaryAppend.open,
  { numRuns: 20 },
);
adapterBehaviour(clientPackage);
