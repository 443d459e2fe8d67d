/**
 * `pacioli verify --proof FILE --key VKEY`: the offline verifier. Needs no ledger: the proof
 * bundle (inclusion, consistency or statement), the ledger's verifier key and, for a
 * consistency proof, the checkpoint the auditor kept. With only --checkpoint it checks that
 * checkpoint's signature.
 */
import { ProofBundle, verifyBundle, type BundleCheck, type Checkpoint } from "@pacioli/engine";
import { commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { readText, trustedCheckpoint, verifierKey } from "../cli/note-keys.js";

const usage = `Usage: pacioli verify --key VKEY (--proof FILE [--checkpoint TRUSTED] | --checkpoint FILE) [--json]

Checks offline, without the ledger:
  a checkpoint     its Ed25519 signature by the key (C2SP signed note)
  an inclusion     the event's leaf up its audit path to the signed checkpoint's root
  a consistency    that the ledger's new checkpoint extends TRUSTED (the one you kept)
                   without changing any of its events; TRUSTED is required
  a statement      every line's event is in the ledger, and its figures are the event's

Options:
  --key VKEY           the ledger's verifier key (name+keyid+base64key), or a file holding it
  --proof FILE         a bundle from \`pacioli prove\` or \`pacioli statement --json\`
  --checkpoint FILE    the signed checkpoint you trust
  --json               print {"verified","type","summary"|"reason","position"}

Exit status: 0 verified, 1 does not verify (the reason and, where known, the event's
position are printed), 2 unusable input.`;

export const verifyCommand: Command = {
  name: "verify",
  summary: "check a proof, statement or checkpoint offline with the public key",
  usage,
  async run(argv) {
    const flags = commandFlags("verify", argv, {
      key: "string",
      proof: "string",
      checkpoint: "string",
      json: "boolean",
    });
    const verifier = verifierKey(flags.required("key"));
    const proofPath = flags.string("proof");
    const checkpointPath = flags.string("checkpoint");
    if (proofPath === undefined && checkpointPath === undefined)
      throw new CliError(
        "give --proof FILE, --checkpoint FILE or both",
        EXIT_USAGE,
        "run `pacioli verify --help` for usage",
      );
    const json = flags.boolean("json");
    let trusted: Checkpoint | undefined;
    try {
      trusted =
        checkpointPath === undefined ? undefined : trustedCheckpoint(checkpointPath, verifier);
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT_VIOLATIONS) throw error;
      return report(json, "checkpoint", { _tag: "Failed", reason: error.message });
    }
    if (proofPath === undefined) {
      const checkpoint = trusted as Checkpoint;
      return report(json, "checkpoint", {
        _tag: "Verified",
        checkpoint,
        summary: `the checkpoint of ${checkpoint.origin} at ${checkpoint.size} events is signed by ${verifier.name}`,
      });
    }
    const bundle = readBundle(proofPath);
    return report(json, bundle.type, verifyBundle(bundle, verifier, trusted));
  },
};

function readBundle(path: string): ProofBundle {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(path, "proof"));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`the proof ${path} is not JSON: ${(error as Error).message}`, EXIT_USAGE);
  }
  const decoded = ProofBundle.decode(parsed);
  if (decoded._tag === "Left")
    throw new CliError(
      `the proof ${path} is not a Pacioli proof bundle (format, type and fields: docs/reference/proof-formats.md)`,
      EXIT_USAGE,
    );
  return decoded.right;
}

function report(json: boolean, type: string, check: BundleCheck): number {
  if (json) {
    const body =
      check._tag === "Verified"
        ? {
            verified: true,
            type,
            summary: check.summary,
            treeSize: check.checkpoint.size,
            root: check.checkpoint.root.toString("base64"),
          }
        : { verified: false, type, reason: check.reason, position: check.position ?? null };
    process.stdout.write(`${jsonText(body)}\n`);
  } else {
    process.stdout.write(
      check._tag === "Verified"
        ? `VERIFIED: ${check.summary}.\n`
        : `FAILED${check.position === undefined ? "" : ` at event ${check.position}`}: ${check.reason}\n`,
    );
  }
  return check._tag === "Verified" ? EXIT_OK : EXIT_VIOLATIONS;
}
