/**
 * Every leaf hash of a tree, packed in one growing buffer (32 bytes a leaf: 32 MB per million
 * events, where an array of Buffers would cost ~100 bytes a leaf). Proofs need the hashes of
 * arbitrary subtrees, so the prover keeps the leaves; the engine's tree head keeps only its
 * frontier.
 */
import { HASH_BYTES } from "./merkle-hash.js";

const INITIAL_LEAVES = 1024;

export class LeafHashes {
  private bytes = Buffer.alloc(INITIAL_LEAVES * HASH_BYTES);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: Uint8Array): void {
    if (leaf.length !== HASH_BYTES) throw new Error(`assertion failed: a leaf hash is ${HASH_BYTES} bytes, got ${leaf.length}`);
    if ((this.count + 1) * HASH_BYTES > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.set(leaf, this.count * HASH_BYTES);
    this.count += 1;
  }

  /** The leaf hash at a zero-based index (a view: copy it to keep it past the next push). */
  at(index: number): Buffer {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`leaf ${index} is outside a tree of ${this.count}`);
    return this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }
}
