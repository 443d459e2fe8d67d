/**
 * Signed notes and checkpoints against the C2SP and Go x/mod/sumdb/note reference examples,
 * and by properties: a checkpoint signed by us opens with our verifier key only, and any
 * changed byte of the note (text or signature) makes it fail.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkpointText,
  openCheckpoint,
  parseCheckpointText,
  signCheckpoint,
} from "./checkpoint.js";
import { EMPTY_ROOT, leafHash } from "./merkle-hash.js";
import {
  generateNoteKey,
  keyIdOf,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyText,
  type NoteSigner,
  type NoteVerifier,
} from "./note-key.js";
import { openNote, signNote } from "./signed-note.js";

/** c2sp.org/signed-note §Verifier keys, Example. */
const C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const C2SP_NOTE =
  "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
/** golang.org/x/mod/sumdb/note's documented example key pair and signature. */
const GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIGNATURE =
  "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

function verifier(text: string): NoteVerifier {
  const read = parseVerifierKey(text);
  if (read._tag !== "Read") throw new Error(read.reason);
  return read.key;
}
function signer(text: string): NoteSigner {
  const read = parseSignerKey(text);
  if (read._tag !== "Read") throw new Error(read.reason);
  return read.key;
}

const ours = generateNoteKey("pacioli.example/ledger-main");
const theirs = generateNoteKey("pacioli.example/ledger-main");

describe("signed notes: reference examples", () => {
  it("opens the C2SP example note with its verifier key", () => {
    expect(openNote(C2SP_NOTE, verifier(C2SP_VKEY))).toEqual({
      _tag: "Opened",
      text: "This is an example message.\n",
    });
  });

  it("signs Go's example text with Go's example key, byte for byte, and opens it", () => {
    const key = signer(GO_SKEY);
    expect(verifierKeyText(key)).toBe(GO_VKEY);
    expect(key.keyId).toBe(0xc74f20a3);
    const note = signNote(GO_TEXT, key);
    expect(note).toBe(`${GO_TEXT}\n${GO_SIGNATURE}`);
    expect(openNote(note, verifier(GO_VKEY))._tag).toBe("Opened");
  });

  it("refuses malformed keys with a reason, never an exception", () => {
    for (const text of [
      "",
      "name+1234",
      "na me+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
      "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
      "example.com/foo+530d903a+AekyeRrm56",
      "example.com/foo+530d903a+!!!",
    ]) {
      expect(parseVerifierKey(text)._tag, text).toBe("Unreadable");
    }
    expect(parseSignerKey(GO_VKEY)._tag).toBe("Unreadable");
    expect(parseSignerKey(GO_SKEY.replace("c74f20a3", "c74f20a4"))._tag).toBe("Unreadable");
  });

  it("key IDs follow SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]", () => {
    const key = verifier(ours.verifierKey);
    const raw = Buffer.from(ours.verifierKey.replace(/^[^+]*\+[^+]*\+/, ""), "base64").subarray(1);
    expect(keyIdOf(key.name, raw)).toBe(key.keyId);
    expect(ours.signerKey.startsWith("PRIVATE+KEY+pacioli.example/ledger-main+")).toBe(true);
  });
});

describe("checkpoints", () => {
  const checkpoint = { origin: "pacioli.example/ledger-main", size: 3, root: leafHash("root") };

  it("are C2SP tlog-checkpoint text signed by the ledger key", () => {
    const note = signCheckpoint(checkpoint, signer(ours.signerKey));
    expect(
      note.startsWith(
        `pacioli.example/ledger-main\n3\n${checkpoint.root.toString("base64")}\n\n\u2014 pacioli.example/ledger-main `,
      ),
    ).toBe(true);
    expect(openCheckpoint(note, verifier(ours.verifierKey))).toEqual({
      _tag: "Opened",
      checkpoint,
    });
    expect(
      parseCheckpointText(checkpointText({ ...checkpoint, size: 0, root: EMPTY_ROOT })),
    ).toEqual({ _tag: "Opened", checkpoint: { ...checkpoint, size: 0, root: EMPTY_ROOT } });
  });

  it("signed by another key with the same name, or changed, do not open", () => {
    const note = signCheckpoint(checkpoint, signer(ours.signerKey));
    const forged = signCheckpoint({ ...checkpoint, size: 2 }, signer(theirs.signerKey));
    expect(openCheckpoint(forged, verifier(ours.verifierKey))._tag).toBe("Rejected");
    expect(openCheckpoint(note.replace("\n3\n", "\n4\n"), verifier(ours.verifierKey))._tag).toBe(
      "Rejected",
    );
    // Another key's extra signature is ignored (witness cosignatures, key rotation).
    const cosigned = `${note}${forged.slice(forged.lastIndexOf("\u2014"))}`;
    expect(openCheckpoint(cosigned, verifier(ours.verifierKey))._tag).toBe("Opened");
  });

  it("flipping any bit of any byte of a signed checkpoint makes it fail", () => {
    const key = signer(ours.signerKey);
    const check = verifier(ours.verifierKey);
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (size, root, at, bit) => {
          const note = Buffer.from(
            signCheckpoint(
              { origin: "pacioli.example/ledger-main", size, root: Buffer.from(root) },
              key,
            ),
            "utf8",
          );
          const byte = at % note.length;
          const changed = Buffer.from(note);
          changed[byte] = (changed[byte] as number) ^ (1 << bit);
          expect(
            openCheckpoint(changed.toString("utf8"), check)._tag,
            `byte ${byte} bit ${bit}`,
          ).toBe("Rejected");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses malformed checkpoint text with a reason", () => {
    for (const text of [
      "origin\n3\n",
      "origin\n03\nAAAA\n",
      `origin\n-1\n${EMPTY_ROOT.toString("base64")}\n`,
      "origin\n3\nnot base64\n",
      `\n3\n${EMPTY_ROOT.toString("base64")}\n`,
      `o\n3\n${EMPTY_ROOT.toString("base64")}\n\n`,
    ]) {
      expect(parseCheckpointText(text)._tag, JSON.stringify(text)).toBe("Rejected");
    }
    for (const note of [
      "",
      "\n\n",
      "text\n\n\u2014 name\n",
      "text\n\nnot a signature\n",
      `text\n\n\u2014 ${ours.verifierKey.split("+")[0]} AAAA\n`,
    ]) {
      expect(openNote(note, verifier(ours.verifierKey))._tag, JSON.stringify(note)).toBe(
        "Rejected",
      );
    }
  });
});
