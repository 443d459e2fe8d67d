/**
 * The ledger's Merkle leaves read from a store: every stored event of a stream, in stream
 * order, hashed as its payload exactly as stored (`leafHash`). The tree is a function of the
 * stored bytes alone, so every process and every store (memory, SQLite, EventStoreDB) that
 * holds the same events computes the same tree — nothing about it needs storing to agree.
 *
 * Pages come from the journal's reader (`contiguousPages`): a stream with a gap stops with a
 * `StoreFormatError` naming the position, as replay does.
 */
import { contiguousPages } from "../journal/journal-reader.js";
import type { EventStore, StoredEvent } from "../store/event-store.js";
import { LeafHashes } from "./leaf-hashes.js";
import { leafHash } from "./merkle-hash.js";

export interface ReadLeavesOptions {
  /** Stop after this many events (default: the whole stream). */
  readonly upTo?: number;
  /** Sees every stored event as its leaf is added (e.g. to find one by idempotency key). */
  readonly onEvent?: (stored: StoredEvent) => void;
}

export async function readJournalLeaves(
  store: EventStore,
  stream: string,
  options: ReadLeavesOptions = {},
): Promise<LeafHashes> {
  const leaves = new LeafHashes();
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  for await (const page of contiguousPages(store, stream)) {
    for (const stored of page) {
      if (leaves.size >= upTo) return leaves;
      leaves.push(leafHash(stored.payload));
      options.onEvent?.(stored);
    }
  }
  return leaves;
}
