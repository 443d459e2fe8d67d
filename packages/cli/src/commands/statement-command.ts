/**
 * `pacioli statement --wallet W`: the wallet's lines between two times, each with its event
 * exactly as stored and an inclusion proof, and the signed checkpoint they lead to. Whoever
 * holds the ledger's verifier key checks it with `pacioli verify --proof` and no ledger.
 */
import {
  formatTimestamp,
  HISTORY_PAGE_LIMIT_MAX,
  iso4217,
  parseTimestamp,
  walletOfAccount,
  WalletHistory,
  type HistoryLine,
  type RecordedEvent,
  type Timestamp,
} from "@pacioli/core";
import {
  decodeStoredEvent,
  inclusionProof,
  PROOF_FORMAT,
  type Checkpoint,
  type StatementBundle,
  type StatementLine,
  type StoredEvent,
} from "@pacioli/engine";
import { LEDGER_FLAGS, commandFlags } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import { historyLineJson } from "../cli/history-line-json.js";
import type { Command } from "../cli/command.js";
import { DEFAULT_STREAM } from "../cli/ledger-file.js";
import { proofCheckpoint, proofTarget, readLedgerLeaves } from "../cli/ledger-tree.js";
import { verifierKey } from "../cli/note-keys.js";
import { renderTable } from "../cli/table.js";
import { base64 } from "./prove-command.js";
import { writeOutput } from "./checkpoint-command.js";
import { AssertionFailure } from "@pacioli/core";

const usage = `Usage: pacioli statement --db FILE --wallet ID [--from TIME] [--to TIME]
                         (--key-file SIGNER | --checkpoint FILE --key VKEY) [--stream NAME]
                         [--json] [--out FILE]

A wallet's statement that can be checked without the ledger: its lines (oldest first)
between --from and --to (ISO-8601 UTC, inclusive), each with the event exactly as stored
and its inclusion proof, and the signed checkpoint the proofs lead to. Check it with
\`pacioli verify --proof STATEMENT.json --key VKEY\`.

Options:
  --db FILE            a Pacioli SQLite ledger, or a kurrentdb:// or esdb:// connection string
  --wallet ID          the wallet
  --from TIME          first recording time, e.g. 2026-12-01T00:00:00Z
  --to TIME            last recording time
  --key-file SIGNER    sign the current tree head (or PACIOLI_SIGNER_KEY)
  --checkpoint FILE    prove against this signed checkpoint instead (opened with --key)
  --key VKEY           the verifier key (text or file)
  --stream NAME        the ledger's stream (default ${DEFAULT_STREAM})
  --json               print the statement bundle (JSON, docs/reference/proof-formats.md)
  --out FILE           write the statement bundle to FILE

Exit status: 0 written, 1 the ledger does not match the checkpoint, 2 unusable input,
3 store failure.`;

export const statementCommand: Command = {
  name: "statement",
  summary: "a wallet's lines with an inclusion proof each, checkable without the ledger",
  usage,
  async run(argv) {
    const flags = commandFlags("statement", argv, {
      ...LEDGER_FLAGS,
      wallet: "string",
      from: "string",
      to: "string",
      "key-file": "string",
      checkpoint: "string",
      key: "string",
      json: "boolean",
      out: "string",
    });
    const { db, stream } = flags.ledger();
    const wallet = flags.required("wallet");
    const from = timeFlag(flags.string("from"), "from");
    const to = timeFlag(flags.string("to"), "to");
    const given = flags.string("checkpoint");
    const keyText = flags.string("key");
    if (given !== undefined && keyText === undefined)
      throw new CliError(
        "--checkpoint is opened with the verifier key: give --key VKEY",
        EXIT_USAGE,
      );
    const target = proofTarget(
      given,
      given === undefined ? undefined : verifierKey(keyText as string),
      flags.string("key-file"),
      "statement",
    );

    // One pass over the stream: every leaf, and the events that name the wallet folded into
    // its history (a substring test first; only those are decoded). Opening the ledger instead
    // builds every wallet's history: 4 minutes and 1 GB at 1M events, against one read.
    const history = new WalletHistory();
    const needle = JSON.stringify(wallet).slice(1, -1);
    const events = new Map<number, StoredEvent>();
    let named = false;
    const leaves = await readLedgerLeaves(db, stream, (stored) => {
      if (
        !stored.payload.includes(`:wallets:${needle}:`) &&
        !stored.payload.includes(`"walletId":"${needle}"`)
      )
        return;
      const recorded = decodeStored(stored);
      named ||= mentionsWallet(recorded, wallet);
      history.apply(recorded);
      events.set(stored.streamIndex + 1, stored);
    });
    if (!named)
      throw new CliError(
        `no wallet ${wallet} in this ledger`,
        EXIT_USAGE,
        "list accounts with `pacioli balances --db FILE --prefix liabilities:wallets`",
      );
    const lines = allLines(history, wallet, from, to);
    const { checkpoint, note } = proofCheckpoint(leaves, target);
    const bundle: StatementBundle = {
      format: PROOF_FORMAT,
      type: "statement",
      wallet,
      from: from === undefined ? null : formatTimestamp(from),
      to: to === undefined ? null : formatTimestamp(to),
      treeSize: checkpoint.size,
      checkpoint: note,
      lines: lines
        .filter((line) => line.sequence <= checkpoint.size)
        .map((line) => statementLine(line, events.get(line.sequence), leaves, checkpoint.size)),
    };
    const out = flags.string("out");
    if (out !== undefined) writeOutput(out, `${JSON.stringify(bundle, null, 2)}\n`);
    if (flags.boolean("json")) process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
    else process.stdout.write(`${statementText(bundle, checkpoint)}\n`);
    return EXIT_OK;
  },
};

