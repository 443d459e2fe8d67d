/**
 * The server's maximum append size, checked before anything is sent.
 *
 * EventStoreDB rejects an append whose events add up to more than `MaxAppendSize` (1 MiB by
 * default), counting each event as its data plus its metadata plus twice the length of its
 * type (the server's `Event.SizeOnDisk`). An append the server would reject is never sent:
 * `append` rejects it up front with `AppendTooLargeError`, and the store exposes
 * `maxAppendBytes` and `appendSizeBytes` so the engine can size its group commits to fit
 * (close a batch before adding the command whose events would cross the limit).
 *
 * The metadata counted is exactly the metadata the adapter sends (`event-metadata.ts`), so the
 * check is neither looser nor stricter than the server's.
 */
import { StoreError, type NewEvent } from "@pacioli/engine";
import { eventMetadataBytes } from "./event-metadata.js";

/** EventStoreDB/KurrentDB default `MaxAppendSize`. */
export const max_append_bytes_default = 1024 * 1024;

/** Bytes the server counts for one event of an append. */
export function eventSizeBytes(event: NewEvent): number {
  return serverEventSizeBytes(
    Buffer.byteLength(event.payload, "utf8"),
    eventMetadataBytes(event.eventId).length,
    event.type,
  );
}

/** The server's `Event.SizeOnDisk`: data + metadata + the type in UTF-16 code units. */
export function serverEventSizeBytes(
  dataBytes: number,
  metadataBytes: number,
  type: string,
): number {
  return dataBytes + metadataBytes + 2 * type.length;
}

/** Bytes the server counts for an append: what must stay at or under `maxAppendBytes`. */
export function appendSizeBytes(events: readonly NewEvent[]): number {
  return events.reduce((sum, event) => sum + eventSizeBytes(event), 0);
}

/** An append larger than the server accepts; not retryable: split the batch instead. */
export class AppendTooLargeError extends StoreError {
  override readonly name = "AppendTooLargeError";
  constructor(
    readonly stream: string,
    readonly appendBytes: number,
    readonly maxAppendBytes: number,
  ) {
    super(
      `append to ${JSON.stringify(stream)} is ${appendBytes} bytes, over the maximum append size of ${maxAppendBytes} bytes`,
      false,
    );
  }
}
