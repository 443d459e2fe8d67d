/**
 * A ledger file opened read-only answers history from its persisted tables, folding in
 * memory only the events after their checkpoint: whatever the lag, every query equals a
 * brute-force reading of the postings and the projection equals a rebuild from the stream,
 * the history follower reads the stream only from the persisted checkpoint on, and the file
 * is not written. A checkpoint beyond the stream is not trusted; a projection rebuilt by
 * another process while it is read gives a retryable error, never a wrong answer.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { iso4217, type RecordedEvent } from "@pacioli/core";
import {
  decodeStoredEvent,
  historyRebuiltFromStream,
  openLedger,
  projectEvent,
  StoreError,
  TestClock,
  type CommandRequestJson,
  type EventStore,
  type ReadStreamOptions,
} from "@pacioli/engine";
import { expectHistoryOfPostings, forwardingStore, HISTORY_T0 } from "@pacioli/store-testkit";
import { openSqliteEventStore } from "./sqlite-event-store.js";

const STREAM = "ledger-main";
const WALLETS = ["w1", "w2", "w3"] as const;
const usd = (cents: number) => ({
  currency: "USD",
  amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`,
});
/** Funded wallets, then deposits, withdrawals, transfers, holds and captures (mostly accepted). */
const busyLedger: fc.Arbitrary<CommandRequestJson[]> = fc
  .array(
    fc.oneof(
      fc.record({
        type: fc.constant("DepositFunds"),
        walletId: fc.constantFrom(...WALLETS),
        amount: fc.integer({ min: 1, max: 5_000 }).map(usd),
        channel: fc.constant("card"),
      }),
      fc.record({
        type: fc.constant("WithdrawFunds"),
        walletId: fc.constantFrom(...WALLETS),
        amount: fc.integer({ min: 1, max: 500 }).map(usd),
        channel: fc.constant("bank"),
      }),
      fc.record({
        type: fc.constant("TransferFunds"),
        transferId: fc.uuid(),
        fromWalletId: fc.constantFrom(...WALLETS),
        toWalletId: fc.constantFrom(...WALLETS),
        amount: fc.integer({ min: 1, max: 500 }).map(usd),
      }),
      fc
        .record({ walletId: fc.constantFrom(...WALLETS), cents: fc.integer({ min: 2, max: 500 }) })
        .map(({ walletId, cents }) => ({
          type: "PlaceAndCapture",
          walletId,
          cents,
        })),
    ),
    { minLength: 5, maxLength: 40 },
  )
  .map((commands) => {
    const requests: CommandRequestJson[] = WALLETS.flatMap((walletId) => [
      {
        idempotencyKey: `open-${walletId}`,
        command: { type: "OpenWallet", walletId, ownerId: walletId },
      },
      {
        idempotencyKey: `fund-${walletId}`,
        command: { type: "DepositFunds", walletId, amount: usd(100_00), channel: "card" },
      },
    ]) as CommandRequestJson[];
    commands.forEach((command, index) => {
      const origin = { actor: `svc-${index % 3}`, metadata: { order: `o${index % 4}` } };
      if (command.type !== "PlaceAndCapture") {
        requests.push({ idempotencyKey: `c${index}`, ...origin, command } as CommandRequestJson);
        return;
      }
      const { walletId, cents } = command as { walletId: string; cents: number };
      requests.push(
        {
          idempotencyKey: `hold-${index}`,
          ...origin,
          command: {
            type: "PlaceHold",
            holdId: `h${index}`,
            walletId,
            merchantId: "m1",
            amount: usd(cents),
            expiresAt: "2027-01-31T00:00:00Z",
          },
        } as CommandRequestJson,
        {
          idempotencyKey: `capture-${index}`,
          ...origin,
          command: {
            type: "CaptureHold",
            holdId: `h${index}`,
            amount: usd(cents - 1),
            final: true,
          },
        } as CommandRequestJson,
      );
    });
    return requests;
  });
const fixedRequests: readonly CommandRequestJson[] = [
  { idempotencyKey: "open", command: { type: "OpenWallet", walletId: "w1", ownerId: "o1" } },
  {
    idempotencyKey: "dep",
    command: {
      type: "DepositFunds",
      walletId: "w1",
      amount: { currency: "USD", amount: "5.00" },
      channel: "card",
    },
  },
];

/** A ledger file holding `requests`, its persisted projection cut back to `kept` events. */
async function ledgerFile(
  requests: readonly CommandRequestJson[],
  keep: (events: number) => number,
): Promise<{ path: string; recorded: RecordedEvent[]; kept: number }> {
  const path = join(mkdtempSync(join(tmpdir(), "pacioli-read-only-")), "ledger.db");
  const store = await openSqliteEventStore({ path });
  const clock = new TestClock(HISTORY_T0);
  const ledger = await openLedger({ store, clock, snapshotEvery: 0 });
  for (const request of requests) {
    await ledger.executeWire(request);
    clock.advance(60_000);
  }
  await ledger.historyReached();
  await ledger.close();
  const recorded = (await store.readStream(STREAM)).map(
    (event) => decodeStoredEvent(iso4217, event).recorded,
  );
  const kept = keep(recorded.length);
  const projection = store.historyProjection?.(STREAM);
  await projection?.reset();
  if (kept > 0) await projection?.apply(recorded.slice(0, kept).map(projectEvent));
  expect(await projection?.checkpoint()).toBe(kept);
  await store.close();
  return { path, recorded, kept };
}

