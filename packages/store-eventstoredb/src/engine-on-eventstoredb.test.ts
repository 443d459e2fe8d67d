/**
 * The engine on the EventStoreDB/KurrentDB adapter driving `@eventstore/db-client` against
 * the gRPC test double (`esdb://` connection strings). This file must not load
 * `@kurrent/kurrentdb-client` (see client-api.ts); the default client has its own file.
 */
import { engineOnStoreSuite } from "@pacioli/store-testkit";
import { appendSizeBytes } from "./append-size.js";
import { storeOnDoubleFixture } from "./testing/store-on-double-fixture.js";

engineOnStoreSuite(
  "EventStoreDbStore (@eventstore/db-client) on the gRPC double",
  storeOnDoubleFixture("eventstoredb"),
  { appendSizeBytes },
);
