/**
 * Every leaf hash of a tree, and the roots of its aligned perfect subtrees of 2^8 leaves and
 * up, kept as leaves are pushed (amortised one more node hash per leaf: the 255 of each new
 * 256-leaf subtree, then one per completed level above). Proofs are lists of subtree roots,
 * so with these a proof costs log₂ n lookups and at most a few hundred hashes at its edges,
 * where hashing the whole tree for each proof took seconds at a million events. Memory:
 * 32 bytes a leaf plus 1/8 of a byte for the levels.
 */
import { HashColumn } from "./hash-column.js";
import { nodeHash } from "./merkle-hash.js";

/** Subtrees below 2^8 leaves are hashed when asked for (255 node hashes at most). */
export const CACHED_LEVEL_MIN = 8;

export class LeafHashes {
  private readonly leaves = new HashColumn();
  /** levels[k] holds the roots of the aligned subtrees of 2^(CACHED_LEVEL_MIN + k) leaves. */
  private readonly levels: HashColumn[] = [];

  get size(): number {
    return this.leaves.size;
  }

  push(leaf: Uint8Array): void {
    this.leaves.push(leaf);
    const size = this.leaves.size;
    const base = 2 ** CACHED_LEVEL_MIN;
    if (size % base !== 0) return;
    this.column(0).push(this.hashLeaves(size - base, base));
    for (let k = 1; size % (base * 2 ** k) === 0; k += 1) {
      const below = this.column(k - 1);
      this.column(k).push(nodeHash(below.at(below.size - 2), below.at(below.size - 1)));
    }
  }

  /** The leaf hash at a zero-based index (a view: copy it to keep it past the next push). */
  at(index: number): Buffer {
    if (!(index >= 0 && index < this.size))
      throw new RangeError(`leaf ${index} is outside a tree of ${this.size}`);
    return this.leaves.at(index);
  }

  /** The root of the aligned perfect subtree [start, start + size), when it is kept. */
  keptRoot(start: number, size: number): Buffer | undefined {
    const level = Math.log2(size);
    if (!Number.isInteger(level) || level < CACHED_LEVEL_MIN || start % size !== 0)
      return undefined;
    const column = this.levels[level - CACHED_LEVEL_MIN];
    const index = start / size;
    return column !== undefined && index < column.size ? Buffer.from(column.at(index)) : undefined;
  }

  private column(k: number): HashColumn {
    while (this.levels.length <= k) this.levels.push(new HashColumn());
    return this.levels[k] as HashColumn;
  }

  /** Root of a perfect subtree of `count` (a power of two) leaves from `start`. */
  private hashLeaves(start: number, count: number): Buffer {
    if (count === 1) return Buffer.from(this.leaves.at(start));
    const half = count / 2;
    return nodeHash(this.hashLeaves(start, half), this.hashLeaves(start + half, half));
  }
}