/** The file opened read-only, with every `readStream` after the open recorded. */
async function openReadOnly(path: string) {
  const reads: ReadStreamOptions[] = [];
  let opened = false;
  const sqlite = await openSqliteEventStore({ path, readOnly: true });
  const store: EventStore = forwardingStore(sqlite, {
    readStream: (stream, options) => {
      if (opened) reads.push(options ?? {});
      return sqlite.readStream(stream, options);
    },
  });
  const ledger = await openLedger({ store, clock: new TestClock(HISTORY_T0), snapshotEvery: 0 });
  opened = true;
  return { ledger, store, reads };
}

describe("history of a ledger file opened read-only", () => {
  it("answers from the persisted tables and folds only the events after their checkpoint, whatever the lag", async () => {
    await fc.assert(
      fc.asyncProperty(
        busyLedger,
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (requests, cut) => {
          const { path, recorded, kept } = await ledgerFile(requests, (events) =>
            Math.floor(events * cut),
          );
          // Most commands are accepted: a long stream with postings on both sides of the cut.
          expect(recorded.length).toBeGreaterThan(requests.length / 2);
          const before = readFileSync(path);
          const { ledger, store, reads } = await openReadOnly(path);
          try {
            await ledger.historyReached();
            // The follower's reads (pages of events, not findEvents' single events) start at
            // the persisted checkpoint: the stream before it is never folded again.
            const folds = reads.filter((options) => (options.limit ?? Infinity) > 1);
            if (kept < recorded.length) expect(folds.length).toBeGreaterThan(0);
            for (const options of folds)
              expect(options.fromIndex ?? 0).toBeGreaterThanOrEqual(kept);
            expect(await ledger.historyProjection.contents()).toEqual(
              await historyRebuiltFromStream(store, STREAM),
            );
            await expectHistoryOfPostings(ledger, recorded);
            // Pages of every size end where the tail does, or inside the base: cursors walk on.
            for (const account of ["assets:clearing:card", "liabilities:wallets:w1:available"]) {
              const all = (await ledger.accountHistory(account, { limit: 1000 })).lines;
              // A page that the tail fills exactly is the boundary: the base must give its cursor.
              const tail = all.filter((line) => line.sequence > kept).length;
              for (const limit of [1, 2, 3, tail, tail + 1].filter((size) => size > 0)) {
                const walked: unknown[] = [];
                let before: number | undefined;
                do {
                  const page = await ledger.accountHistory(account, {
                    limit,
                    ...(before === undefined ? {} : { before }),
                  });
                  walked.push(...page.lines);
                  before = page.nextCursor;
                } while (before !== undefined);
                expect(walked, `${account} by ${limit}`).toEqual(all);
              }
            }
          } finally {
            await ledger.close();
            await store.close();
          }
          expect(readFileSync(path).equals(before)).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  }, 240_000);

  it("reads persisted rows it did not fold: the tables answer, not a rebuild", async () => {
    const { path } = await ledgerFile(fixedRequests, (events) => events);
    const raw = new Database(path);
    const changed = raw
      .prepare("UPDATE history_lines SET balance = '777' WHERE account = ? AND sequence = 2")
      .run("assets:clearing:card");
    expect(changed.changes).toBe(1);
    raw.close();
    const { ledger, store } = await openReadOnly(path);
    try {
      expect(await ledger.accountBalanceAsOf("assets:clearing:card", "USD", { sequence: 2 })).toBe(
        777n,
      );
    } finally {
      await ledger.close();
      await store.close();
    }
  });

  it("does not trust a checkpoint beyond the stream's end: the whole stream is folded in memory", async () => {
    const requests = fc.sample(busyLedger, { numRuns: 1, seed: 16 })[0] ?? [];
    const { path, recorded } = await ledgerFile(requests, (events) => events);
    const raw = new Database(path);
    raw.prepare("UPDATE history_checkpoints SET sequence = sequence + 5").run();
    raw.close();
    const { ledger, store, reads } = await openReadOnly(path);
    try {
      await ledger.historyReached();
      await expectHistoryOfPostings(ledger, recorded);
      expect(reads.some((options) => (options.fromIndex ?? 0) === 0)).toBe(true);
    } finally {
      await ledger.close();
      await store.close();
    }
  });

  it("answers a retryable error, never a wrong answer, when another process rebuilds the projection under it, then answers from the events", async () => {
    const requests = fc.sample(busyLedger, { numRuns: 1, seed: 17 })[0] ?? [];
    const { path, recorded } = await ledgerFile(requests, (events) => Math.floor(events / 2));
    const { ledger, store } = await openReadOnly(path);
    try {
      await ledger.historyReached();
      const writer = await openSqliteEventStore({ path });
      await writer.historyProjection?.(STREAM).reset();
      await writer.close();
      const account = "liabilities:wallets:w1:available";
      const error = await ledger.accountHistory(account, { limit: 1000 }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).retryable).toBe(true);
      await expectHistoryOfPostings(ledger, recorded);
    } finally {
      await ledger.close();
      await store.close();
    }
  });
});
