import { MemoryEventStore } from "@pacioli/engine";
import { eventStoreContract } from "./event-store-contract.js";

eventStoreContract("MemoryEventStore", async () => ({ store: new MemoryEventStore() }));
