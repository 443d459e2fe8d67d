/**
 * Buffered output to a file or stdout: exports write millions of lines, and one write per
 * line would spend the time in syscalls.
 *
 * A file is written all or nothing: lines go to a temporary file beside it, renamed over
 * the target only by `commit()`; `close()` without a commit removes it. The target is
 * checked before anything is read (`checkOutputPath`), so a directory or a missing folder
 * is a usage error, never an export that "succeeded" having written nothing.
 * On standard output, a reader that went away (`| head`) ends the export with `OutputClosed`.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliError, EXIT_USAGE } from "../cli/cli-error.js";
import { OutputClosed, standardOutputClosed } from "../cli/standard-output.js";

const FLUSH_BYTES = 1 << 16;

/** Refuses an output path that cannot become a file: a directory, or inside a missing folder. */
export function checkOutputPath(path: string): void {
  if (path === "") throw new CliError("--output needs a file name", EXIT_USAGE);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new CliError(
      `--output ${path} is a directory`,
      EXIT_USAGE,
      "name a file to write, e.g. --output ledger.journal",
    );
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new CliError(
      `--output ${path}: the folder ${folder} does not exist`,
      EXIT_USAGE,
      "create the folder first, or write somewhere else",
    );
}

export class LineWriter {
  private buffer = "";
  private readonly file:
    { readonly fd: number; readonly temporary: string; readonly target: string } | undefined;
  private committed = false;

  constructor(path: string | undefined) {
    if (path === undefined) return;
    checkOutputPath(path);
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
    try {
      this.file = { fd: openSync(temporary, "w"), temporary, target: path };
    } catch (error) {
      throw new CliError(
        `cannot write --output ${path}: ${(error as Error).message}`,
        EXIT_USAGE,
        "check the folder's permissions",
      );
    }
  }

  async line(text: string): Promise<void> {
    this.buffer += `${text}\n`;
    if (this.buffer.length >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = "";
    if (chunk === "") return;
    if (this.file !== undefined) {
      writeSync(this.file.fd, chunk);
      return;
    }
    if (standardOutputClosed()) throw new OutputClosed();
    if (!process.stdout.write(chunk)) await drained();
  }

  /** Makes the written file the target (a no-op on standard output). */
  async commit(): Promise<void> {
    await this.flush();
    if (this.file === undefined) return;
    closeSync(this.file.fd);
    renameSync(this.file.temporary, this.file.target);
    this.committed = true;
  }

  /** Ends the output; a file that was not committed is removed, so a failed export leaves nothing. */
  async close(): Promise<void> {
    if (this.file === undefined || this.committed) return;
    try {
      closeSync(this.file.fd);
    } catch {
      // already closed by a commit that failed to rename
    }
    rmSync(this.file.temporary, { force: true });
  }
}

/** Waits for stdout to take more, or to be closed by its reader (then nothing more is written). */
function drained(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      process.stdout.off("drain", done);
      process.stdout.off("close", done);
      if (standardOutputClosed()) reject(new OutputClosed());
      else resolve();
    };
    process.stdout.once("drain", done);
    process.stdout.once("close", done);
  });
}
