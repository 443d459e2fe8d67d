/**
 * An audit resumed from a saved state finds exactly what the full audit finds after it: for a
 * random m, the full audit's violations at positions after m, its fatal stop, counts, chain
 * head, recomputed balances and trial balance equal those of an audit of 1..m saved to a file
 * (`writeAuditState`), read back (`readAuditState`) and resumed on the rest — on ledgers
 * damaged at random after m (ADR 0026). The ledger has holds placed before m and captured
 * after it, and commands replayed across m, so the hold model and the idempotency window
 * must both cross the state.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../runtime/clock.js";
import { openLedger } from "../runtime/ledger.js";
import { makeSnapshot } from "../snapshot/snapshot.js";
import type { NewEvent } from "../store/event-store.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { deposit, openWallet, placeHold, transfer } from "@pacioli/core/testing/requests";
import type { AuditReport } from "./audit-report.js";
import { storeAuditSource } from "./audit-source.js";
import { readAuditState, writeAuditState } from "./audit-state-file.js";
import type { AuditState } from "./audit-state.js";
import { auditStream } from "./audit-stream.js";
import { corrupt, corruption } from "./testing/corruptions.js";

const STREAM = "ledger-main";
const WALLETS = 8;
const HOLDS = 12;
const directory = mkdtempSync(join(tmpdir(), "pacioli-audit-resume-"));

let honest: NewEvent[] = [];

const capture = (holdId: string, amount: string, final: boolean) => ({
  idempotencyKey: `capture-${holdId}-${amount}`,
  command: { type: "CaptureHold", holdId, amount: { currency: "USD", amount }, final },
});

beforeAll(async () => {
  const store = new MemoryEventStore();
  const ledger = await openLedger({ store, clock: new TestClock(Date.UTC(2026, 10, 25, 10)) });
  const requests: unknown[] = [];
  for (let wallet = 0; wallet < WALLETS; wallet += 1)
    requests.push(openWallet(`w${wallet}`), deposit(`w${wallet}`, "900.00"));
  for (let round = 0; round < 20; round += 1) {
    for (let index = 0; index < 6; index += 1) {
      const step = round * 6 + index;
      requests.push(transfer(`w${step % WALLETS}`, `w${(step * 5 + 3) % WALLETS}`, "0.75"));
    }
    // Holds placed early and captured or increased later, across any m.
    if (round < HOLDS)
      requests.push(placeHold(`h${round}`, `w${round % WALLETS}`, "30.00", "2026-12-20T00:00:00Z"));
    if (round >= 4 && round - 4 < HOLDS) requests.push(capture(`h${round - 4}`, "10.00", false));
    if (round >= 8 && round - 8 < HOLDS) requests.push(capture(`h${round - 8}`, "5.00", true));
  }
  for (const request of requests) expect((await ledger.executeWire(request))._tag).toBe("Accepted");
  honest = (await store.readStream(STREAM)).map(({ eventId, type, payload }) => ({
    eventId,
    type,
    payload,
  }));
  await ledger.close();
}, 60_000);

async function storeOf(events: readonly NewEvent[], snapshotAt: number | undefined) {
  const store = new MemoryEventStore();
  await store.append(STREAM, events, 0);
  if (snapshotAt !== undefined) {
    // An honest snapshot of the undamaged ledger at that version (an operator's, stale or not).
    const honestStore = new MemoryEventStore();
    await honestStore.append(STREAM, honest, 0);
    const prefix = await auditStream(storeAuditSource(honestStore, STREAM), {
      upTo: snapshotAt,
      saveState: true,
    });
    const state = prefix.state as AuditState;
    await store.writeSnapshot(makeSnapshot(STREAM, state.ledger, state.lastHash));
  }
  return store;
}

/** The state after m events, through the file format and back. */
async function savedState(store: MemoryEventStore, m: number, name: string): Promise<AuditState> {
  const prefix = await auditStream(storeAuditSource(store, STREAM), { upTo: m, saveState: true });
  expect(prefix.violations).toEqual([]);
  expect(prefix.events).toBe(m);
  const path = join(directory, name);
  await writeAuditState(path, prefix.state as AuditState);
  const read = await readAuditState(path);
  if (read._tag !== "Read") throw new Error(read.reason);
  return read.state;
}

