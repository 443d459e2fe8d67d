/**
 * Errors the CLI reports to a person, without a stack trace: what is wrong and what to do.
 * Each carries its exit status, so `main` maps every failure to one documented code.
 *
 * `EXIT_STATUSES` is the one table of exit statuses: docs/reference/exit-codes.md prints it
 * and a test fails when the two differ, or when the CLI's code exits with a status that is
 * not a named constant of this table.
 */
/** Success (apply: every line was decided, whether accepted or not). */
export const EXIT_OK = 0;
/** The audit (or import's audit) found violations, or a stored event cannot be read. */
export const EXIT_VIOLATIONS = 1;
/** Usage error or unusable input: bad flags, unreadable or foreign file, bad output path. */
export const EXIT_USAGE = 2;
/** The store failed: locked, unreachable, or a write that did not go through. */
export const EXIT_STORE = 3;
/** `apply --fail-on-rejected`: every line was decided and at least one was not accepted. */
export const EXIT_REJECTED = 4;
/** `apply` stopped early because its standard output was closed (e.g. `| head`). */
export const EXIT_OUTPUT_CLOSED = 5;
/** A bug in Pacioli: the only status printed with a stack trace. */
export const EXIT_INTERNAL = 70;

export interface ExitStatus {
  readonly status: number;
  readonly name: string;
  readonly meaning: string;
}

export const EXIT_STATUSES: readonly ExitStatus[] = [
  {
    status: EXIT_OK,
    name: "EXIT_OK",
    meaning:
      "success; `apply`: every line was decided (accepted, rejected or invalid); reading commands whose standard output was closed early",
  },
  {
    status: EXIT_VIOLATIONS,
    name: "EXIT_VIOLATIONS",
    meaning:
      "`audit` found violations (with `--since`: the ledger does not extend the checkpoint, or the checkpoint's signature does not verify), `import` refused an archive that failed its audit, a stored event cannot be read, `verify` found a proof, statement or checkpoint that does not verify, `prove`/`statement` found the ledger no longer matches the checkpoint given, `rebuild-history --check` found the history projection differs from a rebuild from the events, or `reconcile` found a settlement line mismatched or unmatched",
  },
  {
    status: EXIT_USAGE,
    name: "EXIT_USAGE",
    meaning:
      "usage error or unusable input: bad flags, a missing or unreadable file, a file that is not a Pacioli ledger, a malformed archive, an output path that cannot be written, a stream that holds no events, an amount an export target cannot hold",
  },
  {
    status: EXIT_STORE,
    name: "EXIT_STORE",
    meaning:
      "the store failed: locked by another writer, unreachable server, a write that did not go through",
  },
  {
    status: EXIT_REJECTED,
    name: "EXIT_REJECTED",
    meaning:
      "`apply --fail-on-rejected`: every line was decided and at least one was rejected or invalid",
  },
  {
    status: EXIT_OUTPUT_CLOSED,
    name: "EXIT_OUTPUT_CLOSED",
    meaning:
      "`apply`'s standard output was closed while it ran (piped into `head`, say): it stopped reading its input, so later lines may not be applied; every line it decided is durable",
  },
  {
    status: EXIT_INTERNAL,
    name: "EXIT_INTERNAL",
    meaning: "a bug in Pacioli (printed with a stack trace; please report it)",
  },
];

export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    /** What the user can do about it, printed on its own line. */
    readonly hint?: string,
  ) {
    super(message);
  }
}
