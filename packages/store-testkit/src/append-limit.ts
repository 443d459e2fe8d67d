/**
 * A store with an append size limit, for stores that have none of their own (memory, SQLite),
 * so the engine suite's group-commit sizing test runs on them too. The limit is announced in
 * `maxAppendBytes` (which the engine sizes its batches to) and enforced: a larger append is
 * refused before it reaches the store, as EventStoreDB refuses one over its `MaxAppendSize`.
 */
import { APPEND_EVENT_OVERHEAD_BYTES, StoreError, type EventStore, type NewEvent } from "@pacioli/engine";

/** Payload bytes plus the engine's per-event framing budget: what the engine sizes batches by. */
export const budgetedAppendBytes = (events: readonly NewEvent[]): number =>
  events.reduce((sum, event) => sum + Buffer.byteLength(event.payload, "utf8") + APPEND_EVENT_OVERHEAD_BYTES, 0);

export function withAppendLimit(store: EventStore, maxAppendBytes: number): EventStore {
  return {
    append: (stream, events, expectedVersion, options) => {
      const bytes = budgetedAppendBytes(events);
      if (bytes > maxAppendBytes) return Promise.reject(new StoreError(`append of ${bytes} bytes is over the limit of ${maxAppendBytes}`, false));
      return store.append(stream, events, expectedVersion, options);
    },
    ...(store.findIdempotency === undefined ? {} : { findIdempotency: (stream: string, keys: readonly string[]) => store.findIdempotency?.(stream, keys) ?? Promise.resolve(new Map()) }),
    ...(store.findIdempotency === undefined ? {} : { findIdempotency: (stream: string, keys: readonly string[]) => store.findIdempotency?.(stream, keys) ?? Promise.resolve(new Map()) }),
  streamVersion: (stream) => store.streamVersion(stream),
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (after, limit) => store.readAll(after, limit),
    subscribe: (after, handler, options) => store.subscribe(after, handler, options),
    readSnapshot: (stream) => store.readSnapshot(stream),
    writeSnapshot: (snapshot) => store.writeSnapshot(snapshot),
    close: () => store.close(),
    maxAppendBytes,
  };
}
