/**
 * The running ledger's tree head is kept per append, not re-read: once caught up, asking for
 * it reads one (empty) page however many events were appended since; and it equals the tree
 * built from the stored leaves.
 */
import { describe, expect, it } from "vitest";
import { TestClock } from "../runtime/clock.js";
import { openLedger } from "../runtime/ledger.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { deposit, openWallet } from "@pacioli/core/testing/requests";
import { readJournalLeaves } from "./journal-leaves.js";
import { rangeRoot } from "./range-root.js";

describe("the ledger's tree head", () => {
  it("folds each durable append into the head without reading the store back", async () => {
    const store = new MemoryEventStore();
    const ledger = await openLedger({ store, clock: new TestClock(Date.UTC(2026, 10, 25)) });
    await ledger.executeWire(openWallet("w1"));
    expect((await ledger.treeHead()).size).toBe(1);
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        ledger.executeWire(deposit("w1", "1.00", "USD", `d-${index}`)),
      ),
    );
    const reads: number[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = async (stream, options) => {
      const page = await readStream(stream, options);
      reads.push(page.length);
      return page;
    };
    const head = await ledger.treeHead();
    expect(reads).toEqual([0]);
    store.readStream = readStream;
    const leaves = await readJournalLeaves(store, ledger.stream);
    expect(head.size).toBe(41);
    expect(head.root()).toEqual(rangeRoot(leaves, 0, leaves.size));
  });
});