const comparable = (report: AuditReport, after: number) => ({
  violations: report.violations.filter((violation) => violation.position > after),
  violationsOmitted: report.violationsOmitted,
  fatal: report.fatal,
  events: report.events,
  lastHash: report.lastHash,
  balances: report.balances,
  trialBalance: report.trialBalance,
  snapshotVersion:
    report.snapshotVersion !== undefined && report.snapshotVersion > after
      ? report.snapshotVersion
      : undefined,
});

describe("an audit resumed from the auditor's saved state", () => {
  it("reports an honest ledger as the full audit does, from any m", async () => {
    const store = await storeOf(honest, undefined);
    const full = await auditStream(storeAuditSource(store, STREAM));
    expect(full.violations).toEqual([]);
    for (const m of [1, 17, 100, honest.length - 1]) {
      const state = await savedState(store, m, `honest-${m}`);
      const resumed = await auditStream(storeAuditSource(store, STREAM), { resume: state });
      expect(resumed.resumedAt).toBe(m);
      expect(comparable(resumed, m)).toEqual(comparable(full, m));
    }
  });

  it("finds exactly the full audit's findings after m on ledgers damaged after m", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(corruption, { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (mSeed, damages, snapshotSeed) => {
          const m = 1 + (mSeed % (honest.length - 1));
          const events = damages.reduce((events, damage) => corrupt(events, damage, m), honest);
          const snapshotAt =
            snapshotSeed === undefined ? undefined : 1 + (snapshotSeed % honest.length);
          const store = await storeOf(events, snapshotAt);
          const full = await auditStream(storeAuditSource(store, STREAM));
          const state = await savedState(store, m, "damaged");
          const resumed = await auditStream(storeAuditSource(store, STREAM), { resume: state });
          expect(resumed.violations.every((violation) => violation.position > m)).toBe(true);
          expect(comparable(resumed, m)).toEqual(comparable(full, m));
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);

  it("finds the same with worker threads preparing the events after m", async () => {
    const events = corrupt(honest, { kind: "replay", at: 30, source: 3 }, 60);
    const store = await storeOf(events, undefined);
    const full = await auditStream(storeAuditSource(store, STREAM));
    expect(full.violations.some((violation) => violation.check === "idempotency")).toBe(true);
    const state = await savedState(store, 60, "workers");
    const resumed = await auditStream(storeAuditSource(store, STREAM), {
      resume: state,
      workers: 1,
    });
    expect(comparable(resumed, 60)).toEqual(comparable(full, 60));
  }, 60_000);
});

describe("the audit state file", () => {
  const written = async (): Promise<string> => {
    const store = await storeOf(honest, undefined);
    const prefix = await auditStream(storeAuditSource(store, STREAM), {
      upTo: 120,
      saveState: true,
    });
    const path = join(directory, "state-file");
    await writeAuditState(path, prefix.state as AuditState);
    return path;
  };

  it("refuses a file edited after it was written, before decoding anything", async () => {
    const path = await written();
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace('"treeSize":120', '"treeSize":121'));
    expect(await readAuditState(path)).toEqual({
      _tag: "Refused",
      reason:
        "its digest does not match its contents: the file was damaged or edited after it was written",
    });
  });

  it("refuses a cut file and a file that is not a state", async () => {
    const path = await written();
    const lines = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, lines.slice(0, 3).join("\n"));
    expect((await readAuditState(path))._tag).toBe("Refused");
    writeFileSync(path, "hello\n");
    expect(await readAuditState(path)).toEqual({
      _tag: "Refused",
      reason: "it is not an audit state file (1 lines)",
    });
  });

  it("refuses a section of the wrong shape even under a recomputed digest, naming its line", async () => {
    const path = await written();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    lines[2] = '{"balances":{"$map":[["assets:x",7]]}}';
    const body = lines
      .slice(0, -1)
      .map((line) => `${line}\n`)
      .join("");
    const { createHash } = await import("node:crypto");
    const digest = createHash("sha256").update(body).digest("hex");
    writeFileSync(path, `${body}${JSON.stringify({ digest })}\n`);
    expect(await readAuditState(path)).toEqual({
      _tag: "Refused",
      reason: "line 3: the balances section is malformed",
    });
  });
});
