/**
 * The audit's invariant checks, on forged streams whose hash chain is intact (re-hashed
 * after the edit, as a forger with write access would): only the domain checks can catch
 * them, at the forged event's position.
 */
import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "@pacioli/core";
import { sha256Hex } from "../journal/hash-chain.js";
import { openLedger } from "../runtime/ledger.js";
import { makeSnapshot } from "../snapshot/snapshot.js";
import { deposit, openWallet, placeHold } from "@pacioli/core/testing/requests";
import { auditStream } from "./audit-stream.js";
import { chained, recordedStory, STREAM } from "./testing/forged-streams.js";
import { storeAuditSource } from "./audit-source.js";

/** w1 funded with 100.00, a hold of 40.00 placed and 25.00 of it captured. */
const recordedHoldStory = (): Promise<RecordedEvent[]> =>
  recordedStory([
    openWallet("w1"),
    deposit("w1", "100.00"),
    placeHold("h1", "w1", "40.00", "2026-12-01T00:00:00Z"),
    {
      idempotencyKey: "cap-1",
      command: {
        type: "CaptureHold",
        holdId: "h1",
        amount: { currency: "USD", amount: "25.00" },
        final: false,
      },
    },
  ]);

describe("auditStream", () => {
  it("passes an honest stream and recomputes its balances", async () => {
    const report = await auditStream(
      storeAuditSource(await chained(await recordedHoldStory()), STREAM),
    );
    expect(report.violations).toEqual([]);
    expect(report.events).toBe(4);
    expect(report.trialBalance.get("USD")).toBe(0n);
    expect(
      report.balances.find((row) => row.account === "liabilities:wallets:w1:held")?.normal,
    ).toBe(1500n);
  });

  it("finds a capture larger than its hold, with postings that balance and a valid chain", async () => {
    const events = await recordedHoldStory();
    const capture = events[3] as RecordedEvent;
    if (capture.event.type !== "HoldCaptured") throw new Error("story changed");
    const forged = {
      ...capture,
      event: {
        ...capture.event,
        amount: { currency: "USD", amount: 5000n },
        postings: capture.event.postings.map((posting) => ({
          ...posting,
          amount: posting.amount > 0n ? 5000n : -5000n,
        })),
      },
    } as RecordedEvent;
    const report = await auditStream(
      storeAuditSource(await chained([...events.slice(0, 3), forged]), STREAM),
    );
    const found = report.violations.map((violation) => [violation.check, violation.position]);
    expect(found).toContainEqual(["holds", 4]);
    expect(found).toContainEqual(["balances", 4]); // held goes below what the open hold says
    expect(found.some(([check]) => check === "hash-chain" || check === "canonical")).toBe(false);
  });

  it("finds an idempotency key that recorded two commands within its window", async () => {
    const events = await recordedHoldStory();
    const second = {
      ...(events[1] as RecordedEvent),
      idempotencyKey: (events[0] as RecordedEvent).idempotencyKey,
    };
    const report = await auditStream(
      storeAuditSource(
        await chained([events[0] as RecordedEvent, second, ...events.slice(2)]),
        STREAM,
      ),
    );
    expect(report.violations).toEqual([
      expect.objectContaining({ check: "idempotency", position: 2 }),
    ]);
  });

  it("finds an unbalanced event without stopping, and keeps checking the events after it", async () => {
    const events = await recordedHoldStory();
    const depositEvent = events[1] as RecordedEvent;
    const unbalanced = {
      ...depositEvent,
      event: { ...depositEvent.event, postings: depositEvent.event.postings.slice(0, 1) },
    } as RecordedEvent;
    const report = await auditStream(
      storeAuditSource(
        await chained([events[0] as RecordedEvent, unbalanced, ...events.slice(2)]),
        STREAM,
      ),
    );
    const checks = report.violations.map((violation) => `${violation.check}@${violation.position}`);
    expect(checks).toContain("balanced@2");
    expect(checks).toContain("fold@2");
    expect(checks).toContain("trial-balance@4");
    expect(report.events).toBe(4);
  });

  it("finds a stored snapshot that disagrees with the replay", async () => {
    const events = await recordedHoldStory();
    const store = await chained(events);
    const honest = await openLedger({ store, useSnapshot: false });
    honest.currentState.balances.get("liabilities:wallets:w1:available")?.set("USD", -99_999n);
    await store.writeSnapshot(makeSnapshot(STREAM, honest.currentState, honest.headHash));
    const report = await auditStream(storeAuditSource(store, STREAM));
    expect(report.snapshotVersion).toBe(4);
    expect(report.violations).toEqual([
      expect.objectContaining({
        check: "projection",
        position: 4,
        message: expect.stringContaining("differs") as unknown,
      }),
    ]);
  });

  it("checks an older engine's snapshot for its chain head and checksum only (its state has another shape)", async () => {
    const events = await recordedHoldStory();
    const store = await chained(events);
    const honest = await openLedger({ store, useSnapshot: false });
    const oldShape = '{"risk":{"payments":{"$map":[]}}}';
    const older = (lastHash: string, checksum: string) => ({
      stream: STREAM,
      version: 4,
      payload: `{"format":2,"version":4,"lastHash":"${lastHash}","checksum":"${checksum}","state":${oldShape}}`,
    });
    await store.writeSnapshot(older(honest.headHash, sha256Hex(oldShape)));
    expect((await auditStream(storeAuditSource(store, STREAM))).violations).toEqual([]);
    await store.writeSnapshot(older("f".repeat(64), sha256Hex(oldShape)));
    expect((await auditStream(storeAuditSource(store, STREAM))).violations).toEqual([
      expect.objectContaining({
        check: "projection",
        message: expect.stringContaining("chain head") as unknown,
      }),
    ]);
    await store.writeSnapshot(older(honest.headHash, "0".repeat(64)));
    expect((await auditStream(storeAuditSource(store, STREAM))).violations).toEqual([
      expect.objectContaining({
        check: "projection",
        message: expect.stringContaining("checksum") as unknown,
      }),
    ]);
  });
});
