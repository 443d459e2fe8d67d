/**
 * Deterministic EventStoreDB event ids from the engine's event ids.
 *
 * EventStoreDB recognises a retried append by its event ids, and its ids are UUIDs, while the
 * port's `eventId` is any string the engine chose (deterministic, not necessarily a UUID). So
 * the id sent to the server is derived from the engine's id: SHA-256 over a namespace and the
 * UTF-8 id, first 16 bytes, stamped as an RFC 9562 version 8 (custom, name-based) UUID with
 * the RFC variant. It is UUIDv5's construction with SHA-256 instead of SHA-1; version 8 is
 * the honest label for that. Same engine id, same UUID, on every machine and every retry.
 *
 * The original id travels in the event's metadata (`pacioliEventId`) and is what reads return;
 * a 122-bit hash collision between two ids of one retry window is not a practical concern.
 */
import { createHash } from "node:crypto";

/** Namespace so Pacioli ids never coincide with another application's SHA-256-derived UUIDs. */
const namespace = "pacioli:event-id:v1\u0000";

export function eventUuid(eventId: string): string {
  const bytes = createHash("sha256")
    .update(namespace + eventId, "utf8")
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
