/**
 * What the audit keeps while it replays must follow the retention windows and the ledger's
 * entities, never the length of the stream: these tests fail if a check starts holding
 * something per event again (the idempotency columns, the parsed snapshot).
 */
import { initialState, newWallet, type LedgerState, type RecordedEvent } from "@pacioli/core";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../journal/canonical-json.js";
import { sha256Hex } from "../journal/hash-chain.js";
import { makeSnapshot } from "../snapshot/snapshot.js";
import { encodeState } from "../snapshot/state-codec.js";
import { Findings } from "./audit-report.js";
import { canonicalDigest } from "./canonical-digest.js";
import { IdempotencyCheck } from "./idempotency-check.js";
import { ProjectionCheck } from "./projection-check.js";

const SECOND_MS = 1000;

/** The fields the idempotency check reads of a command's first event. */
const firstEvent = (idempotencyKey: string, recordedAt: number): RecordedEvent =>
  ({ idempotencyKey, recordedAt, indexInCommand: 0 }) as RecordedEvent;

function stateWithKeys(count: number): LedgerState {
  const state = initialState();
  for (let index = 0; index < count; index += 1) {
    state.idempotency.remember({
      key: `key-${index}`,
      digest: sha256Hex(`${index}`),
      firstSequence: index + 1,
      eventCount: 1,
      recordedAt: index,
    });
  }
  state.sequence = count;
  return state;
}

describe("IdempotencyCheck memory", () => {
  it("holds the keys of one retention window however long the stream is", () => {
    const check = new IdempotencyCheck(new Findings(10), 1000 * SECOND_MS);
    let retainedMax = 0;
    for (let index = 0; index < 100_000; index += 1) {
      check.check(index + 1, firstEvent(`key-${index}`, index * SECOND_MS));
      retainedMax = Math.max(retainedMax, check.retained);
    }
    expect(check.size).toBe(1000);
    // Expired uses are dropped in batches: at most the window twice over, plus one batch.
    expect(retainedMax).toBeLessThanOrEqual(2 * 1000 + 4097);
  });

  it("still finds a key reused inside its window after the columns were compacted", () => {
    const findings = new Findings(10);
    const check = new IdempotencyCheck(findings, 1000 * SECOND_MS);
    for (let index = 0; index < 20_000; index += 1)
      check.check(index + 1, firstEvent(`key-${index % 15_000}`, index * SECOND_MS));
    check.check(20_001, firstEvent("key-4500", 19_999 * SECOND_MS)); // used at positions 4,501 (expired) and 19,501 (499 s earlier)
    expect(findings.kept).toEqual([
      expect.objectContaining({
        check: "idempotency",
        position: 20_001,
        message: expect.stringContaining("at position 19501") as unknown,
      }),
    ]);
  });

  it("does not forget a key at its older use once it was used again", () => {
    const findings = new Findings(10);
    const check = new IdempotencyCheck(findings, 10 * SECOND_MS);
    check.check(1, firstEvent("k", 0));
    check.check(2, firstEvent("k", 11 * SECOND_MS)); // the first use expired: allowed
    check.check(3, firstEvent("other", 12 * SECOND_MS)); // expires the use at position 1 only
    check.check(4, firstEvent("k", 15 * SECOND_MS)); // within the window of position 2
    expect(findings.kept.map((violation) => violation.position)).toEqual([4]);
  });
});

/** A state whose snapshot is large: many wallets (snapshots carry no idempotency keys). */
function stateWithWallets(count: number): LedgerState {
  const state = initialState();
  for (let index = 0; index < count; index += 1)
    state.wallets.set(`wallet-${index}`, newWallet(`wallet-${index}`, `owner-${index}`));
  state.sequence = count;
  return state;
}

describe("ProjectionCheck memory", () => {
  it("keeps a digest of the snapshot, not the snapshot, while the replay runs", () => {
    const state = stateWithWallets(10_000);
    const check = new ProjectionCheck(new Findings(10));
    const stored = makeSnapshot("ledger-main", state, "h".repeat(64));
    expect(stored.payload.length).toBeGreaterThan(500_000);
    expect(check.load(stored)).toBe(10_000);
    expect(JSON.stringify(check).length).toBeLessThan(1000);
  });

  it("reports a snapshot whose state text was changed after its checksum", () => {
    const findings = new Findings(10);
    const stored = makeSnapshot("ledger-main", stateWithKeys(3), "h".repeat(64));
    new ProjectionCheck(findings).load({
      ...stored,
      payload: stored.payload.replace('"state":{', '"state": {'),
    });
    expect(findings.kept).toEqual([
      expect.objectContaining({
        check: "projection",
        message: "the snapshot's checksum does not match its state",
      }),
    ]);
  });
});

describe("canonicalDigest", () => {
  it("hashes exactly the bytes of canonicalJson", () => {
    const values: unknown[] = [
      null,
      'text with "quotes", \u00e9 and \ud83d\ude00',
      [1, -2, true, false, null, [], {}],
      { b: 1, a: { "z-key": [1, "x"], "A key": null, é: "accent", _: undefined }, "": 0 },
      encodeState(stateWithKeys(5_000)),
    ];
    for (const value of values)
      expect(canonicalDigest(value)).toBe(sha256Hex(canonicalJson(value)));
  });

  it("refuses what canonical JSON cannot hold, as canonicalJson does", () => {
    expect(() => canonicalDigest({ amount: 1.5 })).toThrow(/safe integers/);
  });
});
