export * from "./history-projection.js";
export * from "./projected-event.js";
export * from "./history-follower.js";
export * from "./memory-history-projection.js";
export * from "./wallet-history-view.js";
export * from "./ledger-history.js";
export { pageLimit, matchesQuery, lookupKey } from "./history-query.js";
export * from "./rebuilt-history.js";
