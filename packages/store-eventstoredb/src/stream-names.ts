/**
 * Stream naming on EventStoreDB, and the server-side filter that follows from it.
 *
 * - A ledger stream is named by the engine (e.g. `ledger-<partition>`). Names starting with
 *   `$` are the server's system streams, and names ending in `-snapshots` are this adapter's
 *   companion streams, so both are refused for ledger streams (a programmer error).
 * - The snapshots of stream S live in `S-snapshots` (last event wins, `$maxCount: 1`): each is
 *   a manifest naming a chunk stream `S-snapshot@<version>-<16 hex>-snapshots` that holds the
 *   payload (`snapshot-chunks.ts`). Chunk streams end in `-snapshots` on purpose: the filter
 *   below (and that of adapters released before chunking) already leaves them out of
 *   `readAll`/`subscribe`. So that no chunk stream can be the snapshot stream of a ledger
 *   stream (`X-snapshots` with X = `S-snapshot@…`), ledger names may not contain `-snapshot@`.
 * - `readAll` and `subscribe` see ledger events only: one server-side regex filter on the
 *   stream name excludes system streams (`$…`, which also hides `$$…` metadata streams and
 *   `$>` link events of projections) and snapshot streams. The filter is evaluated by the
 *   server, so nothing filtered out crosses the network.
 * - An optional `streamPrefix` puts every stream of a store under a namespace on the server
 *   (several ledgers, tenants or test runs on one cluster); the filter then keeps that
 *   namespace only, and the engine never sees the prefix.
 */
export const snapshot_stream_suffix = "-snapshots";
/** Marks chunk streams; reserved inside ledger stream names. */
export const snapshot_chunk_stream_marker = "-snapshot@";

/**
 * Regex (evaluated by the server, .NET syntax; these lookaheads mean the same in JS) matching
 * the ledger streams of one namespace (`streamPrefix`, empty by default).
 */
export function ledgerStreamRegex(streamPrefix: string): string {
  const escaped = streamPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return `^${escaped}(?!\\$)(?!.*-snapshots$)`;
}

export function snapshotStreamName(stream: string): string {
  return `${stream}${snapshot_stream_suffix}`;
}

/**
 * The chunk stream of one snapshot write. `writeId` (random) makes every write use a fresh
 * stream: a stream soft-deleted after being replaced is never appended to again.
 */
export function snapshotChunkStreamName(stream: string, version: number, writeId: string): string {
  return `${stream}${snapshot_chunk_stream_marker}${version}-${writeId}${snapshot_stream_suffix}`;
}

export function assertLedgerStreamName(stream: string): void {
  if (stream.length === 0) throw new RangeError("a stream name cannot be empty");
  if (stream.startsWith("$"))
    throw new RangeError(`${JSON.stringify(stream)} is a system stream name ($-prefixed)`);
  if (stream.endsWith(snapshot_stream_suffix)) {
    throw new RangeError(
      `${JSON.stringify(stream)} ends in ${snapshot_stream_suffix}, which is reserved for snapshot streams`,
    );
  }
  if (stream.includes(snapshot_chunk_stream_marker)) {
    throw new RangeError(
      `${JSON.stringify(stream)} contains ${snapshot_chunk_stream_marker}, which is reserved for snapshot chunk streams`,
    );
  }
}
