/**
 * A store that forwards every call of the port to another, with some calls replaced: how a
 * decorator times appends (the server's metrics), and how the test suites count appends,
 * impose an append limit or share one memory store between two "connections". A plain
 * object, not a prototype chain: adapters keep their state in `#private` fields, which only
 * the instance itself can reach. Optional capabilities (the key window, an append limit, a
 * persisted history projection) are forwarded exactly when the inner store has them, so a
 * wrapper neither claims what the store cannot do nor hides what it can.
 */
import type { EventStore } from "./event-store.js";

export function forwardingStore(
  inner: EventStore,
  overrides: Partial<EventStore> = {},
): EventStore {
  const findIdempotency = inner.findIdempotency?.bind(inner);
  return {
    append: (stream, events, expectedVersion, options) =>
      inner.append(stream, events, expectedVersion, options),
    ...(findIdempotency === undefined ? {} : { findIdempotency }),
    streamVersion: (stream) => inner.streamVersion(stream),
    readStream: (stream, options) => inner.readStream(stream, options),
    readAll: (after, limit) => inner.readAll(after, limit),
    subscribe: (after, handler, options) => inner.subscribe(after, handler, options),
    readSnapshot: (stream) => inner.readSnapshot(stream),
    writeSnapshot: (snapshot) => inner.writeSnapshot(snapshot),
    close: () => inner.close(),
    ...(inner.maxAppendBytes === undefined ? {} : { maxAppendBytes: inner.maxAppendBytes }),
    ...(inner.historyProjection === undefined
      ? {}
      : { historyProjection: inner.historyProjection }),
    ...overrides,
  };
}
