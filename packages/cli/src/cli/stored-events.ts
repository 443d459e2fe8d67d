/**
 * Every event of a stream, page by page: the stored form (for archives) or decoded (for
 * journals and CSV). Decoding goes through the engine's journal codec, so a stream that
 * cannot be read stops with the position of the bad event.
 */
import { iso4217, type RecordedEvent } from "@pacioli/core";
import { decodeEntry, REPLAY_PAGE_SIZE, type EventStore, type StoredEvent } from "@pacioli/engine";
import { CliError, EXIT_VIOLATIONS } from "./cli-error.js";

export async function* storedEvents(store: EventStore, stream: string): AsyncGenerator<StoredEvent> {
  for (let fromIndex = 0; ; fromIndex += REPLAY_PAGE_SIZE) {
    const page = await store.readStream(stream, { fromIndex, limit: REPLAY_PAGE_SIZE });
    yield* page;
    if (page.length < REPLAY_PAGE_SIZE) return;
  }
}

export async function* recordedEvents(store: EventStore, stream: string): AsyncGenerator<RecordedEvent> {
  for await (const stored of storedEvents(store, stream)) {
    try {
      yield decodeEntry(iso4217, stored).recorded;
    } catch (error) {
      throw new CliError((error as Error).message, EXIT_VIOLATIONS, "run `pacioli audit` on this ledger to see every problem");
    }
  }
}
