/** Contract examples for `readStream` (fromIndex, limit) and `readAll` (paging, order). */
import { describe, expect, it } from "vitest";
import type { EventStore } from "@pacioli/engine";
import { events } from "./contract-fixture.js";
import { expectIncreasing, readEverything } from "./store-commands.js";

export function readExamples(store: () => EventStore): void {
  describe("readStream", () => {
    it("returns nothing for a stream that does not exist", async () => {
      expect(await store().readStream("unknown")).toEqual([]);
    });

    it("honours fromIndex and limit", async () => {
      await store().append("ledger", events("a", 5), 0);
      const ids = async (options: { fromIndex?: number; limit?: number }): Promise<string[]> =>
        (await store().readStream("ledger", options)).map((event) => event.eventId);
      expect(await ids({ fromIndex: 2 })).toEqual(["a-2", "a-3", "a-4"]);
      expect(await ids({ limit: 2 })).toEqual(["a-0", "a-1"]);
      expect(await ids({ fromIndex: 1, limit: 3 })).toEqual(["a-1", "a-2", "a-3"]);
      expect(await ids({ fromIndex: 4, limit: 10 })).toEqual(["a-4"]);
      expect(await ids({ fromIndex: 5 })).toEqual([]);
      expect(await ids({ limit: 0 })).toEqual([]);
    });

    it("returns only the stream's own events, with increasing positions", async () => {
      await store().append("ledger-1", events("a", 2), 0);
      await store().append("ledger-2", events("b", 2), 0);
      await store().append("ledger-1", events("c", 1), 2);
      const stored = await store().readStream("ledger-1");
      expect(stored.map((event) => event.eventId)).toEqual(["a-0", "a-1", "c-0"]);
      expectIncreasing(stored.map((event) => event.position));
    });
  });

  describe("readAll", () => {
    it("reads an empty store as one empty, final page", async () => {
      expect(await store().readAll(null, 10)).toEqual({ events: [], last: null, isEnd: true });
    });

    it("pages across streams in commit order with increasing positions", async () => {
      const results = [
        await store().append("ledger-1", events("a", 2), 0),
        await store().append("ledger-2", events("b", 3), 0),
        await store().append("ledger-1", events("c", 1), 2),
      ];
      const first = await store().readAll(null, 2);
      expect(first.events.map((event) => event.eventId)).toEqual(["a-0", "a-1"]);
      expect(first).toMatchObject({ last: first.events[1]?.position, isEnd: false });
      const all = await readEverything(store(), 2);
      expect(all.map((event) => event.eventId)).toEqual(["a-0", "a-1", "b-0", "b-1", "b-2", "c-0"]);
      expectIncreasing(all.map((event) => event.position));
      const appendPositions = results.map((result) =>
        result._tag === "Appended" ? result.position : null,
      );
      expect(appendPositions).toEqual([all[1]?.position, all[4]?.position, all[5]?.position]);
    });

    it("marks the page that reaches the end, and reads nothing after it", async () => {
      await store().append("ledger", events("a", 3), 0);
      const page = await store().readAll(null, 3);
      expect(page.isEnd).toBe(true);
      expect(await store().readAll(page.last, 3)).toEqual({
        events: [],
        last: page.last,
        isEnd: true,
      });
    });

    it("continues after a page when more is appended", async () => {
      await store().append("ledger", events("a", 2), 0);
      const page = await store().readAll(null, 10);
      await store().append("ledger", events("b", 1), 2);
      const next = await store().readAll(page.last, 10);
      expect(next.events.map((event) => event.eventId)).toEqual(["b-0"]);
      expect(next.isEnd).toBe(true);
    });

    it("rejects a page size below 1 with a RangeError", async () => {
      await expect(store().readAll(null, 0)).rejects.toThrow(RangeError);
    });
  });
}
