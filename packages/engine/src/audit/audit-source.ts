/**
 * Where an audit reads from: pages of stored payloads in stream order, and optionally the
 * snapshot stored beside them. Any event store is a source (`storeAuditSource`); the CLI
 * adds one for JSONL archives. Pages keep memory flat on streams of millions of events.
 */
import type { EventStore, StoredSnapshot } from "../store/event-store.js";

export interface AuditRecord {
  /** The stored payload text, exactly as stored. */
  readonly payload: string;
  /** The store's event id and type columns, when the source has them. */
  readonly eventId?: string;
  readonly type?: string;
}

export interface AuditSource {
  readonly stream: string;
  /** Records in stream order; the first record is position 1. */
  pages(): AsyncIterable<readonly AuditRecord[]>;
  readSnapshot?(): Promise<StoredSnapshot | null>;
}

/**
 * Events per page read from a store. Small on purpose: a page lives until its last event is
 * checked, and checking an event makes several KB of short-lived garbage, so a large page
 * outlives young-generation collections and dies in the old generation instead. Measured
 * on a 1M-event ledger, same live heap (0.46 GiB) and throughput: at 1000 or 5000 events a
 * page the old generation committed 0.88 GiB and peak RSS was 1.27 GiB; at 250 or 500,
 * 0.56 GiB and 0.71 GiB. A remote store with costly round trips may pass a larger page.
 */
export const AUDIT_PAGE_SIZE = 256;

export function storeAuditSource(store: EventStore, stream: string, pageSize: number = AUDIT_PAGE_SIZE): AuditSource {
  if (!(pageSize > 0)) throw new Error(`assertion failed: page size ${pageSize} must be positive`);
  return {
    stream,
    async *pages() {
      for (let fromIndex = 0; ; fromIndex += pageSize) {
        const page = await store.readStream(stream, { fromIndex, limit: pageSize });
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
      }
    },
    readSnapshot: () => store.readSnapshot(stream),
  };
}
