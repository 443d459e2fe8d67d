/**
 * Errors the CLI reports to a person, without a stack trace: what is wrong and what to do.
 * Each carries its exit status, so `main` maps every failure to one documented code.
 *
 *   0  success (apply: every line was read, whether accepted or rejected)
 *   1  the audit found violations
 *   2  usage error or unusable input (bad flags, unreadable file, malformed archive)
 *   3  the store failed (locked, corrupt or foreign database file)
 */
export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;
export const EXIT_STORE = 3;

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
