/** Contract examples for snapshots, and for what a closed store does. */
import { describe, expect, it } from "vitest";
import { StoreError, type EventStore } from "@pacioli/engine";
import { events } from "./contract-fixture.js";

export function snapshotExamples(store: () => EventStore): void {
  describe("snapshots", () => {
    it("has none for a stream that never had one", async () => {
      expect(await store().readSnapshot("ledger")).toBeNull();
    });

    it("replaces the older snapshot of a stream and keeps streams apart", async () => {
      await store().writeSnapshot({ stream: "ledger-1", version: 3, payload: '{"balance":"3"}' });
      await store().writeSnapshot({ stream: "ledger-2", version: 9, payload: '{"balance":"9"}' });
      await store().writeSnapshot({ stream: "ledger-1", version: 7, payload: '{"balance":"7"}' });
      expect(await store().readSnapshot("ledger-1")).toEqual({
        stream: "ledger-1",
        version: 7,
        payload: '{"balance":"7"}',
      });
      expect(await store().readSnapshot("ledger-2")).toEqual({
        stream: "ledger-2",
        version: 9,
        payload: '{"balance":"9"}',
      });
    });
  });

  describe("close", () => {
    it("is idempotent, and a closed store rejects work with a StoreError", async () => {
      await store().append("ledger", events("a", 1), 0);
      await store().close();
      await store().close();
      await expect(store().append("ledger", events("b", 1), 1)).rejects.toThrow(StoreError);
      await expect(store().readAll(null, 10)).rejects.toThrow(StoreError);
    });
  });
}
