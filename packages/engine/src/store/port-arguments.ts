/**
 * The event store port's argument checks, the same in every store: an append carries at least
 * one event, and a count (an expected version, an index, a limit, a snapshot's version) is a
 * non-negative safe integer. A wrong argument is a programmer error, a `RangeError` thrown
 * before the store reads or writes anything.
 */
import type { NewEvent, ReadStreamOptions } from "./event-store.js";

export function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

export function assertAppendArguments(events: readonly NewEvent[], expectedVersion: number): void {
  if (events.length === 0) throw new RangeError("append needs at least one event");
  assertCount(expectedVersion, "expectedVersion");
}

/** The first index `readStream` reads from, after checking it and the limit. */
export function readStreamStart(options: ReadStreamOptions): number {
  const fromIndex = options.fromIndex ?? 0;
  assertCount(fromIndex, "fromIndex");
  if (options.limit !== undefined) assertCount(options.limit, "limit");
  return fromIndex;
}
