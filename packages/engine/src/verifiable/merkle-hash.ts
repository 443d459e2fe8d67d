/**
 * RFC 6962 (§2.1) hashing for the ledger's Merkle tree: a leaf is `SHA-256(0x00 ‖ bytes)`, an
 * interior node `SHA-256(0x01 ‖ left ‖ right)`. The distinct prefixes keep a leaf from ever
 * passing for a node (second-preimage resistance). A ledger leaf is a stored event's payload
 * exactly as stored, as UTF-8 bytes: nothing is re-serialised, as with the hash chain (ADR 0005).
 */
import { hash } from "node:crypto";

/** Bytes of every hash in the tree. */
export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** The root of the empty tree: SHA-256 of no bytes. */
export const EMPTY_ROOT: Buffer = Buffer.from(hash("sha256", Buffer.alloc(0), "hex"), "hex");

/**
 * The leaf hash of a stored payload (a string is hashed as its UTF-8 bytes, and "\0" is the
 * one byte 0x00 in UTF-8). One-shot `crypto.hash`, no Hash object per call, and hex output
 * parsed back: on Node 20 the "buffer" output is the slower path. Measured back to back on a
 * 693-byte payload (loaded machine): 12.8 / 8.1 / 10.3 µs with "buffer", 7.4 / 5.2 / 7.4 µs
 * with hex parsed back; a node hash 4.2–5.8 vs 2.5–5.6 µs.
 */
export function leafHash(leaf: string | Uint8Array): Buffer {
  return digest(typeof leaf === "string" ? `\0${leaf}` : Buffer.concat([LEAF_PREFIX, leaf]));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return digest(Buffer.concat([NODE_PREFIX, left, right], 1 + left.length + right.length));
}

function digest(data: string | Buffer): Buffer {
  return Buffer.from(hash("sha256", data, "hex"), "hex");
}

/** Whether a value is a hash of the tree's size (32 bytes). */
export function isTreeHash(value: Uint8Array): boolean {
  return value.length === HASH_BYTES;
}
