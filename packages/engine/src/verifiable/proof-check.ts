/** The outcome of checking a proof, a signature or a checkpoint: verified, or why not. */
export type ProofCheck =
  { readonly _tag: "Verified" } | { readonly _tag: "Failed"; readonly reason: string };

export const VERIFIED: ProofCheck = { _tag: "Verified" };

export const failed = (reason: string): ProofCheck => ({ _tag: "Failed", reason });
