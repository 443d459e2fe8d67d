/**
 * Every event of a stream, page by page, through the engine's journal reader: the stored
 * form (for archives) or decoded with the ledger's currency registry (for journals and CSV).
 * A stream that cannot be read stops with the position of the bad event.
 */
import type { CurrencyRegistry, RecordedEvent } from "@pacioli/core";
import {
  contiguousPages,
  journalEntries,
  StoreError,
  type EventStore,
  type StoredEvent,
} from "@pacioli/engine";
import { CliError, EXIT_VIOLATIONS } from "./cli-error.js";

export async function* storedEvents(
  store: EventStore,
  stream: string,
): AsyncGenerator<StoredEvent> {
  for await (const page of contiguousPages(store, stream)) yield* page;
}

export async function* recordedEvents(
  store: EventStore,
  stream: string,
  registry: CurrencyRegistry,
): AsyncGenerator<RecordedEvent> {
  try {
    for await (const page of journalEntries(store, stream, registry))
      for (const entry of page) yield entry.recorded;
  } catch (error) {
    if (error instanceof StoreError || error instanceof CliError) throw error;
    throw new CliError(
      (error as Error).message,
      EXIT_VIOLATIONS,
      "run `pacioli audit` on this ledger to see every problem",
    );
  }
}
