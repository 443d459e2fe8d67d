/**
 * The ledger's Merkle tree as the proof commands read it: every stored event's leaf hash,
 * read from the store (SQLite file or EventStoreDB), with store failures as exit status 3;
 * and the checkpoint a proof leads to.
 */
import {
  readJournalLeaves,
  signCheckpoint,
  type Checkpoint,
  type EventStore,
  type LeafHashes,
  type NoteSigner,
  type NoteVerifier,
  type StoredEvent,
  rangeRoot,
} from "@pacioli/engine";
import { CliError, EXIT_VIOLATIONS } from "./cli-error.js";
import { openStoreFile, storeFailure } from "./ledger-file.js";
import { readText, requireSignerKey, trustedCheckpoint } from "./note-keys.js";

export async function readLedgerLeaves(
  db: string,
  stream: string,
  onEvent?: (stored: StoredEvent) => void,
): Promise<LeafHashes> {
  const store: EventStore = await openStoreFile(db, "existing");
  try {
    return await readJournalLeaves(store, stream, onEvent === undefined ? {} : { onEvent });
  } catch (error) {
    throw storeFailure(db, error);
  } finally {
    await store.close();
  }
}

/** The checkpoint of the first `size` leaves, signed now. */
export function signedCheckpointAt(
  leaves: LeafHashes,
  size: number,
  origin: string,
  signer: NoteSigner,
): { checkpoint: Checkpoint; note: string } {
  const checkpoint = { origin, size, root: rangeRoot(leaves, 0, size) };
  return { checkpoint, note: signCheckpoint(checkpoint, signer) };
}

/** The ledger must hold the tree a given checkpoint names; otherwise it was cut or rewritten. */
export function requireLedgerMatches(
  leaves: LeafHashes,
  checkpoint: Checkpoint,
  path: string,
): void {
  if (leaves.size < checkpoint.size) {
    throw new CliError(
      `the ledger has ${leaves.size} events, the checkpoint ${path} ${checkpoint.size}: events ${leaves.size + 1}..${checkpoint.size} were removed`,
      EXIT_VIOLATIONS,
    );
  }
  if (!rangeRoot(leaves, 0, checkpoint.size).equals(checkpoint.root)) {
    throw new CliError(
      `the ledger's first ${checkpoint.size} events do not hash to the root of ${path}: the ledger was rewritten at or before event ${checkpoint.size}`,
      EXIT_VIOLATIONS,
    );
  }
}

/**
 * What a proof leads to: a signed checkpoint the holder already keeps (`--checkpoint FILE`,
 * opened with the verifier key), which the ledger must still match; or the ledger's tree
 * head, signed now with the signer key.
 */
export type ProofTarget =
  | { readonly _tag: "Given"; readonly path: string; readonly checkpoint: Checkpoint }
  | { readonly _tag: "SignedNow"; readonly signer: NoteSigner };

/** The given checkpoint when there is one and a key to open it, else the signer key (required). */
export function proofTarget(
  given: string | undefined,
  verifier: NoteVerifier | undefined,
  keyFile: string | undefined,
  command: string,
): ProofTarget {
  if (given !== undefined && verifier !== undefined)
    return { _tag: "Given", path: given, checkpoint: trustedCheckpoint(given, verifier) };
  return { _tag: "SignedNow", signer: requireSignerKey(keyFile, command) };
}

/** The checkpoint the proofs lead to, and its signed note, for the ledger's leaves. */
export function proofCheckpoint(
  leaves: LeafHashes,
  target: ProofTarget,
): { checkpoint: Checkpoint; note: string } {
  if (target._tag === "SignedNow")
    return signedCheckpointAt(leaves, leaves.size, target.signer.name, target.signer);
  requireLedgerMatches(leaves, target.checkpoint, target.path);
  return { checkpoint: target.checkpoint, note: readText(target.path, "checkpoint") };
}
