/**
 * Ed25519 keys for signed notes (c2sp.org/signed-note), in the text forms of Go's
 * golang.org/x/mod/sumdb/note, so stock transparency-log tools read them:
 *
 *   verifier key  <name>+<hex key ID>+base64(0x01 ‖ 32-byte public key)
 *   signer key    PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 ‖ 32-byte private seed)
 *   key ID        SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian
 *
 * A signer key is a secret: it lives in a 0600 file or an environment variable and is never
 * printed or logged (its `toString` hides it). Verifying needs only the verifier key.
 */
import { strictBase64 } from "./strict-base64.js";
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

const ED25519 = 0x01;
const SIGNER_PREFIX = "PRIVATE+KEY+";
/** DER headers that wrap a raw Ed25519 key as PKCS#8 (private) and SPKI (public). */
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: KeyObject;
}

export interface NoteSigner extends NoteVerifier {
  readonly privateKey: KeyObject;
}

export type KeyRead<K> =
  | { readonly _tag: "Read"; readonly key: K }
  | { readonly _tag: "Unreadable"; readonly reason: string };

/** Key names are non-empty and hold no spaces or plus signs (signed-note §Format). */
export function isKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !/[\s+\u00a0\u2000-\u200b\u2028\u2029\u3000]/u.test(name) &&
    !/[\u0000-\u001f]/u.test(name)
  );
}

export function keyIdOf(name: string, rawPublicKey: Uint8Array): number {
  return createHash("sha256")
    .update(name)
    .update(Buffer.from([0x0a, ED25519]))
    .update(rawPublicKey)
    .digest()
    .readUInt32BE(0);
}

/** A new key pair: the signer key text (secret) and the verifier key text (public). */
export function generateNoteKey(name: string): {
  readonly signerKey: string;
  readonly verifierKey: string;
} {
  if (!isKeyName(name))
    throw new RangeError(
      `key name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`,
    );
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_ED25519.length);
  const raw = rawPublicKey(publicKey);
  const id = hex8(keyIdOf(name, raw));
  return {
    signerKey: `${SIGNER_PREFIX}${name}+${id}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString("base64")}`,
    verifierKey: `${name}+${id}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString("base64")}`,
  };
}

export function parseVerifierKey(text: string): KeyRead<NoteVerifier> {
  const material = readKeyMaterial(text.trim(), "a verifier key reads name+keyid+base64key");
  if (material._tag === "Unreadable") return material;
  const { name, keyId, raw } = material.key;
  const publicKey = ed25519PublicKey(raw);
  if (keyIdOf(name, raw) !== keyId)
    return unreadable("the key ID does not match the name and public key");
  return { _tag: "Read", key: { name, keyId, publicKey } };
}

export function parseSignerKey(text: string): KeyRead<NoteSigner> {
  const trimmed = text.trim();
  if (!trimmed.startsWith(SIGNER_PREFIX))
    return unreadable("a signer key starts with PRIVATE+KEY+");
  const material = readKeyMaterial(
    trimmed.slice(SIGNER_PREFIX.length),
    "a signer key reads PRIVATE+KEY+name+keyid+base64key",
  );
  if (material._tag === "Unreadable") return material;
  const { name, keyId, raw: seed } = material.key;
  const privateKey = ed25519PrivateKey(seed);
  const publicKey = createPublicKey(privateKey);
  if (keyIdOf(name, rawPublicKey(publicKey)) !== keyId)
    return unreadable("the key ID does not match the name and key");
  return { _tag: "Read", key: { name, keyId, publicKey, privateKey } };
}

/** The verifier key text of a signer (what `pacioli keygen` prints). */
export function verifierKeyText(key: NoteVerifier): string {
  return `${key.name}+${hex8(key.keyId)}+${Buffer.concat([Buffer.from([ED25519]), rawPublicKey(key.publicKey)]).toString("base64")}`;
}

/** name+keyid+base64key (the part of a signer key after its prefix); `format` says so when not. */
function readKeyMaterial(
  text: string,
  format: string,
): KeyRead<{ readonly name: string; readonly keyId: number; readonly raw: Buffer }> {
  const parts = keyParts(text);
  if (parts === undefined) return unreadable(format);
  const [name, id, key] = parts;
  if (!isKeyName(name)) return unreadable("the key name is empty or holds a space or '+'");
  if (!/^[0-9a-f]{8}$/.test(id)) return unreadable("the key ID is not 8 lowercase hex digits");
  const bytes = strictBase64(key);
  if (bytes === undefined) return unreadable("the key is not canonical base64");
  if (bytes.length !== 33 || bytes[0] !== ED25519)
    return unreadable("the key is not an Ed25519 key (type 0x01 and 32 bytes)");
  return { _tag: "Read", key: { name, keyId: Number.parseInt(id, 16), raw: bytes.subarray(1) } };
}

/** name+id+key, split at the first two plus signs only: base64 has plus signs of its own. */
function keyParts(text: string): [string, string, string] | undefined {
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text);
  return match === null ? undefined : [match[1] as string, match[2] as string, match[3] as string];
}

/** A raw 32-byte Ed25519 public key as a key object (wrapped in its SPKI DER header). */
function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" });
}

/** A raw 32-byte Ed25519 seed as a private key object (wrapped in its PKCS#8 DER header). */
function ed25519PrivateKey(seed: Buffer): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: "der",
    type: "pkcs8",
  });
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_ED25519.length);
}

const hex8 = (keyId: number): string => keyId.toString(16).padStart(8, "0");
const unreadable = (reason: string): { _tag: "Unreadable"; reason: string } => ({
  _tag: "Unreadable",
  reason,
});
