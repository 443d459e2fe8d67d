/**
 * Checkpoints (c2sp.org/tlog-checkpoint): the tree head as the text of a signed note,
 *
 *   <origin>
 *   <tree size, decimal>
 *   <root hash, base64>
 *
 * signed with the ledger's Ed25519 key. The origin names the log (e.g.
 * `pacioli.example/ledger-main`); the key's name should equal it. Extension lines are
 * accepted when read and never written.
 */
import { HASH_BYTES } from "./merkle-hash.js";
import type { NoteSigner, NoteVerifier } from "./note-key.js";
import { openNote, signNote } from "./signed-note.js";
import { strictBase64 } from "./strict-base64.js";

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

export type CheckpointOpened =
  | { readonly _tag: "Opened"; readonly checkpoint: Checkpoint }
  | { readonly _tag: "Rejected"; readonly reason: string };

export function checkpointText(checkpoint: Checkpoint): string {
  if (checkpoint.origin === "" || /[\n\r]/.test(checkpoint.origin))
    throw new RangeError("a checkpoint origin is one non-empty line");
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0)
    throw new RangeError(`tree size ${checkpoint.size} is not a whole number`);
  if (checkpoint.root.length !== HASH_BYTES)
    throw new RangeError(`a root hash is ${HASH_BYTES} bytes`);
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString("base64")}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  return signNote(checkpointText(checkpoint), signer);
}

/** Verifies the signature first, then reads the text: nothing unsigned is ever interpreted. */
export function openCheckpoint(note: string, verifier: NoteVerifier): CheckpointOpened {
  const opened = openNote(note, verifier);
  if (opened._tag === "Rejected") return opened;
  return parseCheckpointText(opened.text);
}

export function parseCheckpointText(text: string): CheckpointOpened {
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3)
    return rejected("a checkpoint has an origin, a tree size and a root hash line");
  const [origin, size, root] = lines as [string, string, string];
  if (origin === "") return rejected("the checkpoint origin is empty");
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size)))
    return rejected(
      `the tree size ${JSON.stringify(size.slice(0, 20))} is not a decimal number without leading zeros`,
    );
  const rootHash = strictBase64(root);
  if (rootHash?.length !== HASH_BYTES) return rejected("the root hash is not 32 bytes of base64");
  if (lines.slice(3).some((line) => line === ""))
    return rejected("a checkpoint extension line is empty");
  return { _tag: "Opened", checkpoint: { origin, size: Number(size), root: rootHash } };
}

const rejected = (reason: string): CheckpointOpened => ({ _tag: "Rejected", reason });
