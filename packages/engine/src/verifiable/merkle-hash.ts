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
export const EMPTY_ROOT: Buffer = hash("sha256", Buffer.alloc(0), "buffer");

/**
 * The leaf hash of a stored payload (a string is hashed as its UTF-8 bytes, and "\0" is the
 * one byte 0x00 in UTF-8). One-shot `crypto.hash`, no Hash object per call: measured on a
 * 693-byte payload it is what makes the tree cheaper per event than the hash chain.
 */
export function leafHash(leaf: string | Uint8Array): Buffer {
  return typeof leaf === "string" ? hash("sha256", `\0${leaf}`, "buffer") : hash("sha256", Buffer.concat([LEAF_PREFIX, leaf]), "buffer");
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return hash("sha256", Buffer.concat([NODE_PREFIX, left, right], 1 + left.length + right.length), "buffer");
}

/** Whether a value is a hash of the tree's size (32 bytes). */
export function isTreeHash(value: Uint8Array): boolean {
  return value.length === HASH_BYTES;
}
