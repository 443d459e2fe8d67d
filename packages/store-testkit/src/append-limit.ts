/**
 * A store with an append size limit, for stores that have none of their own (memory, SQLite),
 * so the engine suite's group-commit sizing test runs on them too. The limit is announced in
 * `maxAppendBytes` (which the engine sizes its batches to) and enforced: a larger append is
 * refused before it reaches the store, as EventStoreDB refuses one over its `MaxAppendSize`.
 */
import {
  APPEND_EVENT_OVERHEAD_BYTES,
  forwardingStore,
  StoreError,
  type EventStore,
  type NewEvent,
} from "@pacioli/engine";

/** Payload bytes plus the engine's per-event framing budget: what the engine sizes batches by. */
export const budgetedAppendBytes = (events: readonly NewEvent[]): number =>
  events.reduce(
    (sum, event) => sum + Buffer.byteLength(event.payload, "utf8") + APPEND_EVENT_OVERHEAD_BYTES,
    0,
  );

export function withAppendLimit(store: EventStore, maxAppendBytes: number): EventStore {
  return forwardingStore(store, {
    append: (stream, events, expectedVersion, options) => {
      const bytes = budgetedAppendBytes(events);
      if (bytes > maxAppendBytes)
        return Promise.reject(
          new StoreError(`append of ${bytes} bytes is over the limit of ${maxAppendBytes}`, false),
        );
      return store.append(stream, events, expectedVersion, options);
    },
    maxAppendBytes,
  });
}
