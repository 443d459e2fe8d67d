/**
 * `@pacioli/store-eventstoredb`: the event store port on EventStoreDB/KurrentDB.
 * The gRPC test double is exported separately as `@pacioli/store-eventstoredb/test-double`;
 * `startStoreOnTestDouble` (test support, named as such) opens a store on a fresh double, so
 * the engine's and the CLI's tests can run on this store without a server.
 */
export {
  openEventStoreDbStore,
  event_store_db_store_limits_default,
  type EventStoreDbConnection,
  type EventStoreDbStoreOptions,
} from "./open-event-store-db-store.js";
export {
  openEventStoreFromUrl,
  isEventStoreDbUrl,
  clientPackageOfUrl,
  type EventStoreDbClientPackage,
  type OpenEventStoreFromUrlOptions,
} from "./open-event-store-from-url.js";
export {
  startStoreOnTestDouble,
  type StoreOnTestDouble,
  type StoreOnTestDoubleOptions,
} from "./adapter-on-double.js";
export {
  EventStoreDbStore,
  type EventStoreDbStoreLimits,
  type EventStoreDbStoreNaming,
} from "./event-store-db-store.js";
export {
  AppendTooLargeError,
  appendSizeBytes,
  eventSizeBytes,
  max_append_bytes_default,
} from "./append-size.js";
export { clientFlavour, type ClientFlavour, type EventStoreDbClient } from "./client-api.js";
export { eventUuid } from "./event-uuid.js";
export { encodePosition, decodePosition, type LogPosition } from "./global-position.js";
export { snapshotStreamName, ledgerStreamRegex, snapshot_stream_suffix } from "./stream-names.js";
