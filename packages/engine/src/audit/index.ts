/** The auditor's library: replay a stream from nothing and verify every invariant. */
export * from "./audit-report.js";
export * from "./audit-source.js";
export * from "./audit-stream.js";
export * from "./audit-since.js";
export * from "./audit-state.js";
export * from "./audit-state-file.js";
export * from "./audit-since-state.js";
export { checkpointMismatch } from "./ledger-extends.js";
