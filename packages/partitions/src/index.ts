/**
 * @pacioli/partitions — many single-writer ledger partitions behind one API: a stable
 * placement of wallets, transfers across partitions as two balanced legs through clearing
 * accounts carried by a process manager, and one audit over all partitions (ADR 0020).
 */
export * from "./placement.js";
export * from "./command-routing.js";
export * from "./command-parties.js";
export * from "./clearing-legs.js";
export * from "./partitioned-result.js";
export * from "./partitioned-ledger.js";
export * from "./partitions-audit.js";
export * from "./partition-directory.js";
export * from "./refusal-memo.js";
export * from "./partition-writer.js";
export * from "./thread-writer.js";
