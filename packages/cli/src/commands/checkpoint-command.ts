/**
 * `pacioli checkpoint --db FILE`: signs the ledger's current tree head (size and RFC 6962
 * root over every stored event) as a C2SP checkpoint. An auditor keeps it: tomorrow's
 * `pacioli audit --since` and `pacioli verify` check the ledger against it.
 */
import { writeFileSync } from "node:fs";
import { commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { DEFAULT_STREAM } from "../cli/ledger-file.js";
import { readLedgerLeaves, signedCheckpointAt } from "../cli/ledger-tree.js";
import { requireSignerKey } from "../cli/note-keys.js";

const usage = `Usage: pacioli checkpoint --db FILE [--key-file KEY] [--origin ORIGIN] [--out FILE] [--json]

Signs the ledger's tree head: the number of stored events and the RFC 6962 Merkle root
over them, as a C2SP tlog-checkpoint (a signed note):

  <origin>
  <tree size>
  <base64 root hash>

  — <key name> <base64 signature>

Options:
  --db FILE         a Pacioli SQLite ledger, or a kurrentdb:// or esdb:// connection string
  --stream NAME     the stream (default ${DEFAULT_STREAM})
  --key-file KEY    the signer key from \`pacioli keygen\` (or set PACIOLI_SIGNER_KEY)
  --origin ORIGIN   the log's name on the first line (default: the key's name)
  --out FILE        write the checkpoint to FILE instead of printing it
  --json            print {"origin","size","root","checkpoint"}

Exit status: 0 signed, 2 unusable input, 3 store failure.`;

export const checkpointCommand: Command = {
  name: "checkpoint",
  summary: "sign the ledger's Merkle tree head (C2SP checkpoint)",
  usage,
  async run(argv) {
    const flags = commandFlags("checkpoint", argv, {
      db: "string",
      stream: "string",
      "key-file": "string",
      origin: "string",
      out: "string",
      json: "boolean",
    });
    const db = flags.required("db");
    const signer = requireSignerKey(flags.string("key-file"), "checkpoint");
    const origin = flags.string("origin") ?? signer.name;
    if (origin === "" || /[\s+]/.test(origin))
      throw new CliError(
        `--origin ${JSON.stringify(origin)} must be non-empty, without spaces or '+'`,
        EXIT_USAGE,
      );
    const leaves = await readLedgerLeaves(db, flags.string("stream") ?? DEFAULT_STREAM);
    const { checkpoint, note } = signedCheckpointAt(leaves, leaves.size, origin, signer);
    const out = flags.string("out");
    if (out !== undefined) writeOutput(out, note);
    if (flags.boolean("json"))
      process.stdout.write(
        `${jsonText({ origin, size: checkpoint.size, root: checkpoint.root.toString("base64"), checkpoint: note })}\n`,
      );
    else if (out === undefined) process.stdout.write(note);
    else process.stdout.write(`checkpoint of ${checkpoint.size} events written to ${out}\n`);
    return EXIT_OK;
  },
};

export function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "write failed"}`,
      EXIT_USAGE,
    );
  }
}
