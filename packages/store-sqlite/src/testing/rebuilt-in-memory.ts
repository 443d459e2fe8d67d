/** The persisted projection's reference: the same stream folded into a memory projection. */
import { historyRebuiltFromStream, type EventStore, type HistoryContents } from "@pacioli/engine";

export function rebuiltInMemory(store: EventStore, stream: string): Promise<HistoryContents> {
  return historyRebuiltFromStream(store, stream);
}
