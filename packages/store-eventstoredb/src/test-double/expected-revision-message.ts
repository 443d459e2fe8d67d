/**
 * The expected revision as the protocol carries it: a oneof of four cases (a revision, no
 * stream, stream exists, any), read from a request's options and written into the replies
 * that echo it. `Append`, `Delete` and `BatchAppend` name the cases' accessors differently,
 * so the callers pass what they read and the setters they have.
 */
import type { ExpectedRevision } from "./double-log.js";

/** The four setters of a message's expected-revision oneof. */
export interface ExpectedRevisionSetters {
  readonly revision: (revision: string) => void;
  readonly noStream: () => void;
  readonly streamExists: () => void;
  readonly any: () => void;
}

/** The case a request's options hold: a revision when set, else no stream, stream exists, any. */
export function expectedRevisionOf(
  revision: string | undefined,
  noStream: boolean,
  streamExists: boolean,
): ExpectedRevision {
  if (revision !== undefined) return { _tag: "Revision", revision: Number(revision) };
  if (noStream) return { _tag: "NoStream" };
  return streamExists ? { _tag: "StreamExists" } : { _tag: "Any" };
}

export function writeExpectedRevision(
  expected: ExpectedRevision,
  set: ExpectedRevisionSetters,
): void {
  switch (expected._tag) {
    case "Revision":
      return set.revision(String(expected.revision));
    case "NoStream":
      return set.noStream();
    case "StreamExists":
      return set.streamExists();
    case "Any":
      return set.any();
  }
}
