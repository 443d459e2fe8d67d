import { MemoryEventStore, type EventStore } from "@pacioli/engine";
import { withAppendLimit } from "./append-limit.js";
import { engineOnStoreSuite } from "./engine-on-store-suite.js";
import { eventStoreContract } from "./event-store-contract.js";

eventStoreContract("MemoryEventStore", async () => ({ store: new MemoryEventStore() }));

/** Another "connection" to a memory store is the same store, whose close it must not close. */
const sharing = (store: EventStore): EventStore => ({
  append: (stream, events, expectedVersion, options) => store.append(stream, events, expectedVersion, options),
  ...(store.findIdempotency === undefined ? {} : { findIdempotency: (stream: string, keys: readonly string[]) => store.findIdempotency?.(stream, keys) ?? Promise.resolve(new Map()) }),
  streamVersion: (stream) => store.streamVersion(stream),
  readStream: (stream, options) => store.readStream(stream, options),
  readAll: (after, limit) => store.readAll(after, limit),
  subscribe: (after, handler, options) => store.subscribe(after, handler, options),
  readSnapshot: (stream) => store.readSnapshot(stream),
  writeSnapshot: (snapshot) => store.writeSnapshot(snapshot),
  close: () => Promise.resolve(),
  ...(store.maxAppendBytes === undefined ? {} : { maxAppendBytes: store.maxAppendBytes }),
});

engineOnStoreSuite("MemoryEventStore", async ({ maxAppendBytes }) => {
  const memory = new MemoryEventStore();
  const store = maxAppendBytes === undefined ? memory : withAppendLimit(memory, maxAppendBytes);
  return { store, connect: () => Promise.resolve(sharing(store)), close: () => memory.close() };
});
