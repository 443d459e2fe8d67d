/**
 * Consistency proof between the tree of the first m leaves and the tree of the first n
 * (0 < m < n), RFC 6962 §2.1.2: the fewest subtree roots from which both roots can be
 * computed, so the bigger tree is shown to extend the smaller one without changing it —
 * at most ⌈log₂ n⌉ + 1 hashes.
 *
 *   SUBPROOF(m, D[n], b) = []                                   if m = n and b
 *                        = [MTH(D[n])]                          if m = n and not b
 *                        = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          if m ≤ k
 *                        = SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k])  if m > k
 */
import type { LeafHashes } from "./leaf-hashes.js";
import { largestPowerOfTwoBelow, rangeRoot } from "./range-root.js";

export function consistencyProof(leaves: LeafHashes, oldSize: number, newSize: number): Buffer[] {
  if (!(newSize <= leaves.size))
    throw new RangeError(`tree size ${newSize} is beyond the ${leaves.size} leaves known`);
  if (!(oldSize >= 1 && oldSize <= newSize))
    throw new RangeError(`a consistency proof needs 1 ≤ ${oldSize} ≤ ${newSize}`);
  return oldSize === newSize ? [] : subproof(leaves, oldSize, 0, newSize, true);
}

function subproof(
  leaves: LeafHashes,
  oldSize: number,
  start: number,
  end: number,
  isOldTree: boolean,
): Buffer[] {
  if (oldSize === end - start) return isOldTree ? [] : [rangeRoot(leaves, start, end)];
  const k = largestPowerOfTwoBelow(end - start);
  return oldSize <= k
    ? [...subproof(leaves, oldSize, start, start + k, isOldTree), rangeRoot(leaves, start + k, end)]
    : [
        ...subproof(leaves, oldSize - k, start + k, end, false),
        rangeRoot(leaves, start, start + k),
      ];
}
