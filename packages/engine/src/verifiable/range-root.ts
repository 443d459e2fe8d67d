/**
 * The Merkle tree hash of a range of leaves, MTH(D[start:end]) of RFC 6962 §2.1: split at
 * the largest power of two below the range's size, hash the halves, join them. Proofs are
 * lists of such range roots. Costs end − start − 1 node hashes; recursion depth is log₂ of
 * the range.
 */
import type { LeafHashes } from "./leaf-hashes.js";
import { EMPTY_ROOT, nodeHash } from "./merkle-hash.js";
import { AssertionFailure } from "@pacioli/core";

export function rangeRoot(leaves: LeafHashes, start: number, end: number): Buffer {
  if (!(start >= 0 && start <= end && end <= leaves.size))
    throw new RangeError(`range [${start}, ${end}) is outside a tree of ${leaves.size}`);
  if (end === start) return EMPTY_ROOT;
  if (end - start === 1) return Buffer.from(leaves.at(start));
  const kept = leaves.keptRoot(start, end - start);
  if (kept !== undefined) return kept;
  const split = start + largestPowerOfTwoBelow(end - start);
  return nodeHash(rangeRoot(leaves, start, split), rangeRoot(leaves, split, end));
}

/** The largest power of two strictly less than n (n ≥ 2): RFC 6962's k. */
export function largestPowerOfTwoBelow(n: number): number {
  if (!(n >= 2)) throw new AssertionFailure(`${n} < 2 has no split`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
