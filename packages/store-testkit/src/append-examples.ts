/**
 * Contract examples for `append` and `streamVersion`: exact versions, conflicts as values,
 * retries recognised by event id, and the empty append.
 */
import { describe, expect, it } from "vitest";
import type { EventStore } from "@pacioli/engine";
import { events } from "./contract-fixture.js";
import { readEverything } from "./store-commands.js";

export function appendExamples(store: () => EventStore): void {
  describe("append", () => {
    it("appends at version 0 to a new stream", async () => {
      const result = await store().append("ledger", events("a", 3), 0);
      expect(result).toMatchObject({ _tag: "Appended", nextVersion: 3 });
      expect(await store().streamVersion("ledger")).toBe(3);
      const stored = await store().readStream("ledger");
      expect(stored.map((event) => [event.stream, event.streamIndex, event.eventId])).toEqual([
        ["ledger", 0, "a-0"],
        ["ledger", 1, "a-1"],
        ["ledger", 2, "a-2"],
      ]);
      expect(result._tag === "Appended" && result.position).toBe(stored.at(-1)?.position);
    });

    it("appends at the exact expected version", async () => {
      await store().append("ledger", events("a", 2), 0);
      const result = await store().append("ledger", events("b", 3), 2);
      expect(result).toMatchObject({ _tag: "Appended", nextVersion: 5 });
      expect((await store().readStream("ledger")).map((event) => event.eventId)).toEqual([
        "a-0",
        "a-1",
        "b-0",
        "b-1",
        "b-2",
      ]);
    });

    it("keeps streams independent", async () => {
      expect(await store().append("ledger-1", events("a", 1), 0)).toMatchObject({ nextVersion: 1 });
      expect(await store().append("ledger-2", events("b", 2), 0)).toMatchObject({ nextVersion: 2 });
      expect(await store().streamVersion("ledger-1")).toBe(1);
      expect(await store().streamVersion("unknown")).toBe(0);
    });

    it("reports a version behind the stream as a conflict and writes nothing", async () => {
      await store().append("ledger", events("a", 2), 0);
      const result = await store().append("ledger", events("b", 1), 1);
      expect(result).toEqual({ _tag: "VersionConflict", expectedVersion: 1, actualVersion: 2 });
      expect(await store().streamVersion("ledger")).toBe(2);
    });

    it("reports a version ahead of the stream as a conflict and writes nothing", async () => {
      const result = await store().append("ledger", events("a", 1), 5);
      expect(result).toEqual({ _tag: "VersionConflict", expectedVersion: 5, actualVersion: 0 });
      expect((await readEverything(store(), 10)).length).toBe(0);
    });

    it("answers a retry with the same ids with the original result and writes nothing", async () => {
      const original = await store().append("ledger", events("a", 2), 0);
      await store().append("ledger", events("b", 1), 2);
      const retried = await store().append("ledger", events("a", 2), 0);
      expect(retried).toEqual(original);
      expect(await store().streamVersion("ledger")).toBe(3);
      expect((await readEverything(store(), 10)).length).toBe(3);
    });

    it("answers a retry of the latest append with the original result", async () => {
      const original = await store().append("ledger", events("a", 2), 0);
      expect(await store().append("ledger", events("a", 2), 0)).toEqual(original);
      expect(await store().streamVersion("ledger")).toBe(2);
    });

    it("reports a retry that only partly overlaps what was written as a conflict", async () => {
      await store().append("ledger", events("a", 2), 0);
      const longer = [...events("a", 2), ...events("b", 1)];
      expect(await store().append("ledger", longer, 0)).toEqual({
        _tag: "VersionConflict",
        expectedVersion: 0,
        actualVersion: 2,
      });
      const mixed = [...events("a", 1), ...events("b", 1)];
      expect(await store().append("ledger", mixed, 0)).toEqual({
        _tag: "VersionConflict",
        expectedVersion: 0,
        actualVersion: 2,
      });
      expect(await store().streamVersion("ledger")).toBe(2);
    });

    it("does not take the same ids at another version for a retry", async () => {
      await store().append("ledger", events("a", 1), 0);
      await store().append("ledger", events("b", 2), 1);
      expect(await store().append("ledger", events("a", 1), 1)).toEqual({
        _tag: "VersionConflict",
        expectedVersion: 1,
        actualVersion: 3,
      });
    });

    // Decision: an empty append is a programmer error (there is no position to report for
    // "nothing written"), so it rejects with a RangeError whatever the expected version.
    it("rejects an empty append with a RangeError and writes nothing", async () => {
      await expect(store().append("ledger", [], 0)).rejects.toThrow(RangeError);
      await store().append("ledger", events("a", 1), 0);
      await expect(store().append("ledger", [], 1)).rejects.toThrow(RangeError);
      await expect(store().append("ledger", [], 7)).rejects.toThrow(RangeError);
      expect(await store().streamVersion("ledger")).toBe(1);
    });

    it("rejects a negative or fractional expected version with a RangeError", async () => {
      await expect(store().append("ledger", events("a", 1), -1)).rejects.toThrow(RangeError);
      await expect(store().append("ledger", events("a", 1), 0.5)).rejects.toThrow(RangeError);
    });

    it("keeps stream names, types and payloads byte for byte", async () => {
      const payload =
        JSON.stringify({ memo: "Grüße, 日本, 👩‍👩‍👧 \u2028", big: "x".repeat(100_000) }) + "  ";
      const event = { eventId: "id ✓", type: "Entry Posted ✓", payload };
      await store().append("partition/ü 1", [event], 0);
      expect(await store().readStream("partition/ü 1")).toMatchObject([
        { ...event, stream: "partition/ü 1", streamIndex: 0 },
      ]);
    });
  });
}
