/**
 * The EventStoreDB/KurrentDB gRPC test double, exported for reuse by other packages' tests
 * (`@pacioli/store-eventstoredb/test-double`).
 */
export * from "./double-log.js";
export * from "./event-store-db-double.js";
export * from "./protocol.js";
export * from "./double-log-event-store.js";
