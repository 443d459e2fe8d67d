/**
 * Adapter behaviour beyond the shared contract, run for each client package: what is written
 * on the server (ids, metadata, content type, snapshot stream metadata), the append size
 * limit, subscriptions surviving drops, and snapshots chunked across appends.
 */
import { describe, expect, it, vi } from "vitest";
import type { NewEvent, StoredEvent, StoredSnapshot } from "@pacioli/engine";
import { waitUntil } from "@pacioli/store-testkit";
import { AppendTooLargeError, appendSizeBytes } from "./append-size.js";
import {
  openAdapterOnDouble,
  type AdapterOnDouble,
  type ClientPackage,
} from "./adapter-on-double.js";
import { eventUuid } from "./event-uuid.js";
import type { DoubleRecord } from "./test-double/index.js";

function entries(prefix: string, count: number, payloadBytes = 20): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    eventId: `${prefix}-${index}`,
    type: "EntryPosted",
    payload: JSON.stringify({ event: `${prefix}-${index}`, pad: "x".repeat(payloadBytes) }),
  }));
}

/** A snapshot-like payload of about `bytes` UTF-8 bytes, with 2-, 3- and 4-byte characters. */
function bigPayload(bytes: number, seed: string): string {
  const unit = `{"w":"${seed}","ü":"€","x":"😀"},`;
  return `[${unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)))}{}]`;
}

function serverSize(record: DoubleRecord): number {
  return record.data.length + record.metadata.length + 2 * record.type.length;
}

/** The ledger stream's snapshot at `version`. */
const ledgerSnapshot = (version: number, payload: string): StoredSnapshot => ({
  stream: "ledger",
  version,
  payload,
});

function jsonOf(bytes: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(bytes ?? []).toString("utf8"));
}

/** Runs `body` on an adapter over a test double, then closes both, whatever the body did. */
async function onDouble(
  opening: Promise<AdapterOnDouble>,
  body: (opened: AdapterOnDouble) => Promise<void>,
): Promise<void> {
  const opened = await opening;
  try {
    await body(opened);
  } finally {
    await opened.store.close();
    await opened.cleanup();
  }
}

