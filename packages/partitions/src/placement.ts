/**
 * Placement: which partition a wallet lives in. Every process that routes commands must
 * compute the same answer, so the rule is a pure function of the wallet id, the partition
 * count and an overrides directory, and nothing else (no clock, no randomness, no lookup).
 *
 * The hash is 32-bit FNV-1a over the UTF-8 bytes of the wallet id (offset basis 2166136261,
 * prime 16777619, arithmetic modulo 2^32), and the partition is that hash modulo the
 * partition count. FNV-1a is tiny, has no dependency and is specified in full by those two
 * constants, so another language can reproduce it in a few lines (docs/operations/partitions.md
 * gives test vectors).
 *
 * An override places one wallet on a named partition whatever its hash says: a hot merchant's
 * settlement wallet on a partition of its own, or a wallet that stayed where it was opened
 * when the partition count changed. Overrides win over the hash.
 */

// ---------------------------------------------------------------------------------------------
// model

/** A partition's index, 0 ≤ index < count. Its stream is `ledger-p{index}`. */
export type PartitionIndex = number;

export interface Placement {
  readonly partitionCount: number;
  /** Wallet id → partition index; wins over the hash. */
  readonly overrides: ReadonlyMap<string, PartitionIndex>;
}

export const PARTITION_COUNT_MAX = 1024;

export const FNV_OFFSET_BASIS_32 = 2_166_136_261;
export const FNV_PRIME_32 = 16_777_619;

// ---------------------------------------------------------------------------------------------
// constructors

/** A placement, checked: a count in 1..1024 and every override naming an existing partition. */
export function placement(
  partitionCount: number,
  overrides: Iterable<readonly [string, PartitionIndex]> = [],
): Placement {
  if (
    !Number.isInteger(partitionCount) ||
    partitionCount < 1 ||
    partitionCount > PARTITION_COUNT_MAX
  )
    throw new RangeError(
      `partition count must be an integer in 1..${PARTITION_COUNT_MAX}, got ${partitionCount}`,
    );
  const directory = new Map<string, PartitionIndex>();
  for (const [walletId, index] of overrides) {
    if (!Number.isInteger(index) || index < 0 || index >= partitionCount)
      throw new RangeError(
        `override for wallet ${walletId} names partition ${index}, outside 0..${partitionCount - 1}`,
      );
    directory.set(walletId, index);
  }
  return { partitionCount, overrides: directory };
}

// ---------------------------------------------------------------------------------------------
// functions

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS_32;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME_32) >>> 0;
  }
  return hash >>> 0;
}

/** The partition a wallet lives in: its override, else FNV-1a(wallet id) mod count. */
export function partitionOf(rule: Placement, walletId: string): PartitionIndex {
  return rule.overrides.get(walletId) ?? fnv1a32(walletId) % rule.partitionCount;
}

/** The ledger id of a partition (`openLedger({ ledgerId })`), so its stream is `ledger-p{index}`. */
export const partitionLedgerId = (index: PartitionIndex): string => `p${index}`;
