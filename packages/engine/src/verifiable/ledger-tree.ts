/**
 * The running ledger's tree head, kept incrementally: after each durable append the writer
 * hands over the events it wrote and their first stream index, and their leaves are folded
 * into the frontier (a SHA-256 of the payload per event plus, amortised, one node hash). No
 * leaf is stored and the store is not touched on the write path.
 *
 * The head is a pure function of the stored bytes, so it is not persisted: a ledger opened
 * from a snapshot, or one that another process appended to, derives what it lacks from the
 * stored events the first time it is asked (`current`), reading only the events after the
 * head it has. Appends it did not see (another writer's, or ones made while it was catching
 * up) are never folded twice: a batch is folded only when it starts exactly at the head's size,
 * and a stored event only when its index is the head's size. ADR 0016.
 */
import type { EventStore, NewEvent } from "../store/event-store.js";
import { journalPages } from "../journal/journal-reader.js";
import { leafHash } from "./merkle-hash.js";
import { TreeHead } from "./tree-head.js";

export class LedgerTree {
  private readonly head = TreeHead.empty();

  /** Events folded so far (the tree may be behind the stream until `current` catches up). */
  get size(): number {
    return this.head.size;
  }

  /** The writer's hook: `events` were durably appended at stream index `firstIndex`. */
  appended(firstIndex: number, events: readonly NewEvent[]): void {
    if (firstIndex !== this.head.size) return; // behind (not yet caught up): `current` reads them
    for (const event of events) this.head.append(leafHash(event.payload));
  }

  /** Catches up with every stored event of the stream and returns a copy of the head. */
  async current(store: EventStore, stream: string): Promise<TreeHead> {
    for await (const page of journalPages(store, stream, { fromIndex: this.head.size })) {
      for (const stored of page) {
        if (stored.streamIndex === this.head.size) this.head.append(leafHash(stored.payload));
      }
    }
    return this.head.clone();
  }
}
