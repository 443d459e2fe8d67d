export { eventStoreContract, type ContractOptions } from "./event-store-contract.js";
export type { OpenedStore, OpenStore } from "./contract-fixture.js";
export * from "./new-event-arbitraries.js";
export * from "./reference-store-model.js";
export { storeCommandsArbitrary, readEverything, waitUntil } from "./store-commands.js";
/** The request builders every store's tests use: core's own, one set (`@pacioli/core/testing/requests`). */
export * from "@pacioli/core/testing/requests";
export {
  engineOnStoreSuite,
  type EngineStoreFixture,
  type EngineSuiteOptions,
  type OpenEngineStore,
} from "./engine-on-store-suite.js";
export {
  expectHistoryOfPostings,
  HISTORY_T0,
  historyProjectionSuite,
} from "./history-projection-suite.js";
export * from "./history-fixture.js";
export { firstColumnAfter } from "./doc-table.js";
export { onWholeLines } from "./child-lines.js";
export { budgetedAppendBytes, withAppendLimit } from "./append-limit.js";
export {
  runSimulation,
  type SimulationOptions,
  type SimulationReport,
} from "./simulation/simulation.js";
export { SimulationFailure } from "./simulation/simulation-failure.js";
export { SimulatedDisk } from "./simulation/simulated-disk.js";
export {
  SimulatedEventStore,
  NO_FAULTS,
  type StoreFaultRates,
  type StoreVariant,
} from "./simulation/simulated-event-store.js";
export { Prng } from "./simulation/prng.js";
export { forwardingStore } from "@pacioli/engine";