export function adapterBehaviour(clientPackage: ClientPackage): void {
  describe(`EventStoreDbStore (${clientPackage}) on the server`, () => {
    it("writes deterministic UUIDs, keeps the engine's id in metadata, and never exposes system or snapshot streams", async () => {
      await onDouble(openAdapterOnDouble(clientPackage), async ({ store, double }) => {
        await store.append("ledger-1", entries("a", 2), 0);
        await store.writeSnapshot({ stream: "ledger-1", version: 2, payload: "{}" });
        const written = double.log.records.filter((record) => record.stream === "ledger-1");
        expect(written.map((record) => record.id)).toEqual([eventUuid("a-0"), eventUuid("a-1")]);
        expect(written.map((record) => record.contentType)).toEqual([
          "application/octet-stream",
          "application/octet-stream",
        ]);
        expect(JSON.parse(Buffer.from(written[0]?.metadata ?? []).toString("utf8"))).toEqual({
          pacioliEventId: "a-0",
        });
        expect(double.log.records.some((record) => record.stream.startsWith("$"))).toBe(true);
        const page = await store.readAll(null, 100);
        expect(page.events.map((event) => event.stream)).toEqual(["ledger-1", "ledger-1"]);
        const metadata = double.log.records.find(
          (record) => record.stream === "$$ledger-1-snapshots",
        );
        expect(JSON.parse(Buffer.from(metadata?.data ?? []).toString("utf8"))).toMatchObject({
          $maxCount: 1,
        });
        expect(double.log.records.some((record) => record.stream === "$$ledger-1")).toBe(false);
      });
    });

    it("keeps only the latest snapshot on the server ($maxCount 1) and reads it back", async () => {
      await onDouble(openAdapterOnDouble(clientPackage), async ({ store, double }) => {
        for (const version of [1, 2, 3])
          await store.writeSnapshot(ledgerSnapshot(version, `{"v":${version}}`));
        expect(await store.readSnapshot("ledger")).toEqual(ledgerSnapshot(3, '{"v":3}'));
        expect(double.log.visibleStream("ledger-snapshots")?.length).toBe(1);
      });
    });

    it("rejects an append over maxAppendBytes before sending it, and accepts one exactly at the limit", async () => {
      const maxAppendBytes = 4_096;
      await onDouble(
        openAdapterOnDouble(clientPackage, {}, { maxAppendBytes }),
        async ({ store, double }) => {
          expect(store.maxAppendBytes).toBe(maxAppendBytes);
          const big = entries("big", 40, 100);
          expect(appendSizeBytes(big)).toBeGreaterThan(maxAppendBytes);
          const before = double.log.records.length;
          await expect(store.append("ledger", big, 0)).rejects.toBeInstanceOf(AppendTooLargeError);
          expect(double.log.records.length).toBe(before);
          const one = entries("fit", 1, 0)[0];
          if (one === undefined) throw new Error("no event");
          const fitting = {
            ...one,
            payload: one.payload + " ".repeat(maxAppendBytes - appendSizeBytes([one])),
          };
          expect(appendSizeBytes([fitting])).toBe(maxAppendBytes);
          expect(await store.append("ledger", [fitting], 0)).toMatchObject({
            _tag: "Appended",
            nextVersion: 1,
          });
        },
      );
    });

    it("matches the server's own size accounting: one byte over the server's limit is refused by the server too", async () => {
      // Adapter limit above the server's, so the request reaches the server, which must refuse it.
      await onDouble(
        openAdapterOnDouble(clientPackage, { maxAppendSize: 2_048 }, { maxAppendBytes: 1 << 20 }),
        async ({ store }) => {
          const one = entries("srv", 1, 0)[0];
          if (one === undefined) throw new Error("no event");
          const over = {
            ...one,
            payload: one.payload + " ".repeat(2_048 + 1 - appendSizeBytes([one])),
          };
          await expect(store.append("ledger", [over], 0)).rejects.toThrow(/append/i);
          const at = { ...one, payload: one.payload + " ".repeat(2_048 - appendSizeBytes([one])) };
          expect(await store.append("ledger", [at], 0)).toMatchObject({ _tag: "Appended" });
        },
      );
    });

    it("resubscribes from the last delivered position after drops, without gaps or reordering", async () => {
      await onDouble(openAdapterOnDouble(clientPackage), async ({ store, double }) => {
        await store.append("ledger-1", entries("a", 30), 0);
        await store.append("ledger-2", entries("b", 30), 0);
        const received: StoredEvent[] = [];
        double.dropSubscriptionsAfter(7);
        const subscription = store.subscribe(null, (event) => void received.push(event));
        await waitUntil(() => received.length >= 60, 10_000);
        // Drop again while live, then append: the new events must still arrive.
        await waitUntil(() => double.activeSubscriptionCount === 1, 10_000);
        double.dropSubscriptions();
        await store.append("ledger-1", entries("c", 5), 30);
        await waitUntil(() => received.length >= 65, 10_000);
        await subscription.close();
        const expected = (await store.readAll(null, 1_000)).events;
        const unique = received.filter(
          (event, index) => index === 0 || event.position > (received[index - 1]?.position ?? ""),
        );
        expect(unique).toEqual(expected);
        expect(received.length).toBe(expected.length);
        expect(double.activeSubscriptionCount).toBe(0);
      });
    });

    it("reports a subscription that cannot be re-established as a retryable StoreError", async () => {
      const { store, double, cleanup } = await openAdapterOnDouble(
        clientPackage,
        {},
        { resubscribeAttemptsMax: 2, resubscribeDelayMs: 1, resubscribeDelayMsMax: 5 },
      );
      const errors: unknown[] = [];
      const subscription = store.subscribe(null, () => undefined, {
        onError: (error) => errors.push(error),
      });
      try {
        await waitUntil(() => double.activeSubscriptionCount === 1, 10_000);
        await double.stop();
        await waitUntil(() => errors.length === 1, 10_000);
        expect(errors[0]).toMatchObject({ name: "StoreError", retryable: true });
      } finally {
        await subscription.close();
        await store.close();
        await cleanup();
      }
    });

    it("reports a retried append whose first attempt landed as the original result, writing nothing", async () => {
      await onDouble(
        openAdapterOnDouble(clientPackage, { idempotentWithoutPosition: true }),
        async ({ store, double }) => {
          const original = await store.append("ledger", entries("a", 3), 0);
          await store.append("ledger", entries("b", 1), 3);
          const count = double.log.records.length;
          expect(await store.append("ledger", entries("a", 3), 0)).toEqual(original);
          expect(double.log.records.length).toBe(count);
        },
      );
    });

    it("refuses system, snapshot and snapshot chunk stream names for ledger streams", async () => {
      await onDouble(openAdapterOnDouble(clientPackage), async ({ store }) => {
        await expect(store.append("$ledger", entries("a", 1), 0)).rejects.toThrow(RangeError);
        await expect(store.append("ledger-snapshots", entries("a", 1), 0)).rejects.toThrow(
          RangeError,
        );
        await expect(
          store.append("ledger-snapshot@1-0123456789abcdef", entries("a", 1), 0),
        ).rejects.toThrow(RangeError);
      });
    });

    describe("snapshots larger than one append", () => {
      // The double enforces the same 4 KiB as MaxAppendSize: every chunk must fit on the server too.
      const small = async () =>
        openAdapterOnDouble(clientPackage, { maxAppendSize: 4_096 }, { maxAppendBytes: 4_096 });

      it("cuts a large payload into chunks that each fit one append, then writes a manifest, and reads it back", async () => {
        await onDouble(small(), async ({ store, double }) => {
          const payload = bigPayload(300_000, "a");
          await store.writeSnapshot(ledgerSnapshot(42, payload));
          expect(await store.readSnapshot("ledger")).toEqual(ledgerSnapshot(42, payload));
          const [manifest, ...others] = double.log.visibleStream("ledger-snapshots") ?? [];
          expect(others).toEqual([]);
          expect(manifest?.type).toBe("PacioliSnapshotManifest");
          expect(jsonOf(manifest?.metadata)).toEqual({ pacioliSnapshotVersion: 42 });
          const body = jsonOf(manifest?.data) as {
            chunkStream: string;
            chunks: number;
            bytes: number;
            sha256: string;
          };
          expect(body.chunkStream).toMatch(/^ledger-snapshot@42-[0-9a-f]{16}-snapshots$/);
          expect(body.bytes).toBe(Buffer.byteLength(payload, "utf8"));
          expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
          const chunks = double.log.visibleStream(body.chunkStream) ?? [];
          expect(chunks.length).toBe(body.chunks);
          expect(chunks.length).toBeGreaterThan(70);
          expect(
            chunks.every(
              (chunk) => chunk.type === "PacioliSnapshotChunk" && serverSize(chunk) <= 4_096,
            ),
          ).toBe(true);
          // Full chunks use the room the limit leaves (the framing reserve is a few bytes).
          expect(Math.max(...chunks.map(serverSize))).toBeGreaterThan(4_096 - 32);
        });
      });

      it(
        "writes and reads a snapshot of tens of megabytes within the default 1 MiB appends",
        { timeout: 120_000 },
        async () => {
          await onDouble(openAdapterOnDouble(clientPackage), async ({ store, double }) => {
            const payload = bigPayload(24 * 1024 * 1024, "big");
            await store.writeSnapshot(ledgerSnapshot(1_000_000, payload));
            const read = await store.readSnapshot("ledger");
            expect(read?.version).toBe(1_000_000);
            expect(read?.payload === payload).toBe(true);
            expect(double.log.records.every((record) => serverSize(record) <= 1024 * 1024)).toBe(
              true,
            );
          });
        },
      );

      it("soft-deletes the replaced snapshot's chunk stream once the new manifest is written", async () => {
        await onDouble(small(), async ({ store, double }) => {
          await store.writeSnapshot(ledgerSnapshot(1, bigPayload(20_000, "one")));
          const first = (
            jsonOf(double.log.visibleStream("ledger-snapshots")?.at(-1)?.data) as {
              chunkStream: string;
            }
          ).chunkStream;
          const second = bigPayload(20_000, "two");
          await store.writeSnapshot(ledgerSnapshot(2, second));
          expect(double.log.visibleStream(first)).toBeNull();
          expect(jsonOf(double.log.visibleStream(`$$${first}`)?.at(-1)?.data)).toMatchObject({
            $tb: expect.any(Number) as number,
          });
          expect(await store.readSnapshot("ledger")).toEqual(ledgerSnapshot(2, second));
        });
      });

      it("keeps the previous snapshot when the write stops after the chunks, before the manifest", async () => {
        await onDouble(small(), async ({ store, double }) => {
          const before = bigPayload(20_000, "before");
          await store.writeSnapshot(ledgerSnapshot(1, before));
          const append = double.log.append.bind(double.log);
          // The server refuses the manifest (as a crash right before it would leave things).
          const refuse = vi
            .spyOn(double.log, "append")
            .mockImplementation((stream, expected, proposed) =>
              proposed.some((record) => record.type === "PacioliSnapshotManifest")
                ? { _tag: "MaximumAppendSizeExceeded", maxAppendSize: 0 }
                : append(stream, expected, proposed),
            );
          await expect(
            store.writeSnapshot(ledgerSnapshot(2, bigPayload(20_000, "lost"))),
          ).rejects.toThrow();
          refuse.mockRestore();
          expect(
            double.log.records.some((record) => record.stream.startsWith("ledger-snapshot@2-")),
          ).toBe(true);
          expect(await store.readSnapshot("ledger")).toEqual(ledgerSnapshot(1, before));
        });
      });

      it("reads a manifest whose chunks are missing, short, or differ from its length or hash as no snapshot", async () => {
        await onDouble(small(), async ({ store, double }) => {
          await store.writeSnapshot(ledgerSnapshot(3, bigPayload(20_000, "ok")));
          const manifest = double.log.visibleStream("ledger-snapshots")?.at(-1);
          if (manifest === undefined) throw new Error("no manifest");
          const body = jsonOf(manifest.data) as {
            chunkStream: string;
            chunks: number;
            bytes: number;
            sha256: string;
          };
          const forgeries = [
            { ...body, chunkStream: "ledger-snapshot@3-ffffffffffffffff-snapshots" },
            { ...body, chunks: body.chunks + 1 },
            { ...body, bytes: body.bytes - 1 },
            { ...body, sha256: "0".repeat(64) },
            { chunkStream: body.chunkStream },
          ];
          for (const [index, forged] of forgeries.entries()) {
            const data = Buffer.from(JSON.stringify(forged), "utf8");
            double.log.append("ledger-snapshots", { _tag: "Any" }, [
              { ...manifest, id: eventUuid(`forged-${index}`), data },
            ]);
            expect(await store.readSnapshot("ledger")).toBeNull();
          }
        });
      });

      it("still reads a snapshot written as one event before chunking, and replaces it", async () => {
        await onDouble(small(), async ({ store, double }) => {
          const old = '{"format":3,"version":5}';
          double.log.append("ledger-snapshots", { _tag: "NoStream" }, [
            {
              id: eventUuid("old-snapshot"),
              type: "PacioliSnapshot",
              contentType: "application/octet-stream",
              data: Buffer.from(old, "utf8"),
              metadata: Buffer.from(JSON.stringify({ pacioliSnapshotVersion: 5 }), "utf8"),
            },
          ]);
          expect(await store.readSnapshot("ledger")).toEqual(ledgerSnapshot(5, old));
          const next = bigPayload(10_000, "next");
          await store.writeSnapshot(ledgerSnapshot(9, next));
          expect(await store.readSnapshot("ledger")).toEqual(ledgerSnapshot(9, next));
        });
      });

      it("never delivers chunk events to readAll or subscribe", async () => {
        await onDouble(small(), async ({ store, double }) => {
          await store.append("ledger", entries("a", 3), 0);
          await store.writeSnapshot(ledgerSnapshot(3, bigPayload(40_000, "s")));
          await store.writeSnapshot(ledgerSnapshot(3, bigPayload(40_000, "t")));
          await store.append("ledger", entries("b", 2), 3);
          expect(
            double.log.records.filter((record) => record.type === "PacioliSnapshotChunk").length,
          ).toBeGreaterThan(10);
          const page = await store.readAll(null, 1_000);
          expect(page.events.map((event) => event.eventId)).toEqual([
            "a-0",
            "a-1",
            "a-2",
            "b-0",
            "b-1",
          ]);
          const received: StoredEvent[] = [];
          const subscription = store.subscribe(null, (event) => void received.push(event));
          await waitUntil(() => received.length >= 5, 10_000);
          await store.append("ledger", entries("c", 1), 5);
          await waitUntil(() => received.length >= 6, 10_000);
          await subscription.close();
          expect(received.map((event) => event.stream)).toEqual(
            Array.from({ length: 6 }, () => "ledger"),
          );
        });
      });
    });

    it("isolates stores that use different stream prefixes on one server", async () => {
      const first = await openAdapterOnDouble(clientPackage, {}, { streamPrefix: "tenant-a:" });
      const { openEventStoreDbStore } = await import("./open-event-store-db-store.js");
      const url =
        clientPackage === "@kurrent/kurrentdb-client"
          ? first.double.kurrentDbUrl
          : first.double.esdbUrl;
      const second = await openEventStoreDbStore(
        { connectionString: url, clientPackage },
        { streamPrefix: "tenant-b:" },
      );
      try {
        await first.store.append("ledger", entries("a", 2), 0);
        await second.append("ledger", entries("b", 1), 0);
        expect(
          (await first.store.readAll(null, 10)).events.map((event) => [
            event.stream,
            event.eventId,
          ]),
        ).toEqual([
          ["ledger", "a-0"],
          ["ledger", "a-1"],
        ]);
        expect(
          (await second.readAll(null, 10)).events.map((event) => [event.stream, event.eventId]),
        ).toEqual([["ledger", "b-0"]]);
        expect(first.double.log.records.some((record) => record.stream === "tenant-b:ledger")).toBe(
          true,
        );
      } finally {
        await second.close();
        await first.store.close();
        await first.cleanup();
      }
    });
  });
}
