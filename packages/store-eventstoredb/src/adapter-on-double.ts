/**
 * Test support: an `EventStoreDbStore` connected to a fresh gRPC test double, for one client
 * package. Used by this package's tests and reusable by the engine's and CLI's tests.
 *
 * Each call starts its own double (an ephemeral port, an empty log) so tests never share
 * state; `cleanup` stops it after the store (and its client) is closed.
 * `startStoreOnTestDouble` is the exported form (`@pacioli/store-eventstoredb`).
 */
import {
  openEventStoreDbStore,
  type EventStoreDbStoreOptions,
} from "./open-event-store-db-store.js";
import type { EventStoreDbStore } from "./event-store-db-store.js";
import type { ClientFlavour, EventStoreDbClient } from "./client-api.js";
import {
  startEventStoreDbDouble,
  type EventStoreDbDouble,
  type EventStoreDbDoubleOptions,
} from "./test-double/index.js";

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
  const connectionString =
    clientPackage === "@kurrent/kurrentdb-client" ? double.kurrentDbUrl : double.esdbUrl;
  const store = await openEventStoreDbStore({ connectionString, clientPackage }, storeOptions);
  return { store, double, cleanup: () => double.stop() };
}

/**
 * Stores on ONE double and ONE client, each store in its own stream namespace
 * (`streamPrefix`), so a contract run does not pay a connection per test (the KurrentDB
 * client's Rust read bridge takes about half a second to connect). Exercises the
 * "bring your own client" path: the stores do not own (or dispose) the client.
 */
export function storesOnSharedDouble(
  clientPackage: ClientPackage,
  doubleOptions: EventStoreDbDoubleOptions = {},
): { open: () => Promise<{ store: EventStoreDbStore }>; stop: () => Promise<void> } {
  let shared: Promise<{ double: EventStoreDbDouble; client: EventStoreDbClient }> | null = null;
  let count = 0;
  const start = async () => {
    const double = await startEventStoreDbDouble({
      protocolSource: clientPackage,
      ...doubleOptions,
    });
    const client: EventStoreDbClient =
      clientPackage === "@kurrent/kurrentdb-client"
        ? (await import("@kurrent/kurrentdb-client")).KurrentDBClient.connectionString(
            double.kurrentDbUrl,
          )
        : (await import("@eventstore/db-client")).EventStoreDBClient.connectionString(
            double.esdbUrl,
          );
    return { double, client };
  };
  return {
    open: async () => {
      shared ??= start();
      const { client } = await shared;
      count += 1;
      return { store: await openEventStoreDbStore({ client }, { streamPrefix: `run-${count}:` }) };
    },
    stop: async () => {
      if (shared === null) return;
      const { double, client } = await shared;
      await client.dispose();
      await double.stop();
    },
  };
}

export interface StoreOnTestDoubleOptions {
  /** Which client package drives the store (default "kurrentdb", the default client). */
  readonly client?: ClientFlavour;
  /** Options of the double (server-side limits, fault injection switches). */
  readonly double?: EventStoreDbDoubleOptions;
  /** Options of the store (client-side limits such as `maxAppendBytes`, `streamPrefix`). */
  readonly store?: EventStoreDbStoreOptions;
}

/** A store on a running gRPC test double; `connectionString` reaches the same double. */
export interface StoreOnTestDouble {
  readonly store: EventStoreDbStore;
  /**
   * `kurrentdb://…` for the KurrentDB client, `esdb://…` for the EventStoreDB client, so
   * `openEventStoreFromUrl(connectionString)` opens another connection with the same client
   * (another process, an auditor, the CLI's `--store`).
   */
  readonly connectionString: string;
  readonly double: EventStoreDbDouble;
  /** Closes the store, then stops the double (other connections see it go away). */
  readonly close: () => Promise<void>;
}

/**
 * TEST SUPPORT, not for production: starts a gRPC test double of an EventStoreDB/KurrentDB
 * node on an ephemeral local port and opens an `EventStoreDbStore` on it, for engine and CLI
 * tests that need the distributed store without a server. One client per process: the two
 * client packages cannot be loaded together (see client-api.ts), so a test file picks one.
 */
export async function startStoreOnTestDouble(
  options: StoreOnTestDoubleOptions = {},
): Promise<StoreOnTestDouble> {
  const clientPackage: ClientPackage =
    options.client === "eventstoredb" ? "@eventstore/db-client" : "@kurrent/kurrentdb-client";
  const { store, double, cleanup } = await openAdapterOnDouble(
    clientPackage,
    options.double,
    options.store,
  );
  const connectionString =
    clientPackage === "@kurrent/kurrentdb-client" ? double.kurrentDbUrl : double.esdbUrl;
  return {
    store,
    connectionString,
    double,
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
}
