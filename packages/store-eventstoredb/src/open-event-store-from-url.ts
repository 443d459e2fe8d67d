/**
 * `openEventStoreFromUrl`: an EventStoreDB/KurrentDB store from a connection string alone, as
 * the CLI receives it (`pacioli audit --store kurrentdb://…`).
 *
 * The scheme picks the client package, so a URL says everything a command line can:
 * - `kurrentdb://` and `kurrentdb+discover://` (also `kdb://`, `kurrent://` and their
 *   `+discover` forms, which the KurrentDB client accepts) → `@kurrent/kurrentdb-client`,
 *   the default client (ADR 0008);
 * - `esdb://` and `esdb+discover://` → `@eventstore/db-client`, the client the user named,
 *   for deployments that still run it (its URLs are `esdb://`).
 * Pass `clientPackage` to override the choice: `esdb://` URLs on the KurrentDB client work
 * (it parses both families); the EventStoreDB client parses `esdb://` only.
 *
 * Anything else is refused with a `RangeError` naming the accepted schemes, before any client
 * package is loaded: a typo in `--store` must not look like an unreachable server.
 */
import type { EventStoreDbStore } from "./event-store-db-store.js";
import {
  openEventStoreDbStore,
  type EventStoreDbStoreOptions,
} from "./open-event-store-db-store.js";

export type EventStoreDbClientPackage = "@kurrent/kurrentdb-client" | "@eventstore/db-client";

export interface OpenEventStoreFromUrlOptions extends EventStoreDbStoreOptions {
  /** Overrides the client package the scheme implies. */
  readonly clientPackage?: EventStoreDbClientPackage;
}

const kurrentdb_schemes = ["kurrentdb", "kurrent", "kdb"];
const esdb_schemes = ["esdb"];

/** Whether `url` is a connection string `openEventStoreFromUrl` accepts (by scheme only). */
export function isEventStoreDbUrl(url: string): boolean {
  return clientPackageOfUrl(url) !== null;
}

/** The client package a connection string's scheme implies, or null for another scheme. */
export function clientPackageOfUrl(url: string): EventStoreDbClientPackage | null {
  const match = /^([a-z]+)(\+discover)?:\/\//i.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (scheme === undefined) return null;
  if (kurrentdb_schemes.includes(scheme)) return "@kurrent/kurrentdb-client";
  if (esdb_schemes.includes(scheme)) return "@eventstore/db-client";
  return null;
}

export async function openEventStoreFromUrl(
  url: string,
  options: OpenEventStoreFromUrlOptions = {},
): Promise<EventStoreDbStore> {
  const { clientPackage, ...storeOptions } = options;
  const implied = clientPackageOfUrl(url);
  if (implied === null) {
    throw new RangeError(
      `not an EventStoreDB/KurrentDB connection string: ${JSON.stringify(url)} (expected kurrentdb://, kurrentdb+discover://, esdb:// or esdb+discover://)`,
    );
  }
  return openEventStoreDbStore(
    { connectionString: url, clientPackage: clientPackage ?? implied },
    storeOptions,
  );
}
