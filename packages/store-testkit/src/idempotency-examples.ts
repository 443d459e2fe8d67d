/**
 * Contract examples for the key window (ADR 0011): records carried by an append are written
 * with its events, all or nothing, and found again in one lookup. Stores without
 * `findIdempotency` keep no window (the engine derives it from the stream) and skip these.
 */
import { describe, expect, it } from "vitest";
import type { EventStore, IdempotencyRecord } from "@pacioli/engine";
import { events } from "./contract-fixture.js";

const record = (
  key: string,
  firstSequence: number,
  digest = `digest-of-${key}`,
): IdempotencyRecord => ({
  key,
  digest,
  firstSequence,
  eventCount: 1,
  recordedAt: 1_764_064_800_000 + firstSequence,
});

export function idempotencyExamples(store: () => EventStore): void {
  describe("idempotency window", () => {
    const find = (stream: string, keys: readonly string[]) => {
      const lookup = store().findIdempotency;
      if (lookup === undefined) throw new Error("this store keeps no key window");
      return lookup.call(store(), stream, keys);
    };

    it("finds the records an append carried, in one lookup, and nothing for keys never recorded", async (context) => {
      if (store().findIdempotency === undefined) return context.skip();
      await store().append("ledger", events("a", 3), 0, {
        idempotency: [record("k1", 1), { ...record("k2", 2), eventCount: 2 }],
      });
      const found = await find("ledger", ["k1", "k2", "never"]);
      expect(found).toEqual(
        new Map([
          ["k1", record("k1", 1)],
          ["k2", { ...record("k2", 2), eventCount: 2 }],
        ]),
      );
      expect(await find("ledger", [])).toEqual(new Map());
    });

    it("keeps streams apart, and a key recorded again replaces its older record", async (context) => {
      if (store().findIdempotency === undefined) return context.skip();
      await store().append("ledger-1", events("a", 1), 0, {
        idempotency: [record("k", 1, "first")],
      });
      await store().append("ledger-2", events("b", 1), 0, {
        idempotency: [record("k", 1, "other stream")],
      });
      await store().append("ledger-1", events("c", 1), 1, {
        idempotency: [record("k", 2, "second")],
      });
      expect((await find("ledger-1", ["k"])).get("k")).toEqual(record("k", 2, "second"));
      expect((await find("ledger-2", ["k"])).get("k")).toEqual(record("k", 1, "other stream"));
    });

    it("writes no record when the append loses on its expected version", async (context) => {
      if (store().findIdempotency === undefined) return context.skip();
      await store().append("ledger", events("a", 1), 0);
      const result = await store().append("ledger", events("b", 1), 0, {
        idempotency: [record("lost", 1)],
      });
      expect(result._tag).toBe("VersionConflict");
      expect(await find("ledger", ["lost"])).toEqual(new Map());
    });

    it("answers a retried append as before without changing the records it wrote", async (context) => {
      if (store().findIdempotency === undefined) return context.skip();
      const batch = events("a", 2);
      await store().append("ledger", batch, 0, { idempotency: [record("k", 1)] });
      const retried = await store().append("ledger", batch, 0, {
        idempotency: [record("k", 1, "another digest")],
      });
      expect(retried).toMatchObject({ _tag: "Appended", nextVersion: 2 });
      expect((await find("ledger", ["k"])).get("k")).toEqual(record("k", 1));
    });

    it("finds a thousand keys in one lookup", async (context) => {
      if (store().findIdempotency === undefined) return context.skip();
      const records = Array.from({ length: 1000 }, (_, index) => record(`key-${index}`, index + 1));
      await store().append("ledger", events("a", 1000), 0, { idempotency: records });
      const found = await find("ledger", [...records.map((item) => item.key), "missing"]);
      expect(found.size).toBe(1000);
      expect(found.get("key-999")).toEqual(record("key-999", 1000));
    });
  });
}
