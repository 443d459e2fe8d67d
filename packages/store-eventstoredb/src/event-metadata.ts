/**
 * The metadata the adapter writes with each event and snapshot, and reads back.
 *
 * Event data is the engine's canonical JSON kept byte for byte, so it is sent as
 * `application/octet-stream`: the clients re-serialise `application/json` data with
 * `JSON.stringify`, which would not preserve the bytes the hash chain covers. The metadata is
 * JSON the adapter owns: the engine's original event id (the server only sees a UUID derived
 * from it), for snapshots (single events of old, or manifests now) the stream version the
 * snapshot covers, and for snapshot chunks their index.
 */
export const event_type_snapshot = "PacioliSnapshot";
/** The pointer to a chunked snapshot, in `<stream>-snapshots` (see `snapshot-chunks.ts`). */
export const event_type_snapshot_manifest = "PacioliSnapshotManifest";
/** One piece of a chunked snapshot's payload, in the snapshot's chunk stream. */
export const event_type_snapshot_chunk = "PacioliSnapshotChunk";

export interface EventMetadata {
  readonly pacioliEventId: string;
}

export interface SnapshotMetadata {
  readonly pacioliSnapshotVersion: number;
}

export interface SnapshotChunkMetadata {
  readonly pacioliSnapshotChunk: number;
}

export function snapshotMetadataBytes(version: number): Buffer {
  return Buffer.from(
    JSON.stringify({ pacioliSnapshotVersion: version } satisfies SnapshotMetadata),
    "utf8",
  );
}

/** Only for operators reading a chunk stream by hand: the reader relies on revisions. */
export function snapshotChunkMetadataBytes(index: number): Buffer {
  return Buffer.from(
    JSON.stringify({ pacioliSnapshotChunk: index } satisfies SnapshotChunkMetadata),
    "utf8",
  );
}

export function eventMetadataBytes(eventId: string): Buffer {
  return Buffer.from(JSON.stringify({ pacioliEventId: eventId } satisfies EventMetadata), "utf8");
}

/** The engine's id from an event's metadata (as the clients parse it), or null. */
export function eventIdOf(metadata: unknown): string | null {
  if (typeof metadata !== "object" || metadata === null) return null;
  const id = (metadata as { pacioliEventId?: unknown }).pacioliEventId;
  return typeof id === "string" ? id : null;
}

export function snapshotVersionOf(metadata: unknown): number | null {
  if (typeof metadata !== "object" || metadata === null) return null;
  const version = (metadata as { pacioliSnapshotVersion?: unknown }).pacioliSnapshotVersion;
  return typeof version === "number" && Number.isSafeInteger(version) && version >= 0
    ? version
    : null;
}
