import { IdempotencyTable, initialState, type LedgerState } from "@pacioli/core";
import { describe, expect, it } from "vitest";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { loadSnapshot, makeSnapshot, SNAPSHOT_FORMAT } from "./snapshot.js";
import { decodeState, encodeState } from "./state-codec.js";

const HOUR_MS = 3_600_000;

function stateWithKeys(count: number): LedgerState {
  const state = initialState({ idempotencyRetentionMs: HOUR_MS });
  for (let index = 0; index < count; index += 1) {
    state.idempotency.remember({
      key: `k${index % 7}`,
      digest: `d${index}`,
      firstSequence: index + 1,
      eventCount: 1 + (index % 3),
      recordedAt: index * 60_000,
    });
  }
  state.sequence = count;
  return state;
}

describe("state codec", () => {
  it("writes the idempotency table without its keys, keeping its retention (format 4, ADR 0011)", () => {
    const state = stateWithKeys(20);
    const text = JSON.stringify(encodeState(state));
    expect(text).toContain('"keys":[]');
    expect(text).not.toContain('"k1"');
    const decoded = decodeState(JSON.parse(text));
    expect(decoded.idempotency).toBeInstanceOf(IdempotencyTable);
    expect(decoded.idempotency.size).toBe(0);
    expect(decoded.idempotency.retentionMs).toBe(HOUR_MS);
  });

  it("drops the keys a format-3 snapshot carried", () => {
    const columns = {
      retentionMs: HOUR_MS,
      keys: ["k1"],
      digests: ["d1"],
      firstSequences: [1],
      eventCounts: [1],
      recordedAt: [0],
    };
    const decoded = decodeState({ sequence: 1, idempotency: { $idempotency: columns } });
    expect(decoded.idempotency.size).toBe(0);
    expect(decoded.idempotency.retentionMs).toBe(HOUR_MS);
  });
});

describe("snapshot", () => {
  it("is ignored when a byte of its state text changes (the checksum covers the text as written)", async () => {
    const store = new MemoryEventStore();
    const [h0, h1] = ["0".repeat(64), "1".repeat(64)];
    await store.append(
      "ledger-main",
      [
        {
          eventId: "e1",
          type: "T",
          payload: `{"hash":"${h1}","previousHash":"${h0}","record":{}}`,
        },
      ],
      0,
    );
    const state = stateWithKeys(3);
    state.sequence = 1;
    const snapshot = makeSnapshot("ledger-main", state, h1);
    await store.writeSnapshot(snapshot);
    expect((await loadSnapshot(store, "ledger-main"))._tag).toBe("Loaded");
    await store.writeSnapshot({
      ...snapshot,
      payload: snapshot.payload.replace('"lastRecordedAt":', '"lastRecordedAt":1'),
    });
    expect(await loadSnapshot(store, "ledger-main")).toEqual({
      _tag: "Ignored",
      reason: "snapshot checksum does not match its state",
    });
  });

  it("from an older format is ignored with its reason, so the ledger replays", async () => {
    const store = new MemoryEventStore();
    await store.writeSnapshot({
      stream: "ledger-main",
      version: 1,
      payload: `{"format":1,"version":1,"lastHash":"h1","checksum":"x","state":{}}`,
    });
    expect(await loadSnapshot(store, "ledger-main")).toEqual({
      _tag: "Ignored",
      reason: `snapshot format 1 is not ${SNAPSHOT_FORMAT}`,
    });
  });
});
