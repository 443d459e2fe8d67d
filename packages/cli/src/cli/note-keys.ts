/**
 * Where the CLI finds keys. The signer key (secret) comes from `--key-file FILE` or the
 * environment variable PACIOLI_SIGNER_KEY, and is never printed, logged or put in an error
 * message. The verifier key (public) is given as its text or as a file holding it.
 * Checkpoint files are opened with the verifier key before anything in them is used.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import {
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  type Checkpoint,
  type NoteSigner,
  type NoteVerifier,
} from "@pacioli/engine";
import { CliError, EXIT_USAGE, EXIT_VIOLATIONS } from "./cli-error.js";

export const SIGNER_KEY_ENV = "PACIOLI_SIGNER_KEY";

/** The signer key from `--key-file` or PACIOLI_SIGNER_KEY; `undefined` when neither is given. */
export function signerKey(keyFile: string | undefined): NoteSigner | undefined {
  let text: string;
  if (keyFile !== undefined) {
    text = readText(keyFile, "key file");
    if ((statSync(keyFile).mode & 0o077) !== 0)
      process.stderr.write(`warning: ${keyFile} can be read by other users; chmod 600 it\n`);
  } else {
    const fromEnvironment = process.env[SIGNER_KEY_ENV];
    if (fromEnvironment === undefined || fromEnvironment === "") return undefined;
    text = fromEnvironment;
  }
  const read = parseSignerKey(text);
  if (read._tag === "Unreadable")
    throw new CliError(
      `the signer key ${keyFile === undefined ? `in ${SIGNER_KEY_ENV}` : `in ${keyFile}`} cannot be used: ${read.reason}`,
      EXIT_USAGE,
      "make one with `pacioli keygen --name NAME --out FILE`",
    );
  return read.key;
}

export function requireSignerKey(keyFile: string | undefined, command: string): NoteSigner {
  const key = signerKey(keyFile);
  if (key === undefined)
    throw new CliError(
      `no signing key: give --key-file FILE or set ${SIGNER_KEY_ENV}`,
      EXIT_USAGE,
      `run \`pacioli ${command} --help\` for usage`,
    );
  return key;
}

/** The verifier key given as text (`name+id+key`) or as a file holding that text. */
export function verifierKey(textOrFile: string): NoteVerifier {
  const direct = parseVerifierKey(textOrFile);
  if (direct._tag === "Read") return direct.key;
  if (!existsSync(textOrFile))
    throw new CliError(
      `--key is neither a verifier key (name+keyid+base64key) nor a file: ${direct.reason}`,
      EXIT_USAGE,
      "`pacioli keygen` prints the verifier key",
    );
  const read = parseVerifierKey(readText(textOrFile, "verifier key file"));
  if (read._tag === "Unreadable")
    throw new CliError(
      `the verifier key in ${textOrFile} cannot be used: ${read.reason}`,
      EXIT_USAGE,
    );
  return read.key;
}

/** The verifier key, required by the option that needs it (`--since`, `--checkpoint`). */
export function requireVerifier(keyText: string | undefined, option: string): NoteVerifier {
  if (keyText === undefined)
    throw new CliError(
      `${option} needs the ledger's verifier key to open the checkpoint: give --key VKEY`,
      EXIT_USAGE,
    );
  return verifierKey(keyText);
}

/** A signed checkpoint file, opened with the verifier key: a bad signature is a violation (1). */
export function trustedCheckpoint(path: string, verifier: NoteVerifier): Checkpoint {
  const opened = openCheckpoint(readText(path, "checkpoint"), verifier);
  if (opened._tag === "Rejected")
    throw new CliError(`the checkpoint ${path} does not verify: ${opened.reason}`, EXIT_VIOLATIONS);
  return opened.checkpoint;
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT_USAGE,
    );
  }
}
