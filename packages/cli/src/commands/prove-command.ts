/**
 * `pacioli prove`: an inclusion proof for one event (by sequence or idempotency key) or a
 * consistency proof between two tree sizes, bundled with the signed checkpoint it leads to,
 * for `pacioli verify` to check offline.
 */
import {
  consistencyProof,
  inclusionProof,
  PROOF_FORMAT,
  type Checkpoint,
  type ConsistencyBundle,
  type InclusionBundle,
  type LeafHashes,
  type StoredEvent,
} from "@pacioli/engine";
import { LEDGER_FLAGS, commandFlags, positiveInteger } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM } from "../cli/ledger-file.js";
import { proofCheckpoint, proofTarget, readLedgerLeaves } from "../cli/ledger-tree.js";
import { trustedCheckpoint, verifierKey } from "../cli/note-keys.js";
import { writeOutput } from "./checkpoint-command.js";

const usage = `Usage: pacioli prove --db FILE (--sequence N | --idempotency-key KEY | --old-size M | --old-checkpoint FILE)
                     (--key-file SIGNER | --checkpoint FILE --key VKEY) [--out FILE] [--json]

Writes a proof bundle (JSON, docs/reference/proof-formats.md) that \`pacioli verify\`
checks with nothing but the bundle and the verifier key:

  inclusion    --sequence N or --idempotency-key KEY (the command's first event): the
               event exactly as stored and its RFC 6962 audit path to the checkpoint's root
  consistency  --old-size M or --old-checkpoint FILE: the proof that the ledger's tree
               extends the one of M events without changing it

The proof leads to a checkpoint: the ledger's current tree head signed now with the
signer key (--key-file or PACIOLI_SIGNER_KEY), or an existing one (--checkpoint FILE,
opened with --key VKEY), which the ledger must still match.

Options:
  --db FILE              a Pacioli SQLite ledger, or a kurrentdb:// or esdb:// connection string
  --stream NAME          the stream (default ${DEFAULT_STREAM})
  --key-file SIGNER      the signer key (or PACIOLI_SIGNER_KEY)
  --checkpoint FILE      prove against this signed checkpoint instead of signing one
  --key VKEY             the verifier key (text or file), for --checkpoint and --old-checkpoint
  --out FILE             write the bundle to FILE instead of printing it
  --json                 with --out: print {"written","type","treeSize","hashes"}

Exit status: 0 proof written, 1 the ledger does not match the checkpoint (cut or rewritten),
2 unusable input, 3 store failure.`;

export const proveCommand: Command = {
  name: "prove",
  summary: "inclusion proof for an event, or consistency proof between tree sizes",
  usage,
  async run(argv) {
    const flags = commandFlags("prove", argv, {
      ...LEDGER_FLAGS,
      sequence: "string",
      "idempotency-key": "string",
      "old-size": "string",
      "old-checkpoint": "string",
      "key-file": "string",
      checkpoint: "string",
      key: "string",
      out: "string",
      json: "boolean",
    });
    const { db, stream } = flags.ledger();
    const targets = (["sequence", "idempotency-key", "old-size", "old-checkpoint"] as const).filter(
      (flag) => flags.string(flag) !== undefined,
    );
    if (targets.length !== 1)
      throw new CliError(
        "give exactly one of --sequence, --idempotency-key, --old-size or --old-checkpoint",
        EXIT_USAGE,
        "run `pacioli prove --help` for usage",
      );
    const keyText = flags.string("key");
    const verifier = keyText === undefined ? undefined : verifierKey(keyText);
    const given = flags.string("checkpoint");
    if (
      (given !== undefined || flags.string("old-checkpoint") !== undefined) &&
      verifier === undefined
    )
      throw new CliError(
        "a checkpoint file is opened with the verifier key: give --key VKEY",
        EXIT_USAGE,
      );
    const target = proofTarget(given, verifier, flags.string("key-file"), "prove");

    const idempotencyKey = flags.string("idempotency-key");
    const wantedSequence =
      targets[0] === "sequence"
        ? positiveInteger("sequence", flags.string("sequence"), 1)
        : undefined;
    let found: StoredEvent | undefined;
    const leaves = await readLedgerLeaves(db, stream, (stored) => {
      if (found !== undefined) return;
      if (
        stored.streamIndex + 1 === wantedSequence ||
        (idempotencyKey !== undefined && hasIdempotencyKey(stored, idempotencyKey))
      )
        found = stored;
    });
    const { checkpoint, note } = proofCheckpoint(leaves, target);

    let bundle: InclusionBundle | ConsistencyBundle;
    const oldCheckpointPath = flags.string("old-checkpoint");
    if (targets[0] === "sequence" || targets[0] === "idempotency-key") {
      if (found === undefined)
        throw new CliError(
          wantedSequence === undefined
            ? `no event with idempotency key ${JSON.stringify(idempotencyKey)} in the ledger`
            : `event ${wantedSequence} is not in the ledger of ${leaves.size} events`,
          EXIT_USAGE,
        );
      bundle = inclusionBundle(leaves, found, checkpoint, note);
    } else {
      const oldSize =
        oldCheckpointPath === undefined
          ? positiveInteger("old-size", flags.string("old-size"), 1)
          : trustedCheckpoint(oldCheckpointPath, verifier as NonNullable<typeof verifier>).size;
      if (oldSize > checkpoint.size)
        throw new CliError(
          `the ledger's tree has ${checkpoint.size} events, fewer than the ${oldSize} asked for: events ${checkpoint.size + 1}..${oldSize} were removed`,
          EXIT_VIOLATIONS,
        );
      bundle = {
        format: PROOF_FORMAT,
        type: "consistency",
        oldSize,
        newSize: checkpoint.size,
        proof: base64(consistencyProof(leaves, oldSize, checkpoint.size)),
        checkpoint: note,
      };
    }
    const out = flags.string("out");
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (out === undefined) {
      process.stdout.write(text);
      return EXIT_OK;
    }
    writeOutput(out, text);
    const treeSize = bundle.type === "inclusion" ? bundle.treeSize : bundle.newSize;
    process.stdout.write(
      flags.boolean("json")
        ? `${jsonText({ written: out, type: bundle.type, treeSize, hashes: bundle.proof.length })}\n`
        : `${bundle.type} proof (${bundle.proof.length} hashes, tree of ${treeSize}) written to ${out}\n`,
    );
    return EXIT_OK;
  },
};

export function inclusionBundle(
  leaves: LeafHashes,
  stored: StoredEvent,
  checkpoint: Checkpoint,
  note: string,
): InclusionBundle {
  const sequence = stored.streamIndex + 1;
  if (sequence > checkpoint.size)
    throw new CliError(
      `event ${sequence} is not in the checkpoint's tree of ${checkpoint.size} events`,
      EXIT_USAGE,
    );
  return {
    format: PROOF_FORMAT,
    type: "inclusion",
    sequence,
    treeSize: checkpoint.size,
    event: stored.payload,
    proof: base64(inclusionProof(leaves, sequence - 1, checkpoint.size)),
    checkpoint: note,
  };
}

/** The command's events carry its idempotency key; the first one found is proven. */
function hasIdempotencyKey(stored: StoredEvent, key: string): boolean {
  if (!stored.payload.includes(JSON.stringify(key))) return false;
  try {
    return (
      (JSON.parse(stored.payload) as { record?: { idempotencyKey?: unknown } }).record
        ?.idempotencyKey === key
    );
  } catch {
    return false;
  }
}

export const base64 = (hashes: readonly Buffer[]): string[] =>
  hashes.map((hash) => hash.toString("base64"));
