/**
 * Verifies a consistency proof, RFC 9162 §2.1.4.2: from the proof alone recompute both the
 * old root (fr) and the new root (sr) and compare each with the checkpoint's. Equal sizes
 * need an empty proof and equal roots; a proof from the empty tree proves nothing and is
 * refused (as the transparency-dev reference does).
 */
import { isTreeHash, nodeHash } from "./merkle-hash.js";
import { failed, VERIFIED, type ProofCheck } from "./proof-check.js";

export interface ConsistencyClaim {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

export function verifyConsistency(claim: ConsistencyClaim): ProofCheck {
  const { oldSize, newSize, proof } = claim;
  const [oldRoot, newRoot] = [Buffer.from(claim.oldRoot), Buffer.from(claim.newRoot)];
  if (!isWholeNumber(oldSize) || !isWholeNumber(newSize))
    return failed("tree sizes must be whole numbers");
  if (newSize < oldSize)
    return failed(
      `the new tree (${newSize}) is smaller than the old one (${oldSize}): the ledger shrank`,
    );
  if (oldSize === 0) return failed("a consistency proof from the empty tree proves nothing");
  if (oldSize === newSize) {
    if (proof.length > 0) return failed("equal sizes need an empty proof");
    return oldRoot.equals(newRoot)
      ? VERIFIED
      : failed(`same size ${oldSize}, different roots: the ledger was rewritten`);
  }
  if (!isTreeHash(oldRoot) || !isTreeHash(newRoot) || !proof.every(isTreeHash))
    return failed("every hash must be 32 bytes");
  if (proof.length === 0) return failed("the proof is empty");
  const roots = rootsFromProof(oldSize, newSize, oldRoot, proof);
  if (roots === undefined)
    return failed(`a proof from ${oldSize} to ${newSize} does not have ${proof.length} hashes`);
  if (!roots.old.equals(oldRoot))
    return failed(`the proof does not lead to the old root: the first ${oldSize} events changed`);
  if (!roots.new.equals(newRoot)) return failed("the proof does not lead to the new root");
  return VERIFIED;
}

function rootsFromProof(
  oldSize: number,
  newSize: number,
  oldRoot: Buffer,
  proof: readonly Uint8Array[],
): { old: Buffer; new: Buffer } | undefined {
  // When the old tree is a perfect subtree its root is the proof's implicit first node.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) [fn, sn] = [(fn - 1) / 2, Math.floor(sn / 2)];
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = fr;
  for (const node of path.slice(1)) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(node, fr);
      sr = nodeHash(node, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = nodeHash(sr, node);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? { old: fr, new: sr } : undefined;
}

function isPowerOfTwo(n: number): boolean {
  let power = 1;
  while (power < n) power *= 2;
  return power === n;
}
const isWholeNumber = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
