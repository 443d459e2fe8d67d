/**
 * A growing column of 32-byte hashes packed in one buffer (32 MB per million, where an array
 * of Buffers costs ~100 bytes a hash and a GC-visible object each).
 */
import { HASH_BYTES } from "./merkle-hash.js";
import { AssertionFailure } from "@pacioli/core";

const INITIAL_HASHES = 1024;

export class HashColumn {
  private bytes = Buffer.alloc(INITIAL_HASHES * HASH_BYTES);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(hash: Uint8Array): void {
    if (hash.length !== HASH_BYTES)
      throw new AssertionFailure(`a hash is ${HASH_BYTES} bytes, got ${hash.length}`);
    if ((this.count + 1) * HASH_BYTES > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.count * HASH_BYTES);
    this.count += 1;
  }

  /** The hash at a zero-based index (a view: copy it to keep it past the next push). */
  at(index: number): Buffer {
    if (!(index >= 0 && index < this.count))
      throw new RangeError(`hash ${index} is outside a column of ${this.count}`);
    return this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }
}
