/**
 * `pacioli keygen --name NAME --out FILE`: a new Ed25519 key for signing checkpoints. The
 * signer key goes to FILE (created with mode 0600, never overwritten) and nowhere else; the
 * verifier key, which auditors and customers need, is printed.
 */
import { writeFileSync } from "node:fs";
import { generateNoteKey, isKeyName } from "@pacioli/engine";
import { commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";

const usage = `Usage: pacioli keygen --name NAME --out FILE [--json]

Creates an Ed25519 key for signing checkpoints (C2SP signed-note format). The signer
key is written to FILE with mode 0600 and is never printed; an existing FILE is never
overwritten. The verifier key is printed: give it to whoever checks your checkpoints,
proofs and statements.

Options:
  --name NAME   the key name, e.g. the log origin pacioli.example/ledger-main
                (no spaces, no '+')
  --out FILE    where to write the signer key
  --json        print {"name","verifierKey","keyFile"}

Use the signer key with --key-file FILE, or put its text in PACIOLI_SIGNER_KEY.
Exit status: 0 written, 2 unusable input.`;

export const keygenCommand: Command = {
  name: "keygen",
  summary: "create an Ed25519 key for signing checkpoints",
  usage,
  async run(argv) {
    const flags = commandFlags("keygen", argv, { name: "string", out: "string", json: "boolean" });
    const name = flags.required("name");
    const out = flags.required("out");
    if (!isKeyName(name))
      throw new CliError(
        `--name ${JSON.stringify(name)} must be non-empty, without spaces or '+'`,
        EXIT_USAGE,
      );
    const { signerKey, verifierKey } = generateNoteKey(name);
    try {
      writeFileSync(out, `${signerKey}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        `cannot create ${out}: ${code === "EEXIST" ? "it exists (keygen never overwrites a key)" : (code ?? "write failed")}`,
        EXIT_USAGE,
      );
    }
    process.stdout.write(
      flags.boolean("json")
        ? `${jsonText({ name, verifierKey, keyFile: out })}\n`
        : `signer key written to ${out} (mode 0600; keep it secret)\nverifier key: ${verifierKey}\n`,
    );
    return EXIT_OK;
  },
};
