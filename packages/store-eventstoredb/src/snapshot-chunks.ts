/**
 * Snapshots of any size on a server that refuses appends over `MaxAppendSize` (1 MiB by
 * default) and events over its record size limit (16 MiB).
 *
 * A snapshot is written as:
 * 1. its payload's UTF-8 bytes cut into chunks, one `PacioliSnapshotChunk` event per append,
 *    each append sized to fit `maxAppendBytes` with the server's per-event framing counted
 *    (`serverEventSizeBytes`), in a chunk stream of its own
 *    (`S-snapshot@<version>-<write id>-snapshots`, see `stream-names.ts`);
 * 2. then, once every chunk is durable, a small `PacioliSnapshotManifest` event in
 *    `S-snapshots` naming the chunk stream, the chunk count, the byte length and the SHA-256
 *    of the payload.
 * The manifest is the commit point: until it is written the previous manifest, and its
 * chunks, stay the latest snapshot. A reader takes the latest manifest, reads its chunks and
 * checks count, length and hash; anything missing or different is "no usable snapshot".
 *
 * This module holds the pure parts (sizes, chunk events, the manifest's encoding); the I/O is
 * in `event-store-db-store.ts`.
 */
import { createHash } from "node:crypto";
import { serverEventSizeBytes } from "./append-size.js";
import type { ClientProposedEvent, ClientRecordedEvent } from "./client-api.js";
import {
  event_type_snapshot_chunk,
  event_type_snapshot_manifest,
  snapshotChunkMetadataBytes,
  snapshotMetadataBytes,
  snapshotVersionOf,
} from "./event-metadata.js";
import { eventUuid } from "./event-uuid.js";

/**
 * Largest chunk, whatever `maxAppendBytes` allows: well under the server's 16 MiB record
 * limit, and under the 4 MiB gRPC message size both sides default to, so a raised
 * `MaxAppendSize` cannot produce chunks that one side cannot carry.
 */
export const snapshot_chunk_bytes_max = 1024 * 1024;

export interface SnapshotManifest {
  /** Without the store's `streamPrefix`, like every name the engine sees. */
  readonly chunkStream: string;
  readonly chunks: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Payload bytes per chunk so that one chunk event is one append within `maxAppendBytes`. */
export function snapshotChunkBytes(maxAppendBytes: number): number {
  // Metadata sized for the largest index there can be, so every chunk gets the same room.
  const framing = serverEventSizeBytes(
    0,
    snapshotChunkMetadataBytes(Number.MAX_SAFE_INTEGER).length,
    event_type_snapshot_chunk,
  );
  const room = maxAppendBytes - framing;
  if (room < 1)
    throw new RangeError(
      `maxAppendBytes of ${maxAppendBytes} leaves no room for snapshot chunks (framing is ${framing} bytes)`,
    );
  return Math.min(room, snapshot_chunk_bytes_max);
}

export function snapshotManifestOf(
  chunkStream: string,
  payload: Uint8Array,
  chunkBytes: number,
): SnapshotManifest {
  return {
    chunkStream,
    // At least one chunk, so an empty payload still has a stream to point at.
    chunks: Math.max(1, Math.ceil(payload.length / chunkBytes)),
    bytes: payload.length,
    sha256: createHash("sha256").update(payload).digest("hex"),
  };
}

/** Chunk `index` of `payload`; a view, not a copy (a 100 MB snapshot is not duplicated). */
export function snapshotChunkEvent(
  manifest: SnapshotManifest,
  payload: Uint8Array,
  chunkBytes: number,
  index: number,
): ClientProposedEvent {
  const start = index * chunkBytes;
  const end = Math.min(start + chunkBytes, payload.length);
  return {
    // Deterministic per write, so an append retried after an unknown outcome is recognised.
    id: eventUuid(`snapshot-chunk\u0000${manifest.chunkStream}\u0000${index}`),
    type: event_type_snapshot_chunk,
    contentType: "application/octet-stream",
    // A plain Uint8Array view: the clients reject Buffers (see `proposedEvent`).
    data: new Uint8Array(payload.buffer, payload.byteOffset + start, end - start),
    metadata: new Uint8Array(snapshotChunkMetadataBytes(index)),
  };
}

export function snapshotManifestEvent(
  stream: string,
  version: number,
  manifest: SnapshotManifest,
): ClientProposedEvent {
  return {
    id: eventUuid(`snapshot-manifest\u0000${stream}\u0000${version}\u0000${manifest.chunkStream}`),
    type: event_type_snapshot_manifest,
    contentType: "application/octet-stream",
    data: new Uint8Array(Buffer.from(JSON.stringify(manifest), "utf8")),
    // The same metadata as single-event snapshots had: an adapter from before chunking reads
    // this manifest as a snapshot whose payload the engine then ignores (no `format`), with a
    // warning, and replays, instead of failing to open.
    metadata: new Uint8Array(snapshotMetadataBytes(version)),
  };
}

export function isSnapshotManifest(recorded: ClientRecordedEvent): boolean {
  return recorded.type === event_type_snapshot_manifest;
}

/** The manifest and version an event records, or null when it is not a well-formed one. */
export function decodeSnapshotManifest(
  recorded: ClientRecordedEvent,
): { readonly manifest: SnapshotManifest; readonly version: number } | null {
  const version = snapshotVersionOf(recorded.metadata);
  if (!isSnapshotManifest(recorded) || !(recorded.data instanceof Uint8Array) || version === null)
    return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(recorded.data).toString("utf8"));
  } catch {
    return null;
  }
  return isManifest(value) ? { manifest: value, version } : null;
}

function isManifest(value: unknown): value is SnapshotManifest {
  if (typeof value !== "object" || value === null) return false;
  const { chunkStream, chunks, bytes, sha256 } = value as Record<string, unknown>;
  return (
    typeof chunkStream === "string" &&
    chunkStream.length > 0 &&
    isCount(chunks) &&
    chunks >= 1 &&
    isCount(bytes) &&
    typeof sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(sha256)
  );
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The payload the chunks reassemble to, or null unless they are exactly the manifest's:
 * revisions 0 … chunks − 1, in order, with the recorded length and SHA-256.
 */
export function assembleSnapshotPayload(
  manifest: SnapshotManifest,
  chunks: readonly ClientRecordedEvent[],
): string | null {
  if (chunks.length !== manifest.chunks) return null;
  const parts: Uint8Array[] = [];
  for (const [index, chunk] of chunks.entries()) {
    if (chunk.revision !== BigInt(index) || !(chunk.data instanceof Uint8Array)) return null;
    parts.push(chunk.data);
  }
  const payload = Buffer.concat(parts);
  if (payload.length !== manifest.bytes) return null;
  if (createHash("sha256").update(payload).digest("hex") !== manifest.sha256) return null;
  return payload.toString("utf8");
}