function allLines(
  history: WalletHistory,
  wallet: string,
  from: Timestamp | undefined,
  to: Timestamp | undefined,
): HistoryLine[] {
  const lines: HistoryLine[] = [];
  let before: number | undefined;
  do {
    const page = history.page(wallet, {
      limit: HISTORY_PAGE_LIMIT_MAX,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(before === undefined ? {} : { before }),
    });
    lines.push(...page.lines);
    before = page.nextCursor;
  } while (before !== undefined);
  return lines.reverse();
}

function decodeStored(stored: StoredEvent): RecordedEvent {
  try {
    return decodeStoredEvent(iso4217, stored).recorded;
  } catch (error) {
    throw new CliError(
      (error as Error).message,
      EXIT_VIOLATIONS,
      "run `pacioli audit` on this ledger to see every problem",
    );
  }
}

/** The wallet is named by the event (opened, or a posting to one of its accounts). */
function mentionsWallet(recorded: RecordedEvent, wallet: string): boolean {
  const event = recorded.event as { readonly walletId?: unknown };
  return (
    event.walletId === wallet ||
    recorded.event.postings.some((posting) => walletOfAccount(posting.account) === wallet)
  );
}

function statementLine(
  line: HistoryLine,
  stored: StoredEvent | undefined,
  leaves: Parameters<typeof inclusionProof>[0],
  treeSize: number,
): StatementLine {
  if (stored === undefined)
    throw new AssertionFailure(
      `event ${line.sequence} of the wallet's history was not read from the stream`,
    );
  return {
    ...historyLineJson(line),
    event: stored.payload,
    proof: base64(inclusionProof(leaves, line.sequence - 1, treeSize)),
  };
}

function statementText(bundle: StatementBundle, checkpoint: Checkpoint): string {
  const table = renderTable(
    [
      { title: "seq", align: "right" },
      { title: "recorded at (UTC)" },
      { title: "event" },
      { title: "cur" },
      { title: "available Δ", align: "right" },
      { title: "held Δ", align: "right" },
      { title: "available", align: "right" },
      { title: "held", align: "right" },
      { title: "proof" },
    ],
    bundle.lines.map((line) => [
      String(line.sequence),
      line.recordedAt.slice(0, 19).replace("T", " "),
      line.type,
      line.currency,
      line.availableChange,
      line.heldChange,
      line.available,
      line.held,
      `${line.proof.length} hashes`,
    ]),
  );
  return [
    `Statement of wallet ${bundle.wallet}${bundle.from === null ? "" : ` from ${bundle.from}`}${bundle.to === null ? "" : ` to ${bundle.to}`}`,
    table,
    "",
    `Checkpoint: ${checkpoint.origin}, ${checkpoint.size} events, root ${checkpoint.root.toString("base64")}`,
    "Check it without the ledger: write it with --json (or --out FILE), then `pacioli verify --proof FILE --key VKEY`.",
  ].join("\n");
}

function timeFlag(value: string | undefined, flag: string): Timestamp | undefined {
  if (value === undefined) return undefined;
  const at = parseTimestamp(value);
  if (at === undefined)
    throw new CliError(
      `--${flag} ${JSON.stringify(value)} is not an ISO-8601 UTC time like 2026-12-01T00:00:00Z`,
      EXIT_USAGE,
    );
  return at;
}
