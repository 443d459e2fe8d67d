/**
 * The hash chain: each stored event carries `hash = SHA-256(previousHash ‖ "\n" ‖ canonical
 * bytes of the event without its hash fields)` and the previous event's hash, the first
 * event chaining to `GENESIS_HASH`. Editing, deleting, inserting or reordering any event
 * breaks the chain at that exact position.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export function chainHash(previousHash: string, canonicalRecord: string): string {
  return createHash("sha256").update(previousHash).update("\n").update(canonicalRecord).digest("hex");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
