/**
 * Signed notes (c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank line, then
 * one line per signature, `— <key name> base64(key ID ‖ Ed25519 signature of the text)`.
 * Opening a note follows the spec: signatures from unknown keys are ignored, a known key's
 * signature that fails rejects the note, and a note with no verified known signature is
 * rejected.
 */
import { sign, verify } from "node:crypto";
import type { NoteSigner, NoteVerifier } from "./note-key.js";
import { strictBase64 } from "./strict-base64.js";

/** Signature lines read from a note, at most (the spec asks verifiers to accept 16). */
export const NOTE_SIGNATURES_MAX = 100;
/** Bytes of a note, at most: a checkpoint is a few hundred. */
export const NOTE_BYTES_MAX = 1_000_000;

const SIGNATURE_PREFIX = "\u2014 ";

export type NoteOpened =
  | { readonly _tag: "Opened"; readonly text: string }
  | { readonly _tag: "Rejected"; readonly reason: string };

export function signNote(text: string, signer: NoteSigner): string {
  const malformed = textProblem(text);
  if (malformed !== undefined) throw new RangeError(`cannot sign: ${malformed}`);
  const signature = sign(null, Buffer.from(text, "utf8"), signer.privateKey);
  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(signer.keyId);
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([keyId, signature]).toString("base64")}\n`;
}

export function openNote(note: string, verifier: NoteVerifier): NoteOpened {
  if (note.length > NOTE_BYTES_MAX)
    return rejected(`the note is longer than ${NOTE_BYTES_MAX} bytes`);
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n"))
    return rejected("not a signed note: no blank line before the signatures, or no final newline");
  const text = note.slice(0, split + 1);
  const malformed = textProblem(text);
  if (malformed !== undefined) return rejected(malformed);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > NOTE_SIGNATURES_MAX)
    return rejected(`more than ${NOTE_SIGNATURES_MAX} signatures`);
  let verified = false;
  for (const line of lines) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (match === null)
      return rejected(`not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, name, encoded] = match as unknown as [string, string, string];
    const bytes = strictBase64(encoded);
    if (bytes === undefined) return rejected("a signature is not canonical base64");
    if (bytes.length < 5) return rejected("a signature is shorter than its key ID");
    if (name !== verifier.name || bytes.readUInt32BE(0) !== verifier.keyId) continue; // another key's: ignored
    if (!verify(null, Buffer.from(text, "utf8"), verifier.publicKey, bytes.subarray(4)))
      return rejected(
        `the signature of ${name} does not verify: the note was changed or signed by another key`,
      );
    verified = true;
  }
  return verified
    ? { _tag: "Opened", text }
    : rejected(`no signature by the key ${verifier.name}: signed by another key`);
}

function textProblem(text: string): string | undefined {
  if (!text.endsWith("\n")) return "the note text must end with a newline";
  if (/[\u0000-\u0009\u000b-\u001f]/u.test(text)) return "the note text holds control characters";
  if (text.includes("\ufffd")) return "the note text is not valid UTF-8";
  return undefined;
}

const rejected = (reason: string): NoteOpened => ({ _tag: "Rejected", reason });
