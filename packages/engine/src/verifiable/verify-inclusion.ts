/**
 * Verifies an inclusion proof, RFC 9162 §2.1.3.2: recompute the root from the leaf hash and
 * the audit path, walking the leaf's index (fn) and the last index (sn) up the tree, and
 * compare. Every length is checked first; a proof of the wrong length never verifies.
 */
import { isTreeHash, nodeHash } from "./merkle-hash.js";
import { failed, VERIFIED, type ProofCheck } from "./proof-check.js";

export interface InclusionClaim {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

export function verifyInclusion(claim: InclusionClaim): ProofCheck {
  const { leafIndex, treeSize, proof } = claim;
  if (!isWholeNumber(leafIndex) || !isWholeNumber(treeSize))
    return failed("leaf index and tree size must be whole numbers");
  if (leafIndex >= treeSize)
    return failed(`leaf index ${leafIndex} is not below the tree size ${treeSize}`);
  if (!isTreeHash(claim.leafHash) || !isTreeHash(claim.root) || !proof.every(isTreeHash))
    return failed("every hash must be 32 bytes");
  const computed = rootFromPath(claim.leafHash, leafIndex, treeSize, proof);
  if (computed === undefined)
    return failed(
      `a proof for leaf ${leafIndex} of ${treeSize} does not have ${proof.length} hashes`,
    );
  return Buffer.from(claim.root).equals(computed)
    ? VERIFIED
    : failed(
        `the proof leads to root ${computed.toString("base64")}, not the checkpoint's ${Buffer.from(claim.root).toString("base64")}`,
      );
}

/** The root the path leads to, or undefined when the path's length does not fit the tree. */
function rootFromPath(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Buffer | undefined {
  let fn = leafIndex;
  let sn = treeSize - 1;
  let root: Buffer = Buffer.from(leaf);
  for (const sibling of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      root = nodeHash(sibling, root);
      // On the right edge a node may have no right sibling: climb until it is a right child.
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      root = nodeHash(root, sibling);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? root : undefined;
}

const isWholeNumber = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
