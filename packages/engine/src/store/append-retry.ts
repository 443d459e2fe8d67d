import type { AppendResult, NewEvent, StoredEvent } from "./event-store.js";

/**
 * The answer to an append whose stream has moved past `expectedVersion`: either this append
 * already happened (the same event ids at the same place: a retry, answered as it was the
 * first time) or another writer got there first (a conflict). For stores that keep a
 * stream's events in memory in order (the memory store, the simulation's disk).
 */
export function appendRetryResult(
  existing: readonly StoredEvent[],
  events: readonly NewEvent[],
  expectedVersion: number,
): AppendResult {
  const conflict: AppendResult = {
    _tag: "VersionConflict",
    expectedVersion,
    actualVersion: existing.length,
  };
  const range = existing.slice(expectedVersion, expectedVersion + events.length);
  if (range.length !== events.length) return conflict;
  if (!range.every((stored, offset) => stored.eventId === events[offset]?.eventId)) return conflict;
  const last = range.at(-1);
  if (last === undefined) return conflict;
  return {
    _tag: "Appended",
    nextVersion: expectedVersion + events.length,
    position: last.position,
  };
}
