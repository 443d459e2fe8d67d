/**
 * The history projection (ADR 0018) on every store, against the stream itself:
 *
 * - a property: after any sequence of commands, queries racing them, restarts (with and
 *   without a snapshot) and rebuilds, the projection the ledger reads equals one rebuilt in
 *   memory from the durable stream;
 * - a brute-force reading of the postings: each account's lines are the events that posted
 *   to it, its balance the running sum of those postings; pages walked with cursors, filters,
 *   balances as of a sequence or a time, lookups by key, command id and metadata, and the
 *   wallet view (available and held) must say exactly what that reading says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  WalletHistory,
  formatTimestamp,
  iso4217,
  type HistoryLine,
  type LedgerEventType,
  type RecordedEvent,
} from "@pacioli/core";
import {
  decodeStoredEvent,
  historyRebuiltFromStream,
  openLedger,
  TestClock,
  MemoryHistoryProjection,
  type AccountHistoryLine,
  type CommandRequestJson,
  type ProjectedEvent,
  type EventStore,
  type Ledger,
} from "@pacioli/engine";
import type { OpenEngineStore } from "./engine-on-store-suite.js";

const T0 = Date.UTC(2026, 10, 25, 10);
const STREAM = "ledger-main";
const WALLETS = ["w1", "w2", "w3"] as const;
const CURRENCIES = ["USD", "EUR"] as const;
const HOLDS = ["h1", "h2", "h3"] as const;

type Action =
  | { readonly kind: "command"; readonly request: CommandRequestJson; readonly racedBy?: string }
  | { readonly kind: "restart"; readonly snapshot: boolean; readonly useSnapshot: boolean }
  | { readonly kind: "rebuild" }
  | { readonly kind: "tick"; readonly ms: number };

/** Decimal-string amounts built from integer cents (never through a float). */
const money = fc
  .tuple(fc.constantFrom(...CURRENCIES), fc.integer({ min: 1, max: 5_000 }))
  .map(([currency, cents]) => ({
    currency,
    amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`,
  }));
const wallet = fc.constantFrom(...WALLETS);
const hold = fc.constantFrom(...HOLDS);

const command = fc.oneof(
  fc.record({
    type: fc.constant("DepositFunds"),
    walletId: wallet,
    amount: money,
    channel: fc.constant("card"),
  }),
  fc.record({
    type: fc.constant("WithdrawFunds"),
    walletId: wallet,
    amount: money,
    channel: fc.constant("bank"),
  }),
  fc.record({
    type: fc.constant("TransferFunds"),
    transferId: fc.uuid(),
    fromWalletId: wallet,
    toWalletId: wallet,
    amount: money,
  }),
  fc.record({
    type: fc.constant("PlaceHold"),
    holdId: hold,
    walletId: wallet,
    merchantId: fc.constant("m1"),
    amount: money,
    expiresAt: fc.constant(formatTimestamp(T0 + 30 * 86_400_000)),
  }),
  fc.record({ type: fc.constant("CaptureHold"), holdId: hold, amount: money, final: fc.boolean() }),
  fc.record({ type: fc.constant("ReleaseHold"), holdId: hold }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        command,
        key: fc.integer({ min: 0, max: 60 }),
        order: fc.constantFrom("o1", "o2", "o3"),
        racedBy: fc.option(wallet, { nil: undefined }),
      })
      .map(({ command: c, key, order, racedBy }) => ({
        kind: "command" as const,
        request: {
          idempotencyKey: `k${key}`,
          actor: `user-${order}`,
          metadata: { order },
          command: c,
        } as CommandRequestJson,
        ...(racedBy === undefined ? {} : { racedBy }),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("restart" as const),
      snapshot: fc.boolean(),
      useSnapshot: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "rebuild" as const }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 3_600_000 }).map((ms) => ({ kind: "tick" as const, ms })),
  },
);

const OPENINGS: readonly Action[] = WALLETS.map((id) => ({
  kind: "command",
  request: {
    idempotencyKey: `open-${id}`,
    command: { type: "OpenWallet", walletId: id, ownerId: id },
  },
}));

export function historyProjectionSuite(name: string, open: OpenEngineStore, runs = 12): void {
  describe(`history projection on ${name}`, () => {
    it("equals a rebuild from the stream and a brute-force reading of its postings, after any commands, racing queries, restarts and rebuilds", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
          const fixture = await open({});
          const clock = new TestClock(T0);
          let ledger = await openLedger({ store: fixture.store, clock, snapshotEvery: 0 });
          try {
            for (const step of [...OPENINGS, ...actions])
              ledger = await play(step, ledger, fixture.connect, clock);
            await ledger.historyReached();
            const recorded = await readRecorded(fixture.store);
            expect(await ledger.historyProjection.contents()).toEqual(
              await historyRebuiltFromStream(fixture.store, STREAM),
            );
            await expectBruteForce(ledger, recorded);
          } finally {
            await ledger.close();
            await fixture.close();
          }
        }),
        { numRuns: runs },
      );
    }, 120_000);

    it("never ends a page inside an event: the event's other currencies come with it, and the cursor goes on after it", async () => {
      const fixture = await open({});
      try {
        const projection =
          fixture.store.historyProjection?.("ledger-pages") ?? new MemoryHistoryProjection();
        const event = (sequence: number, postings: ProjectedEvent["postings"]): ProjectedEvent => ({
          sequence,
          recordedAt: T0 + sequence,
          type: "CurrencyConverted",
          commandId: `c${sequence}`,
          idempotencyKey: `k${sequence}`,
          postings,
        });
        const fx = "assets:fx-liquidity:house";
        await projection.apply([
          event(1, [{ account: fx, currency: "USD", amount: 100n }]),
          event(2, [
            { account: fx, currency: "EUR", amount: -90n },
            { account: fx, currency: "USD", amount: 100n },
          ]),
          event(3, [{ account: fx, currency: "USD", amount: 5n }]),
        ]);
        const first = await projection.page(fx, { limit: 2 });
        expect(first.lines.map((line) => [line.sequence, line.currency])).toEqual([
          [3, "USD"],
          [2, "USD"],
          [2, "EUR"],
        ]);
        expect(first.nextCursor).toBe(2);
        const second = await projection.page(fx, { limit: 2, before: 2 });
        expect(second.lines.map((line) => [line.sequence, line.balance])).toEqual([[1, 100n]]);
        expect(second.nextCursor).toBeUndefined();
        expect(await projection.balanceAtSequence(fx, "USD", 2)).toBe(200n);
        expect(await projection.sequenceAtTime(T0 + 2)).toBe(2);
        // A gap after the checkpoint is refused and changes nothing.
        await expect(projection.apply([event(5, [])])).rejects.toThrow();
        expect(await projection.checkpoint()).toBe(3);
        await expect(projection.page(fx, { limit: 0 })).rejects.toThrow(RangeError);
      } finally {
        await fixture.close();
      }
    });
  });
}

async function play(
  step: Action,
  ledger: Ledger,
  connect: () => Promise<EventStore>,
  clock: TestClock,
): Promise<Ledger> {
  switch (step.kind) {
    case "command": {
      // A query sent with the command races its batch: it reads what is durable, never twice.
      const [result] = await Promise.all([
        ledger.executeWire(step.request),
        step.racedBy === undefined ? undefined : ledger.history(step.racedBy, { limit: 5 }),
      ]);
      if (result._tag === "Accepted") {
        const last = result.events[result.events.length - 1];
        // Read-your-writes: a query at the ack's position sees the command's events.
        if (last !== undefined && !result.repeated) {
          const found = await ledger.findEvents(
            { idempotencyKey: step.request.idempotencyKey },
            { limit: 10, atLeast: last.sequence },
          );
          expect(found.events.map((event) => event.sequence)).toContain(last.sequence);
        }
      }
      return ledger;
    }
    case "restart": {
      if (step.snapshot) await ledger.snapshot();
      await ledger.close();
      return openLedger({
        store: await connect(),
        clock,
        snapshotEvery: 0,
        useSnapshot: step.useSnapshot,
      });
    }
    case "rebuild":
      await ledger.rebuildHistory();
      return ledger;
    case "tick":
      clock.advance(step.ms);
      return ledger;
  }
}

async function readRecorded(store: EventStore): Promise<RecordedEvent[]> {
  const stored = await store.readStream(STREAM);
  return stored.map((event) => decodeStoredEvent(iso4217, event).recorded);
}

/** Every line the postings imply, per account: oldest first. */
function bruteForceLines(recorded: readonly RecordedEvent[]): Map<string, AccountHistoryLine[]> {
  const byAccount = new Map<string, AccountHistoryLine[]>();
  const balances = new Map<string, bigint>();
  for (const event of recorded) {
    const nets = new Map<string, bigint>();
    for (const posting of event.event.postings) {
      const key = `${posting.account} ${posting.currency}`;
      nets.set(key, (nets.get(key) ?? 0n) + posting.amount);
    }
    for (const [key, amount] of [...nets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [account, currency] = key.split(" ") as [string, string];
      const balance = (balances.get(key) ?? 0n) + amount;
      balances.set(key, balance);
      const lines = byAccount.get(account) ?? [];
      byAccount.set(account, lines);
      lines.push({
        sequence: event.sequence,
        recordedAt: event.recordedAt,
        type: event.event.type,
        account,
        currency,
        amount,
        balance,
        commandId: event.commandId,
        idempotencyKey: event.idempotencyKey,
        ...(event.actor === undefined ? {} : { actor: event.actor }),
        ...(event.metadata === undefined ? {} : { metadata: event.metadata }),
      });
    }
  }
  return byAccount;
}

/** Every line of a paged query, its pages fetched with the cursor each one names, to the last. */
async function everyPage<Line>(
  page: (cursor: number | undefined) => Promise<{
    readonly lines: readonly Line[];
    readonly nextCursor?: number | undefined;
  }>,
): Promise<Line[]> {
  const lines: Line[] = [];
  let cursor: number | undefined;
  do {
    const next = await page(cursor);
    lines.push(...next.lines);
    cursor = next.nextCursor;
  } while (cursor !== undefined);
  return lines;
}

const withoutCounterparty = ({ counterparty: _, ...line }: AccountHistoryLine) => line;

async function expectBruteForce(ledger: Ledger, recorded: readonly RecordedEvent[]): Promise<void> {
  const expected = bruteForceLines(recorded);
  for (const [account, lines] of expected) {
    const newestFirst = [...lines].sort(
      (a, b) => b.sequence - a.sequence || (a.currency < b.currency ? 1 : -1),
    );
    // Walked with cursors, three lines a page.
    const walked = await everyPage((before) =>
      ledger.accountHistory(account, { limit: 3, ...(before === undefined ? {} : { before }) }),
    );
    expect(walked.map(withoutCounterparty)).toEqual(newestFirst);
    for (const line of walked) expectCounterparty(line, recorded);
    // Filtered: one currency, one event type.
    const usd = await ledger.accountHistory(account, { limit: 1000, currency: "USD" });
    expect(usd.lines.map(withoutCounterparty)).toEqual(
      newestFirst.filter((line) => line.currency === "USD"),
    );
    const type = newestFirst[0]?.type as LedgerEventType;
    const typed = await ledger.accountHistory(account, { limit: 1000, types: [type] });
    expect(typed.lines.map(withoutCounterparty)).toEqual(
      newestFirst.filter((line) => line.type === type),
    );
    // Balances as of a sequence and as of a time.
    for (const line of lines) {
      for (const currency of CURRENCIES) {
        const upTo = lines.filter(
          (other) => other.currency === currency && other.sequence <= line.sequence,
        );
        expect(
          await ledger.accountBalanceAsOf(account, currency, { sequence: line.sequence }),
        ).toBe(upTo.at(-1)?.balance ?? 0n);
        const atTime = lines.filter(
          (other) => other.currency === currency && other.recordedAt <= line.recordedAt,
        );
        expect(await ledger.accountBalanceAsOf(account, currency, { at: line.recordedAt })).toBe(
          atTime.at(-1)?.balance ?? 0n,
        );
      }
    }
  }
  expect(await ledger.accountBalanceAsOf("income:fees:never", "USD", { at: T0 })).toBe(0n);
  // Lookups, walked two events a page.
  const lookups = [...new Set(recorded.map((event) => event.idempotencyKey))].map(
    (idempotencyKey) => ({
      lookup: { idempotencyKey },
      expected: recorded.filter((event) => event.idempotencyKey === idempotencyKey),
    }),
  );
  for (const order of ["o1", "o2", "o3", "none"])
    lookups.push({
      lookup: { metadata: { key: "order", value: order } } as never,
      expected: recorded.filter((event) => event.metadata?.["order"] === order),
    });
  for (const { lookup, expected: events } of lookups) {
    const found = await everyPage(async (after) => {
      const page = await ledger.findEvents(lookup, {
        limit: 2,
        ...(after === undefined ? {} : { after }),
      });
      return { lines: page.events, nextCursor: page.nextCursor };
    });
    expect(found.map((event) => event.sequence)).toEqual(events.map((event) => event.sequence));
  }
  const first = recorded[0];
  if (first !== undefined)
    expect(
      (await ledger.findEvents({ commandId: first.commandId }, { limit: 100 })).events.map(
        (event) => event.sequence,
      ),
    ).toEqual(
      recorded
        .filter((event) => event.commandId === first.commandId)
        .map((event) => event.sequence),
    );
  await expectWalletView(ledger, recorded);
}

/** The counterparty is the largest posting of the other sign in the same currency. */
function expectCounterparty(line: AccountHistoryLine, recorded: readonly RecordedEvent[]): void {
  const event = recorded[line.sequence - 1] as RecordedEvent;
  const others = event.event.postings.filter(
    (posting) =>
      posting.account !== line.account &&
      posting.currency === line.currency &&
      (line.amount > 0n ? posting.amount < 0n : line.amount < 0n && posting.amount > 0n),
  );
  if (others.length === 0) {
    expect(line.counterparty).toBeUndefined();
    return;
  }
  const chosen = others.find((posting) => posting.account === line.counterparty);
  expect(chosen).toBeDefined();
  const size = (value: bigint) => (value < 0n ? -value : value);
  for (const other of others)
    expect(
      size(other.amount) <= size(chosen?.amount ?? 0n) || other.account === line.counterparty,
    ).toBe(true);
}

/** The wallet view (available and held, holder's sense) against core's in-memory wallet history. */
async function expectWalletView(ledger: Ledger, recorded: readonly RecordedEvent[]): Promise<void> {
  const reference = new WalletHistory();
  for (const event of recorded) reference.apply(event);
  const order = (a: HistoryLine, b: HistoryLine) =>
    b.sequence - a.sequence || (a.currency < b.currency ? 1 : a.currency > b.currency ? -1 : 0);
  for (const walletId of WALLETS) {
    const walked = await everyPage((before) =>
      ledger.history(walletId, { limit: 2, ...(before === undefined ? {} : { before }) }),
    );
    // Line by line, every field of core's line (the view's lines carry more).
    const expected = [...reference.page(walletId, { limit: 1000 }).lines].sort(order);
    expect(walked).toMatchObject(expected);
    const last = recorded.at(-1);
    if (last !== undefined)
      for (const currency of CURRENCIES)
        expect(await ledger.balanceAsOf(walletId, currency, { at: last.recordedAt })).toEqual(
          reference.balanceAtTime(walletId, currency, last.recordedAt),
        );
  }
}
