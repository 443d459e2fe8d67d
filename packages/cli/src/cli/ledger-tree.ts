/**
 * The ledger's Merkle tree as the proof commands read it: every stored event's leaf hash,
 * read from the store (SQLite file or EventStoreDB), with store failures as exit status 3.
 */
import {
  readJournalLeaves,
  signCheckpoint,
  type Checkpoint,
  type EventStore,
  type LeafHashes,
  type NoteSigner,
  type StoredEvent,
  rangeRoot,
} from "@pacioli/engine";
import { CliError, EXIT_VIOLATIONS } from "./cli-error.js";
import { openStoreFile, storeFailure } from "./ledger-file.js";

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
