/**
 * Answering a batch once its append is durable (or needed none): each caller gets what the
 * decision made of its command. A repeat gets the events its key recorded the first time —
 * from this batch when the first time was in it, else read back from the store.
 */
import type { CurrencyRegistry, RecordedEvent } from "@pacioli/core";
import { decodeEntry } from "../journal/journal-codec.js";
import type { EventStore } from "../store/event-store.js";
import type { Decided } from "./batch-decision.js";
import type { PendingCommand } from "./command-queue.js";

export interface StoredStream {
  readonly store: EventStore;
  readonly stream: string;
  readonly registry: CurrencyRegistry;
}

export async function acknowledge(
  source: StoredStream,
  accepted: readonly PendingCommand[],
  decided: readonly Decided[],
  recorded: readonly RecordedEvent[],
): Promise<void> {
  for (let index = 0; index < accepted.length; index += 1) {
    const pending = accepted[index] as PendingCommand;
    const item = decided[index] as Decided;
    try {
      if (item._tag === "Done") pending.resolve(item.result);
      else if (item._tag === "Recorded")
        pending.resolve({ _tag: "Accepted", events: item.events, repeated: false });
      else
        pending.resolve({
          _tag: "Accepted",
          events: await originalEvents(source, item.firstSequence, item.eventCount, recorded),
          repeated: true,
        });
    } catch (error) {
      pending.reject(error);
    }
  }
}

/** The events a command recorded the first time: from this batch, or read back from the store. */
async function originalEvents(
  source: StoredStream,
  firstSequence: number,
  eventCount: number,
  batch: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  const inBatch = batch.filter(
    (event) => event.sequence >= firstSequence && event.sequence < firstSequence + eventCount,
  );
  if (inBatch.length === eventCount) return inBatch;
  const stored = await source.store.readStream(source.stream, {
    fromIndex: firstSequence - 1,
    limit: eventCount,
  });
  return stored.map((event) => decodeEntry(source.registry, event).recorded);
}
