/**
 * The contract against a real EventStoreDB/KurrentDB node or cluster, when `KURRENTDB_URL`
 * is set (e.g. `kurrentdb://127.0.0.1:2113?tls=false`); skipped otherwise, with the reason
 * in the test name. Each store gets a fresh stream namespace, so a server that already holds
 * data (or earlier runs) does not disturb the run. Uses the default client
 * (`@kurrent/kurrentdb-client`); set `KURRENTDB_CLIENT=@eventstore/db-client` for the other.
 */
import { randomUUID } from "node:crypto";
import { describe, it } from "vitest";
import { eventStoreContract } from "@pacioli/store-testkit";
import { openEventStoreDbStore } from "./open-event-store-db-store.js";

const url = process.env["KURRENTDB_URL"];
const clientPackage =
  process.env["KURRENTDB_CLIENT"] === "@eventstore/db-client"
    ? "@eventstore/db-client"
    : "@kurrent/kurrentdb-client";

if (url === undefined || url === "") {
  describe("EventStoreDbStore on a real server", () => {
    // Skipped on purpose where no server runs (CI machines have no Docker engine and no server
    // package); the same contract runs against the gRPC test double in the other test files.
    it.skip("skipped: KURRENTDB_URL is not set (see docs/operations/eventstoredb.md to start a node)", () =>
      undefined);
  });
} else {
  eventStoreContract(
    `EventStoreDbStore (${clientPackage}) on the real server at KURRENTDB_URL`,
    async () => ({
      store: await openEventStoreDbStore(
        { connectionString: url, clientPackage },
        { streamPrefix: `pacioli-test-${randomUUID()}:` },
      ),
    }),
    { numRuns: 20 },
  );
}
