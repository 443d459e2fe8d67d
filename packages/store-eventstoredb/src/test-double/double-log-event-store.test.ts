/**
 * The double's semantics against the port, beside the memory store: the same contract on
 * `MemoryEventStore` and on the port implemented straight on `DoubleLog`, so a difference
 * between the double's model of the server and the port shows up without gRPC or a client.
 */
import { MemoryEventStore } from "@pacioli/engine";
import { eventStoreContract } from "@pacioli/store-testkit";
import { DoubleLogEventStore } from "./double-log-event-store.js";

eventStoreContract(
  "MemoryEventStore (reference for the double)",
  async () => ({ store: new MemoryEventStore() }),
  { numRuns: 50 },
);
eventStoreContract(
  "DoubleLogEventStore (the double's server semantics)",
  async () => ({ store: new DoubleLogEventStore() }),
  { numRuns: 150 },
);
