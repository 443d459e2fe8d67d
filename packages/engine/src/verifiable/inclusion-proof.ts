/**
 * Inclusion proof (audit path) of leaf m in the tree of the first n leaves, RFC 6962 §2.1.1:
 * the roots of the subtrees beside the path from the leaf to the root, deepest first —
 * ⌈log₂ n⌉ hashes at most (24 at 10M leaves, 768 bytes).
 *
 *   PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])      if m < k
 *                 = PATH(m − k, D[k:n]) : MTH(D[0:k])  if m ≥ k     (k: largest power of 2 < n)
 *
 * Building one hashes the whole tree of n leaves once (n − 1 node hashes).
 */
import type { LeafHashes } from "./leaf-hashes.js";
import { largestPowerOfTwoBelow, rangeRoot } from "./range-root.js";

export function inclusionProof(leaves: LeafHashes, leafIndex: number, treeSize: number): Buffer[] {
  if (!(treeSize >= 1 && treeSize <= leaves.size))
    throw new RangeError(`tree size ${treeSize} is not in [1, ${leaves.size}]`);
  if (!(leafIndex >= 0 && leafIndex < treeSize))
    throw new RangeError(`leaf ${leafIndex} is not in a tree of ${treeSize}`);
  return path(leaves, leafIndex, 0, treeSize);
}

function path(leaves: LeafHashes, leafIndex: number, start: number, end: number): Buffer[] {
  if (end - start === 1) return [];
  const split = start + largestPowerOfTwoBelow(end - start);
  return leafIndex < split
    ? [...path(leaves, leafIndex, start, split), rangeRoot(leaves, split, end)]
    : [...path(leaves, leafIndex, split, end), rangeRoot(leaves, start, split)];
}
