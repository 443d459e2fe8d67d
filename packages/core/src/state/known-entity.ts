/**
 * The entity a recorded event names. `decide` only records events about entities that exist,
 * so an unknown one while folding is a bug (an assertion), never a rejection.
 */
import { AssertionFailure } from "../assertion.js";

export function knownEntity<T>(entities: ReadonlyMap<string, T>, id: string, kind: string): T {
  const found = entities.get(id);
  if (found === undefined) throw new AssertionFailure(`event for unknown ${kind} ${id}`);
  return found;
}
