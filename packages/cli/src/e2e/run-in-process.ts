/**
 * Runs the CLI's `main(argv)` inside the test process with standard output and error
 * captured: thousands of runs cost milliseconds each instead of a process start. A `main`
 * that throws is a bug the binary would print as a stack trace with EXIT_INTERNAL, so it is
 * reported as such, with the argv that caused it.
 */
import { vi } from "vitest";
import { main } from "../main.js";

export interface InProcessRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runMain(argv: readonly string[]): Promise<InProcessRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const out = vi
    .spyOn(process.stdout, "write")
    .mockImplementation(capture(stdout) as typeof process.stdout.write);
  const err = vi
    .spyOn(process.stderr, "write")
    .mockImplementation(capture(stderr) as typeof process.stderr.write);
  let status: number;
  try {
    status = await main(argv);
  } catch (error) {
    out.mockRestore();
    err.mockRestore();
    throw new Error(
      `pacioli ${argv.join(" ")} crashed (the binary would exit 70 with a trace): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  out.mockRestore();
  err.mockRestore();
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}
