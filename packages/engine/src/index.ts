/**
 * @pacioli/engine — runs a ledger partition: single writer, group commit, idempotency that
 * survives restarts, snapshots, time-driven work and subscriptions, over any `EventStore`.
 */
export * from "./store/event-store.js";
/** The port's types under one name, for a store implementing it: `port.NewEvent`, `port.Position`, … */
export type * as EventStorePort from "./store/event-store.js";
export * from "./store/memory-event-store.js";
export { appendRetryResult } from "./store/append-retry.js";
export * from "./store/pull-subscription.js";
export { forwardingStore } from "./store/forwarding-store.js";
export { assertReadAllLimit, readAllPage } from "./store/read-all-page.js";
export { assertAppendArguments, assertCount, readStreamStart } from "./store/port-arguments.js";
export * from "./journal/index.js";
export * from "./snapshot/snapshot.js";
export * from "./snapshot/state-codec.js";
export * from "./runtime/clock.js";
export * from "./runtime/command-intake.js";
export * from "./runtime/execute-result.js";
export * from "./runtime/execute-result-json.js";
export { loadLedger, type LoadedLedger, type LoadOptions } from "./runtime/replay.js";
export * from "./runtime/ledger.js";
export * from "./history/index.js";
/** The history projection port's types under one name, for a projection implementing it. */
export type * as HistoryProjectionPort from "./history/history-projection.js";
export * from "./audit/index.js";
export * from "./verifiable/index.js";
export * from "./wire/history-json.js";
