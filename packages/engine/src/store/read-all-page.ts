/**
 * A store's answer to `readAll(after, limit)`, built the same way by every adapter: the limit
 * must be a positive integer (anything else is a programmer error, a `RangeError`), and the
 * page is the first `limit` of the events the store found after `after`, `last` the position
 * to read on from (`after` again when the page is empty), `isEnd` when no event followed them.
 * A store reads one event more than the page holds to know that without a second read.
 *
 * The EventStoreDB double's own port (`DoubleLogEventStore`) keeps its copy on purpose: it
 * checks the double against the port independently of the adapters.
 */
import type { Position, ReadAllPage, StoredEvent } from "./event-store.js";

export function assertReadAllLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

/** The page of the first `limit` of `following` (the events after `after`, in order). */
export function readAllPage<Found>(
  following: readonly Found[],
  after: Position | null,
  limit: number,
  toEvent: (found: Found) => StoredEvent,
): ReadAllPage {
  const events = following.slice(0, limit).map(toEvent);
  return { events, last: events.at(-1)?.position ?? after, isEnd: following.length <= limit };
}
