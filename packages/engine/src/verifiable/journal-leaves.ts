/**
 * The ledger's Merkle leaves read from a store: every stored event of a stream, in stream
 * order, hashed as its payload exactly as stored (`leafHash`). The tree is a function of the
 * stored bytes alone, so every process and every store (memory, SQLite, EventStoreDB) that
 * holds the same events computes the same tree — nothing about it needs storing to agree.
 *
 * Reading pages here is the one place the verifiable ledger pages through a stream; it
 * follows the journal's reading path (when the journal becomes the only owner of stream
 * paging, this reads through it).
 */
import type { EventStore, StoredEvent } from "../store/event-store.js";
import { LeafHashes } from "./leaf-hashes.js";
import { leafHash } from "./merkle-hash.js";

/** Events per page: small pages die young (see `REPLAY_PAGE_SIZE`). */
export const LEAF_PAGE_SIZE = 256;

export interface ReadLeavesOptions {
  /** Stop after this many events (default: the whole stream). */
  readonly upTo?: number;
  /** Sees every stored event as its leaf is added (e.g. to find one by idempotency key). */
  readonly onEvent?: (stored: StoredEvent) => void;
}

export async function readJournalLeaves(store: EventStore, stream: string, options: ReadLeavesOptions = {}): Promise<LeafHashes> {
  const leaves = new LeafHashes();
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  while (leaves.size < upTo) {
    const limit = Math.min(LEAF_PAGE_SIZE, upTo - leaves.size);
    const page = await store.readStream(stream, { fromIndex: leaves.size, limit });
    for (const stored of page) {
      if (stored.streamIndex !== leaves.size) throw new Error(`assertion failed: the store returned stream index ${stored.streamIndex} for ${leaves.size}`);
      leaves.push(leafHash(stored.payload));
      options.onEvent?.(stored);
    }
    if (page.length < limit) break;
  }
  return leaves;
}
