/**
 * The history projection rebuilt in memory from the stream alone: what the persisted one
 * must equal (tests, `pacioli rebuild-history --verify`).
 */
import { iso4217, type CurrencyRegistry } from "@pacioli/core";
import { decodeEntry } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";
import type { HistoryContents } from "./history-projection.js";
import { MemoryHistoryProjection } from "./memory-history-projection.js";
import { projectEvent } from "./projected-event.js";

const PAGE_EVENTS = 1_000;

/** Folds the stream's first `through` events (default: all) into a fresh memory projection. */
export async function historyRebuiltFromStream(
  store: EventStore,
  stream: string,
  options: { readonly registry?: CurrencyRegistry; readonly through?: number } = {},
): Promise<HistoryContents> {
  const registry = options.registry ?? iso4217;
  const through = options.through ?? Number.POSITIVE_INFINITY;
  const projection = new MemoryHistoryProjection();
  for (let from = 0; from < through; from += PAGE_EVENTS) {
    const stored = await store.readStream(stream, {
      fromIndex: from,
      limit: Math.min(PAGE_EVENTS, through - from),
    });
    if (stored.length === 0) break;
    await projection.apply(
      stored.map((event) => projectEvent(decodeEntry(registry, event).recorded)),
    );
  }
  return projection.contents();
}
