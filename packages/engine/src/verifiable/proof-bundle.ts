/**
 * What `pacioli prove` and `pacioli statement` write and `pacioli verify` reads: a proof with
 * everything needed to check it offline except the verifier key — the signed checkpoint it
 * leads to, and for an inclusion proof the event's payload exactly as stored (its leaf).
 * Hashes are base64, as in checkpoints. The JSON shapes are documented in
 * docs/reference/proof-formats.md; reading them is strict (io-ts), never trusting.
 */
import * as t from "io-ts";

export const PROOF_FORMAT = "pacioli-proof/1";

/** A bundle of one `type`: the format tag and the type every bundle opens with, then `props`. */
const bundleOf = <Type extends string, Props extends t.Props>(type: Type, props: Props) =>
  t.type({ format: t.literal(PROOF_FORMAT), type: t.literal(type), ...props });

export const InclusionBundle = bundleOf("inclusion", {
  /** 1-based ledger sequence; the leaf index is sequence − 1. */
  sequence: t.number,
  treeSize: t.number,
  /** The stored payload, byte for byte: the leaf is SHA-256(0x00 ‖ its UTF-8 bytes). */
  event: t.string,
  proof: t.array(t.string),
  /** The signed checkpoint at `treeSize` the proof leads to. */
  checkpoint: t.string,
});
export type InclusionBundle = t.TypeOf<typeof InclusionBundle>;

export const ConsistencyBundle = bundleOf("consistency", {
  oldSize: t.number,
  newSize: t.number,
  proof: t.array(t.string),
  /** The signed checkpoint at `newSize`; the old one is the verifier's own. */
  checkpoint: t.string,
});
export type ConsistencyBundle = t.TypeOf<typeof ConsistencyBundle>;

export const StatementLine = t.type({
  sequence: t.number,
  recordedAt: t.string,
  type: t.string,
  currency: t.string,
  availableChange: t.string,
  heldChange: t.string,
  available: t.string,
  held: t.string,
  event: t.string,
  proof: t.array(t.string),
});
export type StatementLine = t.TypeOf<typeof StatementLine>;

export const StatementBundle = bundleOf("statement", {
  wallet: t.string,
  from: t.union([t.string, t.null]),
  to: t.union([t.string, t.null]),
  treeSize: t.number,
  checkpoint: t.string,
  lines: t.array(StatementLine),
});
export type StatementBundle = t.TypeOf<typeof StatementBundle>;

export const ProofBundle = t.union([InclusionBundle, ConsistencyBundle, StatementBundle]);
export type ProofBundle = t.TypeOf<typeof ProofBundle>;
