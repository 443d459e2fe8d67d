import { forwardingStore, MemoryEventStore, type EventStore } from "@pacioli/engine";
import { withAppendLimit } from "./append-limit.js";
import { engineOnStoreSuite, type OpenEngineStore } from "./engine-on-store-suite.js";
import { historyProjectionSuite } from "./history-projection-suite.js";
import { eventStoreContract } from "./event-store-contract.js";

eventStoreContract("MemoryEventStore", async () => ({ store: new MemoryEventStore() }));

/** Another "connection" to a memory store is the same store, whose close it must not close. */
const sharing = (store: EventStore): EventStore =>
  forwardingStore(store, { close: () => Promise.resolve() });

const memoryFixture: OpenEngineStore = async ({ maxAppendBytes }) => {
  const memory = new MemoryEventStore();
  const store = maxAppendBytes === undefined ? memory : withAppendLimit(memory, maxAppendBytes);
  return { store, connect: () => Promise.resolve(sharing(store)), close: () => memory.close() };
};

engineOnStoreSuite("MemoryEventStore", memoryFixture);
historyProjectionSuite("MemoryEventStore (held by the engine in memory)", memoryFixture);
