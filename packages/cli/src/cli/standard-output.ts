/**
 * Standard output closed by its reader (`pacioli history … | head`): Node reports EPIPE as
 * an 'error' event, which with no listener kills the process with a stack trace. The CLI
 * listens once, remembers that the reader is gone, and lets each command stop quietly:
 * reading commands end with EXIT_OK (the reader chose to stop), `apply` stops reading its
 * input and ends with EXIT_OUTPUT_CLOSED after the lines it already decided are durable.
 */
let readerGone = false;
let watching = false;

/** Thrown by writers that find standard output closed; `main` turns it into a quiet exit. */
export class OutputClosed extends Error {
  override readonly name = "OutputClosed";
  constructor() {
    super("standard output was closed by its reader");
  }
}

export function watchStandardStreams(): void {
  if (watching) return;
  watching = true;
  process.stdout.on("error", () => {
    readerGone = true;
  });
  // A closed stderr (`2>&1 | head`) must not kill the command either: messages are lost, work is not.
  process.stderr.on("error", () => undefined);
}

export function standardOutputClosed(): boolean {
  return readerGone || process.stdout.destroyed;
}
