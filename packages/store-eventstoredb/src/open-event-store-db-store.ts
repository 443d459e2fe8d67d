/**
 * `openEventStoreDbStore`: the one call that gives the engine an EventStoreDB/KurrentDB store.
 *
 * Pass a connection string and the store creates (and on `close` disposes) its own client, or
 * pass a client you already have (either package's) and keep ownership of it. With a
 * connection string the client package is chosen by `clientPackage`, defaulting to
 * `@kurrent/kurrentdb-client` (maintained, Node >= 20; see docs/adr/0008). Both accept
 * `kurrentdb://`, `esdb://` and their `+discover` forms for clusters.
 *
 * Defaults follow the server's: `maxAppendBytes` is EventStoreDB's default `MaxAppendSize`
 * (1 MiB); set it to your server's value if you changed it there. Retry limits are small and
 * named; see `EventStoreDbStoreLimits`.
 */
import { StoreError } from "@pacioli/engine";
import { max_append_bytes_default } from "./append-size.js";
import {
  clientApi,
  type ClientApi,
  type ClientFlavour,
  type EventStoreDbClient,
} from "./client-api.js";
import {
  EventStoreDbStore,
  type EventStoreDbStoreLimits,
  type EventStoreDbStoreNaming,
} from "./event-store-db-store.js";

export type EventStoreDbConnection =
  | { readonly connectionString: string; readonly clientPackage?: ClientPackage }
  | { readonly client: EventStoreDbClient; readonly clientFlavour?: ClientFlavour };

export type EventStoreDbStoreOptions = Partial<EventStoreDbStoreLimits> &
  Partial<EventStoreDbStoreNaming>;

export const event_store_db_store_limits_default: EventStoreDbStoreLimits = {
  maxAppendBytes: max_append_bytes_default,
  appendAttemptsMax: 3,
  appendRetryDelayMs: 100,
  snapshotWriteAttemptsMax: 5,
  resubscribeAttemptsMax: 8,
  resubscribeDelayMs: 50,
  resubscribeDelayMsMax: 5_000,
};

export async function openEventStoreDbStore(
  connection: EventStoreDbConnection,
  options: EventStoreDbStoreOptions = {},
): Promise<EventStoreDbStore> {
  const { streamPrefix = "", ...limitOptions } = options;
  const naming: EventStoreDbStoreNaming = { streamPrefix };
  const limits: EventStoreDbStoreLimits = {
    ...event_store_db_store_limits_default,
    ...definedOnly(limitOptions),
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < (name.endsWith("Ms") ? 0 : 1))
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if ("client" in connection)
    return new EventStoreDbStore(
      clientApi(connection.client, connection.clientFlavour),
      limits,
      false,
      naming,
    );
  return new EventStoreDbStore(
    await connect(connection.connectionString, connection.clientPackage),
    limits,
    true,
    naming,
  );
}

type ClientPackage = "@kurrent/kurrentdb-client" | "@eventstore/db-client";

async function connect(
  connectionString: string,
  clientPackage: ClientPackage = "@kurrent/kurrentdb-client",
): Promise<ClientApi> {
  try {
    // Loaded on demand: the two client packages must not share a process (see client-api.ts).
    if (clientPackage === "@kurrent/kurrentdb-client") {
      const { KurrentDBClient } = await import("@kurrent/kurrentdb-client");
      return clientApi(KurrentDBClient.connectionString(connectionString), "kurrentdb");
    }
    const { EventStoreDBClient } = await import("@eventstore/db-client");
    return clientApi(EventStoreDBClient.connectionString(connectionString), "eventstoredb");
  } catch (error) {
    throw new StoreError(
      `cannot connect to EventStoreDB: ${error instanceof Error ? error.message : String(error)}`,
      false,
      { cause: error },
    );
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
