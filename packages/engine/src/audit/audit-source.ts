/**
 * Where an audit reads from: pages of stored payloads in stream order, and optionally the
 * snapshot stored beside them. Any event store is a source (`storeAuditSource`); the CLI
 * adds one for JSONL archives. Pages keep memory flat on streams of millions of events.
 */
import { REPLAY_PAGE_SIZE } from "../runtime/replay.js";
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

export function storeAuditSource(store: EventStore, stream: string, pageSize: number = REPLAY_PAGE_SIZE): AuditSource {
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
