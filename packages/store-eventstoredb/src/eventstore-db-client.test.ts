/**
 * The adapter driving `@eventstore/db-client` 6.2.1 against the gRPC double built from that
 * package's generated code. This file must not load `@kurrent/kurrentdb-client` at run time
 * (see client-api.ts); vitest runs each test file in its own module graph.
 */
import { eventStoreContract } from "@pacioli/store-testkit";
import { afterAll } from "vitest";
import { storesOnSharedDouble } from "./adapter-on-double.js";
import { adapterBehaviour } from "./adapter-behaviour.js";

const clientPackage = "@eventstore/db-client";

const batchAppend = storesOnSharedDouble(clientPackage);
afterAll(() => batchAppend.stop());
eventStoreContract(
  "EventStoreDbStore (@eventstore/db-client, BatchAppend) on the gRPC double",
  batchAppend.open,
  { numRuns: 40 },
);
const unaryAppend = storesOnSharedDouble(clientPackage, {
  advertiseBatchAppend: false,
  idempotentWithoutPosition: true,
});
afterAll(() => unaryAppend.stop());
eventStoreContract(
  "EventStoreDbStore (@eventstore/db-client, Append, idempotent replies without position) on the gRPC double",
  unaryAppend.open,
  { numRuns: 20 },
);
adapterBehaviour(clientPackage);
