/** Contract examples for `subscribe`: catch-up then live, in order, one at a time, close, errors. */
import { describe, expect, it } from "vitest";
import type { EventStore, StoredEvent } from "@pacioli/engine";
import { delay, events } from "./contract-fixture.js";
import { readEverything, waitUntil } from "./store-commands.js";

/** Long enough for a store that polls to have delivered anything it was going to deliver. */
const quiet_period_ms = 150;

export function subscriptionExamples(store: () => EventStore): void {
  describe("subscribe", () => {
    it("delivers existing events, then new ones as they are appended, in order", async () => {
      await store().append("ledger-1", events("a", 2), 0);
      await store().append("ledger-2", events("b", 1), 0);
      const received: StoredEvent[] = [];
      const subscription = store().subscribe(null, (event) => void received.push(event));
      await waitUntil(() => received.length >= 3);
      await store().append("ledger-1", events("c", 2), 2);
      await store().append("ledger-2", events("d", 1), 1);
      await waitUntil(() => received.length >= 6);
      await subscription.close();
      expect(received).toEqual(await readEverything(store(), 100));
    });

    it("starts strictly after the given position", async () => {
      await store().append("ledger", events("a", 3), 0);
      const [first] = (await store().readAll(null, 1)).events;
      const received: string[] = [];
      const subscription = store().subscribe(
        first?.position ?? null,
        (event) => void received.push(event.eventId),
      );
      await waitUntil(() => received.length >= 2);
      await delay(quiet_period_ms);
      await subscription.close();
      expect(received).toEqual(["a-1", "a-2"]);
    });

    it("waits for one delivery to finish before the next", async () => {
      await store().append("ledger", events("a", 4), 0);
      let inFlight = 0;
      let inFlightMax = 0;
      const received: string[] = [];
      const subscription = store().subscribe(null, async (event) => {
        inFlight += 1;
        inFlightMax = Math.max(inFlightMax, inFlight);
        await delay(5);
        received.push(event.eventId);
        inFlight -= 1;
      });
      await waitUntil(() => received.length >= 4);
      await subscription.close();
      expect(inFlightMax).toBe(1);
      expect(received).toEqual(["a-0", "a-1", "a-2", "a-3"]);
    });

    it("delivers nothing after close", async () => {
      const received: string[] = [];
      const subscription = store().subscribe(null, (event) => void received.push(event.eventId));
      await store().append("ledger", events("a", 1), 0);
      await waitUntil(() => received.length >= 1);
      await subscription.close();
      await store().append("ledger", events("b", 1), 1);
      await delay(quiet_period_ms);
      expect(received).toEqual(["a-0"]);
    });

    it("ends and reports when the handler throws", async () => {
      await store().append("ledger", events("a", 3), 0);
      const failure = new Error("handler failed");
      const errors: unknown[] = [];
      const received: string[] = [];
      const subscription = store().subscribe(
        null,
        (event) => {
          received.push(event.eventId);
          if (event.eventId === "a-1") throw failure;
        },
        { onError: (error) => errors.push(error) },
      );
      await waitUntil(() => errors.length >= 1);
      await delay(quiet_period_ms);
      expect(errors).toEqual([failure]);
      expect(received).toEqual(["a-0", "a-1"]);
      await subscription.close();
    });
  });
}
