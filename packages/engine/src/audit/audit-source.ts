/**
 * Where an audit reads from: pages of stored payloads in stream order, and optionally the
 * snapshot stored beside them. Any event store is a source (`storeAuditSource`, reading
 * through the journal's one paging loop); the CLI adds one for JSONL archives. Pages keep
 * memory flat on streams of millions of events.
 */
import { JOURNAL_PAGE_SIZE, journalPages } from "../journal/journal-reader.js";
import type { EventStore, StoredSnapshot } from "../store/event-store.js";

export interface AuditRecord {
  /** The stored payload text, exactly as stored. */
  readonly payload: string;
  /** The store's event id, type and stream index columns, when the source has them. */
  readonly eventId?: string;
  readonly type?: string;
  readonly streamIndex?: number;
}

export interface AuditSource {
  readonly stream: string;
  /** Records in stream order; the first record is position 1. */
  pages(): AsyncIterable<readonly AuditRecord[]>;
  /** Records after the first `events` (the first record is then position `events + 1`). */
  pagesAfter?(events: number): AsyncIterable<readonly AuditRecord[]>;
  readSnapshot?(): Promise<StoredSnapshot | null>;
}

/** A stream of an event store; a remote store with costly round trips may pass a larger page. */
export function storeAuditSource(
  store: EventStore,
  stream: string,
  pageSize: number = JOURNAL_PAGE_SIZE,
): AuditSource {
  return {
    stream,
    pages: () => journalPages(store, stream, { pageSize }),
    pagesAfter: (events) => journalPages(store, stream, { pageSize, fromIndex: events }),
    readSnapshot: () => store.readSnapshot(stream),
  };
}
