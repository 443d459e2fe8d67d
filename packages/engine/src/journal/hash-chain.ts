/**
 * The hash chain: each stored event carries `hash = SHA-256(previousHash ‖ "\n" ‖ canonical
 * bytes of the event without its hash fields)` and the previous event's hash, the first
 * event chaining to `GENESIS_HASH`. Editing, deleting, inserting or reordering any event
 * breaks the chain at that exact position.
 */
import { hash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export function chainHash(previousHash: string, canonicalRecord: string): string {
  return sha256Hex(`${previousHash}\n${canonicalRecord}`);
}

/** One-shot SHA-256 (`crypto.hash`, Node ≥ 20.12): no Hash object per call on the hot path. */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}
