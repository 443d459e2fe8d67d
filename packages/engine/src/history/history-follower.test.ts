import { describe, expect, it } from "vitest";
import { MemoryEventStore } from "../store/memory-event-store.js";
import type { EventStore, ReadStreamOptions } from "../store/event-store.js";
import { TestClock } from "../runtime/clock.js";
import { openLedger } from "../runtime/ledger.js";
import { deposit, openWallet } from "@pacioli/core/testing/requests";

const T0 = Date.UTC(2026, 10, 25, 10);

describe("the history follower, built on first use after a start from a snapshot", () => {
  it("holds every entry, also those committed while it was being built", async () => {
    const store = new MemoryEventStore();
    const clock = new TestClock(T0);
    const first = await openLedger({ store, clock });
    await first.executeWire(openWallet("w1"));
    for (let index = 0; index < 600; index += 1) await first.executeWire(deposit("w1", "1.00"));
    await first.snapshot();
    await first.close();

    // Reads answer a moment after they are served, as over a network, a page of events more
    // slowly than the one-event read a commit makes: commits land while a page travels.
    const slowReads: EventStore = Object.assign(Object.create(store) as EventStore, {
      readStream: async (stream: string, options?: ReadStreamOptions) => {
        const events = await store.readStream(stream, options);
        await new Promise((resolve) => setTimeout(resolve, events.length > 1 ? 5 : 0));
        return events;
      },
    });
    const restarted = await openLedger({ store: slowReads, clock });
    // The first query starts building history from the store while deposits keep committing,
    // one after another, before, during and after that build.
    let building = true;
    const warming = restarted.history("w1", { limit: 1 }).finally(() => (building = false));
    let committed = 0;
    while (building || committed < 20) {
      await restarted.executeWire(deposit("w1", "1.00"));
      committed += 1;
    }
    await warming;
    const total = 601 + committed;
    const lines = [];
    for (let before: number | undefined; ;) {
      const page = await restarted.history("w1", {
        limit: 1000,
        ...(before === undefined ? {} : { before }),
      });
      lines.push(...page.lines);
      if (page.nextCursor === undefined) break;
      before = page.nextCursor;
    }
    expect(lines.map((line) => line.sequence)).toEqual(
      Array.from({ length: total - 1 }, (_, index) => total - index),
    );
    expect(lines[0]?.available).toBe(BigInt(100 * (total - 1)));
    expect(await restarted.balanceAsOf("w1", "USD", { sequence: restarted.sequence })).toEqual({
      available: BigInt(100 * (total - 1)),
      held: 0n,
    });
  });
});
