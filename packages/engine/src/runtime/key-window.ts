/**
 * The idempotency key window as the writer sees it (ADR 0011): the store keeps every key with
 * the events; memory holds a bounded hot set. Before a batch is decided, the keys it carries
 * that the hot set lacks are read from the store in one query, so `decide` (pure) sees every
 * key of the window that matters to this batch.
 */
import type { IdempotencyEntry, LedgerState } from "@pacioli/core";
import type { EventStore, IdempotencyRecord } from "../store/event-store.js";
import type { PendingCommand } from "./command-queue.js";

/**
 * Puts into the hot set the stored records of the batch's keys that are not in it. A key not
 * in the store is new. Keys are read from the requests without decoding them (a request that
 * does not decode has no key to look up and is refused later anyway).
 */
export async function bringKeysIntoHotSet(
  store: EventStore,
  stream: string,
  state: LedgerState,
  batch: readonly PendingCommand[],
): Promise<void> {
  const find = store.findIdempotency;
  if (find === undefined) return; // the whole window is in memory (see ledger-options.ts)
  const table = state.idempotency;
  const missing = new Set<string>();
  const present: IdempotencyEntry[] = [];
  for (const pending of batch) {
    const key = (pending.request as { readonly idempotencyKey?: unknown } | null)?.idempotencyKey;
    if (typeof key !== "string") continue;
    const entry = table.get(key);
    if (entry === undefined) missing.add(key);
    else present.push(entry);
  }
  const found =
    missing.size === 0
      ? new Map<string, IdempotencyRecord>()
      : await find.call(store, stream, [...missing]);
  // The batch's keys become the newest in the hot set, those it held included: a key held
  // but oldest would otherwise be evicted by the ones added now, before its command is
  // decided (found by the crash test). The bound of two batches keeps them all until then.
  for (const entry of present) table.remember(entry);
  for (const record of found.values())
    if (table.get(record.key) === undefined) table.remember(record);
}
