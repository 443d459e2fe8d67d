/** The verifiable ledger: RFC 6962 Merkle tree over the stored events, proofs and their checks. */
export * from "./merkle-hash.js";
export * from "./tree-head.js";
export * from "./leaf-hashes.js";
export * from "./range-root.js";
export * from "./inclusion-proof.js";
export * from "./consistency-proof.js";
export * from "./proof-check.js";
export * from "./verify-inclusion.js";
export * from "./verify-consistency.js";
export * from "./strict-base64.js";
export * from "./note-key.js";
export * from "./signed-note.js";
export * from "./checkpoint.js";
export * from "./journal-leaves.js";
export * from "./proof-bundle.js";
export * from "./verify-bundle.js";
export * from "./ledger-tree.js";
