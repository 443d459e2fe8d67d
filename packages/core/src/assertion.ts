/**
 * Assertions: the one way the program says "this cannot happen".
 *
 * Bad input from outside (a malformed amount, an unknown wallet in a command) is a value: a
 * decode error or a `Rejection`. A broken invariant inside the program (an event that does
 * not balance, a hold on a wallet that does not exist) is a bug, and carrying on would book
 * wrong money, so it stops the program as close to the cause as possible. Tests and the
 * audit tell the two apart by the class, never by parsing a message.
 */
export class AssertionFailure extends Error {
  override readonly name = "AssertionFailure";

  constructor(readonly detail: string) {
    super(`assertion failed: ${detail}`);
  }
}

export function assert(condition: boolean, detail: string): asserts condition {
  if (!condition) throw new AssertionFailure(detail);
}

/** What went wrong, for a report: an assertion's detail without its prefix, else the message. */
export function failureDetail(error: unknown): string {
  if (error instanceof AssertionFailure) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
