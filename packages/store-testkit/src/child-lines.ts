/**
 * Reading what a child process writes, line by line, for the crash tests that kill it: a
 * line is handled only once its newline has arrived, so a line cut by the kill (an "ack"
 * whose digits were half written) is never taken for one the child finished.
 */
import type { Readable } from "node:stream";

/** Calls `handle` with each complete line of `output`, in order; a trailing partial line never. */
export function onWholeLines(output: Readable, handle: (line: string) => void): void {
  let buffered = "";
  output.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) handle(line);
  });
}
