/**
 * The tree head kept incrementally: the size and the roots of the perfect subtrees that
 * make up the tree (a compact range from leaf 0, also called the frontier), largest first —
 * one per set bit of the size, so at most ⌈log₂ n⌉ + 1 hashes. Appending a leaf merges the
 * equal-sized subtrees it completes (amortised 1 node hash, at most log₂ n); the root folds
 * the frontier from the right (≤ log₂ n node hashes). Nothing else about the past is kept.
 */
import { EMPTY_ROOT, HASH_BYTES, nodeHash } from "./merkle-hash.js";

export class TreeHead {
  private constructor(
    private treeSize: number,
    private readonly frontier: Buffer[],
  ) {}

  static empty(): TreeHead {
    return new TreeHead(0, []);
  }

  /** Rebuilds a head from its size and frontier (e.g. from a snapshot); refuses a frontier of the wrong shape. */
  static restore(size: number, frontier: readonly Uint8Array[]): TreeHead {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new RangeError(`tree size ${size} is not a whole number ≥ 0`);
    if (frontier.length !== popCount(size))
      throw new RangeError(
        `a tree of ${size} leaves has ${popCount(size)} frontier hashes, not ${frontier.length}`,
      );
    if (frontier.some((node) => node.length !== HASH_BYTES))
      throw new RangeError(`frontier hashes are ${HASH_BYTES} bytes`);
    return new TreeHead(
      size,
      frontier.map((node) => Buffer.from(node)),
    );
  }

  get size(): number {
    return this.treeSize;
  }

  /** The frontier, largest subtree first (a copy). */
  get nodes(): readonly Buffer[] {
    return [...this.frontier];
  }

  /** Appends one leaf hash (see `leafHash`). */
  append(leaf: Uint8Array): void {
    let node: Buffer = Buffer.from(leaf);
    // Each trailing 1 bit of the old size is a subtree of the same height as the new node.
    for (let size = this.treeSize; size % 2 === 1; size = (size - 1) / 2) {
      node = nodeHash(this.frontier.pop() as Buffer, node);
    }
    this.frontier.push(node);
    this.treeSize += 1;
  }

  root(): Buffer {
    const last = this.frontier.length - 1;
    if (last < 0) return EMPTY_ROOT;
    let root = this.frontier[last] as Buffer;
    for (let index = last - 1; index >= 0; index -= 1)
      root = nodeHash(this.frontier[index] as Buffer, root);
    return root;
  }

  clone(): TreeHead {
    return new TreeHead(this.treeSize, [...this.frontier]);
  }
}

function popCount(size: number): number {
  let count = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
