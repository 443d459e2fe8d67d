/**
 * Test support: an `EventStoreDbStore` connected to a fresh gRPC test double, for one client
 * package. Used by this package's tests and reusable by the engine's and CLI's tests.
 *
 * Each call starts its own double (an ephemeral port, an empty log) so tests never share
 * state; `cleanup` stops it after the store (and its client) is closed.
 */
import { openEventStoreDbStore, type EventStoreDbStoreOptions } from "./open-event-store-db-store.js";
import type { EventStoreDbStore } from "./event-store-db-store.js";
import { startEventStoreDbDouble, type EventStoreDbDouble, type EventStoreDbDoubleOptions } from "./test-double/index.js";

export type ClientPackage = "@kurrent/kurrentdb-client" | "@eventstore/db-client";

export interface AdapterOnDouble {
  readonly store: EventStoreDbStore;
  readonly double: EventStoreDbDouble;
  readonly cleanup: () => Promise<void>;
}

export async function openAdapterOnDouble(
  clientPackage: ClientPackage,
  doubleOptions: EventStoreDbDoubleOptions = {},
  storeOptions: EventStoreDbStoreOptions = {},
): Promise<AdapterOnDouble> {
  // The double serves the generated code of the same package as the client: loading the
  // other package's protobuf modules would corrupt this one's (see client-api.ts).
  const double = await startEventStoreDbDouble({ protocolSource: clientPackage, ...doubleOptions });
  const connectionString = clientPackage === "@kurrent/kurrentdb-client" ? double.kurrentDbUrl : double.esdbUrl;
  const store = await openEventStoreDbStore({ connectionString, clientPackage }, storeOptions);
  return { store, double, cleanup: () => double.stop() };
}
