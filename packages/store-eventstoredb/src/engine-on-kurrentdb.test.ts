/**
 * The engine on the EventStoreDB/KurrentDB adapter driving `@kurrent/kurrentdb-client` (the
 * default client) against the gRPC test double. This file must not load
 * `@eventstore/db-client` (see client-api.ts); the other client has its own file.
 */
import { engineOnStoreSuite } from "@pacioli/store-testkit";
import { appendSizeBytes } from "./append-size.js";
import { storeOnDoubleFixture } from "./testing/store-on-double-fixture.js";

engineOnStoreSuite(
  "EventStoreDbStore (@kurrent/kurrentdb-client) on the gRPC double",
  storeOnDoubleFixture("kurrentdb"),
  { appendSizeBytes },
);
