/** The shape of one `pacioli` command: its name, one-line summary, help text and runner. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves with the exit status. */
  run(argv: readonly string[]): Promise<number>;
}
