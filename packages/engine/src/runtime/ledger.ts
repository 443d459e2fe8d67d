/**
 * A ledger partition at run time: one writer deciding commands one after another against
 * in-memory state, committing the events of many commands in one append (group commit) at
 * the exact expected stream version, and acknowledging a command only once its events are
 * durable.
 *
 * - Another process appended first (version conflict): the state is reloaded from the store
 *   and the whole batch decided again, so nothing is applied twice or against stale funds.
 * - The store failed: the state is reloaded from the store (so memory equals what is
 *   durable) and every command of the batch fails with a retryable `StoreError`. If the
 *   store cannot even be read back, memory is marked stale and the next batch reloads
 *   before deciding anything: decided-but-unwritten events never outlive a failure.
 * - A retried idempotency key gets the original events back, from memory or the store. The
 *   key window lives in the store (written with the events, ADR 0011); memory holds a bounded
 *   hot set, and the keys of a batch that miss it are looked up in one query before deciding.
 */
import {
  accountBalances,
  dueCommands,
  evolve,
  handle as handleCommand,
  IDEMPOTENCY_HOT_SET_MAX_DEFAULT,
  isRetryable,
  ledgerTrialBalance,
  walletBalances,
  type WalletBalance,
  type AccountBalance,
  type CommandEnvelope,
  type CommandRequest,
  type IdempotencyEntry,
  type HistoryQuery,
  type LedgerOptions,
  type LedgerState,
  type RecordedEvent,
} from "@pacioli/core";
import { decodeEntry, encodeEntry, storedHash } from "../journal/journal-codec.js";
import { SnapshotFollower } from "../snapshot/snapshot-follower.js";
import { LedgerTree } from "../verifiable/ledger-tree.js";
import type { TreeHead } from "../verifiable/tree-head.js";
import {
  StoreError,
  type EventStore,
  type IdempotencyRecord,
  type NewEvent,
  type Position,
  type Subscription,
} from "../store/event-store.js";
import { systemClock, type Clock } from "./clock.js";
import { takeInTyped, takeInWire } from "./command-intake.js";
import { legacyRequestDigest } from "./request-digest.js";
import type { ExecuteResult } from "./execute-result.js";
import { loadLedger } from "./replay.js";
import {
  LedgerHistory,
  type BalancePoint,
  type FoundEvents,
  type ReadConsistency,
} from "../history/ledger-history.js";
import type { WalletHistoryPage } from "../history/wallet-history-view.js";
import type {
  AccountHistoryPage,
  AccountHistoryQuery,
  EventLookup,
  EventLookupQuery,
} from "../history/history-projection.js";

/** Commands decided into one append, at most. */
export const BATCH_COMMANDS_MAX = 1000;
/** Times a batch is decided again after losing a race to another writer. */
export const CONFLICT_RETRIES_MAX = 8;
/** Default bytes per append: far below SQLite's limits, the 1 MiB default of EventStoreDB. */
export const BATCH_BYTES_MAX_DEFAULT = 1_000_000;
/**
 * Bytes budgeted per event on top of its payload when sizing an append: a store frames each
 * event (EventStoreDB counts the metadata carrying the event id and twice the type, about
 * 100-200 bytes), so payloads alone would let a batch of many small events cross the limit.
 */
export const APPEND_EVENT_OVERHEAD_BYTES = 256;
/**
 * Share of the writer's time automatic snapshots may take, by default. A snapshot pauses the
 * writer while the whole state is serialised: ~3 s with a million idempotency keys in the
 * window (benchmarks/RESULTS.md), so on a busy ledger "every 100,000 events" alone would have
 * it snapshotting half the time.
 */
export const SNAPSHOT_TIME_SHARE_MAX_DEFAULT = 0.1;

export interface OpenLedgerOptions extends LedgerOptions {
  readonly store: EventStore;
  readonly clock?: Clock;
  /** Names the stream `ledger-{ledgerId}` (default "main"). */
  readonly ledgerId?: string;
  readonly batchCommandsMax?: number;
  readonly batchBytesMax?: number;
  /** Write a snapshot every this many events (0 = never automatically). Default 100,000. */
  readonly snapshotEvery?: number;
  /**
   * At most this share (0 < share ≤ 1) of the writer's time goes to automatic snapshots: after
   * one that took d ms, the next waits d × (1 / share − 1) ms of the clock. Default 0.1.
   */
  readonly snapshotTimeShareMax?: number;
  readonly useSnapshot?: boolean;
  readonly onWarning?: (message: string) => void;
  /**
   * Idempotency keys held in memory at most when the store keeps the window (default
   * `IDEMPOTENCY_HOT_SET_MAX_DEFAULT`, 100,000); at least two batches. Ignored (unbounded) for a
   * store without `findIdempotency`.
   */
  readonly idempotencyHotSetMax?: number;
}

interface Pending {
  /** A `CommandRequest` when `typed`, else untrusted JSON. */
  readonly request: unknown;
  readonly typed: boolean;
  readonly resolve: (result: ExecuteResult) => void;
  readonly reject: (error: unknown) => void;
}

type Decided =
  | { readonly _tag: "Done"; readonly result: ExecuteResult }
  | { readonly _tag: "Recorded"; readonly events: readonly RecordedEvent[] }
  | { readonly _tag: "Repeated"; readonly firstSequence: number; readonly eventCount: number };

export async function openLedger(opening: OpenLedgerOptions): Promise<Ledger> {
  // A store that keeps the key window lets memory hold a bounded hot set; otherwise memory
  // must hold the whole window (derived from the stream after a snapshot, replay.ts).
  const hotSetMax =
    opening.store.findIdempotency === undefined
      ? Number.POSITIVE_INFINITY
      : (opening.idempotencyHotSetMax ?? IDEMPOTENCY_HOT_SET_MAX_DEFAULT);
  if (!(hotSetMax >= 2 * (opening.batchCommandsMax ?? BATCH_COMMANDS_MAX))) {
    throw new RangeError(
      `idempotencyHotSetMax must hold two batches of keys (${2 * (opening.batchCommandsMax ?? BATCH_COMMANDS_MAX)}), got ${hotSetMax}`,
    );
  }
  const options: OpenLedgerOptions = { ...opening, idempotencyHotSetMax: hotSetMax };
  const share = options.snapshotTimeShareMax ?? SNAPSHOT_TIME_SHARE_MAX_DEFAULT;
  if (!(share > 0 && share <= 1))
    throw new RangeError(`snapshotTimeShareMax must be in (0, 1], got ${share}`);
  const stream = `ledger-${options.ledgerId ?? "main"}`;
  const loaded = await loadLedger(options.store, stream, options);
  return new Ledger(options, stream, loaded.state, loaded.lastHash);
}

export class Ledger {
  private readonly queue: Pending[] = [];
  private draining = false;
  private closed = false;
  /** Memory may hold events the store does not (a failure whose reload failed too). */
  private stale = false;
  private lastSnapshotVersion: number;
  /** Keeps its own copy of the durable state and writes snapshots of it (ADR 0012). */
  private follower: SnapshotFollower | undefined;
  /** Clock time before which no automatic snapshot starts (see `snapshotTimeShareMax`). */
  private snapshotNotBefore = Number.NEGATIVE_INFINITY;
  /** The query side: a history projection kept off the write path (ADR 0018). */
  private readonly queries: LedgerHistory;
  /** The RFC 6962 tree head over the stored events, kept per append (ADR 0016). */
  private readonly tree = new LedgerTree();

  constructor(
    private readonly options: OpenLedgerOptions,
    readonly stream: string,
    private state: LedgerState,
    private lastHash: string,
  ) {
    this.lastSnapshotVersion = state.sequence;
    this.queries = new LedgerHistory(
      options.store,
      stream,
      () => this.state.registry,
      options.onWarning,
    );
    this.queries.loaded(state.sequence);
    // With automatic snapshots on, the follower's copy is taken now, before the writer starts:
    // a copy taken later would pause the writer for as long as encoding the state takes.
    if ((options.snapshotEvery ?? 100_000) > 0)
      this.follower = new SnapshotFollower(options.store, stream, this.options, {
        state,
        lastHash,
      });
  }

  get store(): EventStore {
    return this.options.store;
  }

  /** Sequence of the last durable event. */
  get sequence(): number {
    return this.state.sequence;
  }

  get headHash(): string {
    return this.lastHash;
  }

  /** The decision state (read-only by contract: the writer owns it). */
  get currentState(): LedgerState {
    return this.state;
  }

  /**
   * Decides a typed command and resolves once its events are durable (or it was refused).
   * The compiler checks its shape; its refinements (positive amounts, known currencies) are
   * checked by the codec, so a bad value is `Invalid`, never decided.
   */
  execute(request: CommandRequest): Promise<ExecuteResult> {
    return this.enqueue(request, true);
  }

  /** Decides a command request given as untrusted JSON (decoded with io-ts first). */
  executeWire(input: unknown): Promise<ExecuteResult> {
    return this.enqueue(input, false);
  }

  private enqueue(request: unknown, typed: boolean): Promise<ExecuteResult> {
    if (this.closed) return Promise.reject(new StoreError("the ledger is closed", false));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, typed, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Let callers that are running now enqueue too: they join this group commit.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.batchCommandsMax ?? BATCH_COMMANDS_MAX);
        try {
          await this.commitBatch(batch);
        } catch (error) {
          // An assertion in evolve or a failing read: nobody is awaiting `drain`, so the
          // callers get the error (instead of waiting forever behind an unhandled rejection)
          // and memory, possibly half-folded, is reloaded before the next decision.
          this.stale = true;
          for (const pending of batch) pending.reject(error);
        }
        // Callers acknowledged just now send their next commands in microtasks, so the queue
        // may never empty: let the event loop turn between batches (I/O, timers, the snapshot
        // follower), and let more callers join the next group commit.
        if (this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    if (this.stale && !(await this.recover())) {
      for (const pending of batch)
        pending.reject(
          new StoreError("the store cannot be read back after a failure; retry later", true),
        );
      return;
    }
    for (let attempt = 0; attempt <= CONFLICT_RETRIES_MAX; attempt += 1) {
      try {
        await this.resolveKeys(batch);
      } catch (error) {
        const failure =
          error instanceof StoreError
            ? error
            : new StoreError(`idempotency lookup failed: ${String(error)}`, true, { cause: error });
        for (const pending of batch) pending.reject(failure);
        return;
      }
      const expectedVersion = this.state.sequence;
      const { decided, newEvents, lastHash, accepted, overflow } = this.decideBatch(batch);
      if (overflow.length > 0) this.queue.unshift(...overflow);
      if (newEvents.length === 0) return this.settle(accepted, decided, []);
      let appended;
      let ours = true;
      try {
        appended = await this.store.append(this.stream, newEvents, expectedVersion, {
          idempotency: idempotencyRecords(decided),
        });
        if (appended._tag === "Appended")
          ours = await this.keptOurs(appended.nextVersion, lastHash);
      } catch (error) {
        await this.recover();
        const failure =
          error instanceof StoreError
            ? error
            : new StoreError(`append failed: ${String(error)}`, true, { cause: error });
        for (const pending of accepted) pending.reject(failure);
        return;
      }
      if (appended._tag === "VersionConflict" || !ours) {
        if (!(await this.recover())) {
          for (const pending of accepted)
            pending.reject(
              new StoreError(
                "lost a race to another writer and cannot read the store back; retry later",
                true,
              ),
            );
          return;
        }
        batch = accepted; // decide the same commands again against the caught-up state
        continue;
      }
      this.lastHash = lastHash;
      this.tree.appended(expectedVersion, newEvents);
      const recorded = decided.flatMap((item) => (item._tag === "Recorded" ? item.events : []));
      this.queries.committed(recorded);
      // Handed to the snapshot follower and a due snapshot started (not awaited) before the
      // acknowledgements, so a caller that waits for `snapshotsSettled` after its ack sees it.
      this.follower?.follow(recorded, lastHash);
      this.snapshotIfDue();
      await this.settle(accepted, decided, recorded);
      return;
    }
    await this.recover();
    for (const pending of batch)
      pending.reject(
        new StoreError(`lost ${CONFLICT_RETRIES_MAX + 1} races to another writer in a row`, true),
      );
  }

  /**
   * Puts into the hot set the stored records of the batch's keys that are not in it: one
   * query for the whole batch, before anything is decided, so `decide` (pure) sees every key
   * of the window that matters to this batch. A key not in the store is new. Keys are read
   * from the requests without decoding them (a request that does not decode has no key to
   * look up and is refused later anyway).
   */
  private async resolveKeys(batch: readonly Pending[]): Promise<void> {
    const find = this.store.findIdempotency;
    if (find === undefined) return; // the whole window is in memory (see openLedger)
    const table = this.state.idempotency;
    const missing = new Set<string>();
    const present: IdempotencyEntry[] = [];
    for (const pending of batch) {
      const key = (pending.request as { readonly idempotencyKey?: unknown } | null)?.idempotencyKey;
      if (typeof key !== "string") continue;
      const entry = table.get(key);
      if (entry === undefined) missing.add(key);
      else present.push(entry);
    }
    const found =
      missing.size === 0
        ? new Map<string, IdempotencyRecord>()
        : await find.call(this.store, this.stream, [...missing]);
    // The batch's keys become the newest in the hot set, those it held included: a key held
    // but oldest would otherwise be evicted by the ones added now, before its command is
    // decided (found by the crash test). The bound of two batches keeps them all until then.
    for (const entry of present) table.remember(entry);
    for (const record of found.values())
      if (table.get(record.key) === undefined) table.remember(record);
  }

  /**
   * Whether the store kept this batch's events. Event ids are deterministic, so when another
   * writer recorded the same command at the same version first, the store takes this append
   * for a retry of that one and answers `Appended` without writing. The events it kept may
   * differ (another clock, actor or metadata, hence another hash); keeping ours in memory
   * would fork the hash chain at the next append. The stored head's hash settles it: on a
   * mismatch the batch is treated as a lost race (reload, decide again: the command is then
   * a repeat answered with the stored events). One indexed read per batch, not per command.
   */
  private async keptOurs(nextVersion: number, lastHash: string): Promise<boolean> {
    const [head] = await this.store.readStream(this.stream, {
      fromIndex: nextVersion - 1,
      limit: 1,
    });
    return head !== undefined && storedHash(head) === lastHash;
  }

  /** Decides every command of the batch in order against the live state, folding as it goes. */
  private decideBatch(batch: Pending[]) {
    const registry = this.state.registry;
    const at = Math.max(this.clock.now(), this.state.lastRecordedAt);
    // The store's own limit when it has one (EventStoreDB's MaxAppendSize), so a group commit
    // is never refused for its size; the per-event overhead below is the margin for framing.
    const bytesMax =
      this.options.batchBytesMax ?? this.store.maxAppendBytes ?? BATCH_BYTES_MAX_DEFAULT;
    const decided: Decided[] = [];
    const accepted: Pending[] = [];
    const newEvents: NewEvent[] = [];
    let overflow: Pending[] = [];
    let hash = this.lastHash;
    let bytes = 0;
    for (let index = 0; index < batch.length; index += 1) {
      const pending = batch[index] as Pending;
      const intake = pending.typed
        ? takeInTyped(registry, pending.request as CommandRequest, at)
        : takeInWire(registry, pending.request, at);
      if (intake._tag === "Invalid") {
        pending.resolve({ _tag: "Invalid", failure: intake.failure });
        continue;
      }
      // Decided without folding first: a command whose events would push the append over
      // the limit must head the next batch undecided, not be folded and then withdrawn.
      const outcome = handleCommand(this.state, withLegacyDigest(this.state, intake.envelope));
      if (outcome._tag === "Left") {
        accepted.push(pending);
        decided.push({
          _tag: "Done",
          result: {
            _tag: "Rejected",
            rejection: outcome.left,
            retryable: isRetryable(outcome.left),
          },
        });
        continue;
      }
      if (outcome.right._tag === "Repeated") {
        accepted.push(pending);
        decided.push(outcome.right);
        continue;
      }
      const commandEvents: NewEvent[] = [];
      let commandHash = hash;
      let commandBytes = 0;
      for (const recorded of outcome.right.events) {
        const { entry, newEvent } = encodeEntry(registry, recorded, commandHash);
        commandHash = entry.hash;
        commandBytes += Buffer.byteLength(newEvent.payload, "utf8") + APPEND_EVENT_OVERHEAD_BYTES;
        commandEvents.push(newEvent);
      }
      if (newEvents.length > 0 && bytes + commandBytes > bytesMax) {
        // Closed before the command that would cross the limit: it and the rest wait for the
        // next append. A command too large on its own still goes alone (the store refuses it).
        overflow = batch.slice(index);
        break;
      }
      for (const recorded of outcome.right.events) evolve(this.state, recorded);
      accepted.push(pending);
      hash = commandHash;
      bytes += commandBytes;
      newEvents.push(...commandEvents);
      decided.push({ _tag: "Recorded", events: outcome.right.events });
    }
    return { decided, newEvents, lastHash: hash, accepted, overflow };
  }

  private async settle(
    accepted: Pending[],
    decided: Decided[],
    recorded: readonly RecordedEvent[],
  ): Promise<void> {
    for (let index = 0; index < accepted.length; index += 1) {
      const pending = accepted[index] as Pending;
      const item = decided[index] as Decided;
      try {
        if (item._tag === "Done") pending.resolve(item.result);
        else if (item._tag === "Recorded")
          pending.resolve({ _tag: "Accepted", events: item.events, repeated: false });
        else
          pending.resolve({
            _tag: "Accepted",
            events: await this.originalEvents(item.firstSequence, item.eventCount, recorded),
            repeated: true,
          });
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  /** The events a command recorded the first time: from this batch, or read back from the store. */
  private async originalEvents(
    firstSequence: number,
    eventCount: number,
    batch: readonly RecordedEvent[],
  ): Promise<RecordedEvent[]> {
    const inBatch = batch.filter(
      (event) => event.sequence >= firstSequence && event.sequence < firstSequence + eventCount,
    );
    if (inBatch.length === eventCount) return inBatch;
    const stored = await this.store.readStream(this.stream, {
      fromIndex: firstSequence - 1,
      limit: eventCount,
    });
    return stored.map((event) => decodeEntry(this.state.registry, event).recorded);
  }

  /**
   * Reloads after a failed or lost append. A store that cannot be read either leaves memory
   * stale (it may hold the undurable batch); the next batch retries the reload first.
   */
  private async recover(): Promise<boolean> {
    try {
      await this.reload();
      this.stale = false;
      return true;
    } catch (error) {
      this.stale = true;
      this.options.onWarning?.(`cannot reload ${this.stream} from the store: ${String(error)}`);
      return false;
    }
  }

  /** Makes memory equal the store again: snapshot (if valid) plus every event after it. */
  private async reload(): Promise<void> {
    const loaded = await loadLedger(this.store, this.stream, this.options);
    this.state = loaded.state;
    this.lastHash = loaded.lastHash;
    this.queries.loaded(loaded.state.sequence);
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /**
   * Starts an automatic snapshot when one is due, without waiting for it: the follower folds,
   * encodes, hashes and writes it in turns of its own while this writer goes on (ADR 0012).
   */
  private snapshotIfDue(): void {
    const every = this.options.snapshotEvery ?? 100_000;
    if (every <= 0 || this.state.sequence - this.lastSnapshotVersion < every) return;
    const started = this.clock.now();
    if (started < this.snapshotNotBefore || this.follower?.busy === true) return;
    this.lastSnapshotVersion = this.state.sequence;
    const share = this.options.snapshotTimeShareMax ?? SNAPSHOT_TIME_SHARE_MAX_DEFAULT;
    const spaced = (): void => {
      const ended = this.clock.now();
      this.snapshotNotBefore = ended + (ended - started) * (1 / share - 1);
    };
    // The batch is durable and acknowledged; a missing snapshot only slows the next start.
    this.snapshotFollower()
      .snapshot()
      .then(spaced, (error: unknown) => {
        spaced();
        this.options.onWarning?.(`cannot write a snapshot of ${this.stream}: ${String(error)}`);
      });
  }

  /** Writes a snapshot of the durable state (as of the last acknowledged batch). */
  async snapshot(): Promise<void> {
    if (this.state.sequence === 0) return;
    const version = await this.snapshotFollower().snapshot();
    this.lastSnapshotVersion = Math.max(this.lastSnapshotVersion, version);
  }

  /** Resolves once no snapshot is being folded, encoded or written. */
  async snapshotsSettled(): Promise<void> {
    await this.follower?.settled();
  }

  /** The follower, made on first use when automatic snapshots are off (its copy read from the store). */
  private snapshotFollower(): SnapshotFollower {
    this.follower ??= new SnapshotFollower(this.store, this.stream, this.options);
    return this.follower;
  }

  /** The Merkle tree head (size and root) over every stored event, for signed checkpoints. */
  treeHead(): Promise<TreeHead> {
    return this.tree.current(this.store, this.stream);
  }

  /** Sends the commands that ledger time has made due (hold expiry, escrow release). */
  async runDueWork(): Promise<ExecuteResult[]> {
    const now = Math.max(this.clock.now(), this.state.lastRecordedAt);
    const due = dueCommands(this.state, now);
    return Promise.all(
      due.map((item) =>
        this.execute({
          idempotencyKey: item.idempotencyKey,
          actor: "pacioli:clock",
          command: item.command,
        }),
      ),
    );
  }

  /** Available, held and total per currency, as the wallet's holder reads them. */
  walletBalances(walletId: string): WalletBalance[] {
    return walletBalances(this.state, walletId);
  }

  accountBalances(prefix = ""): AccountBalance[] {
    return accountBalances(this.state, prefix);
  }

  trialBalance(): Map<string, bigint> {
    return ledgerTrialBalance(this.state);
  }

  /** A wallet's history, newest first, paged with cursors (read from the projection). */
  history(walletId: string, query: HistoryQuery & ReadConsistency): Promise<WalletHistoryPage> {
    return this.queries.walletHistory(walletId, query);
  }

  /** Available and held of a wallet in a currency just after a sequence, or at a time. */
  balanceAsOf(walletId: string, currency: string, point: BalancePoint) {
    return this.queries.walletBalanceAsOf(walletId, currency, point);
  }

  /** Any account's history (wallet, merchant, fee, escrow, clearing…), newest first. */
  accountHistory(
    account: string,
    query: AccountHistoryQuery & ReadConsistency,
  ): Promise<AccountHistoryPage> {
    return this.queries.accountHistory(account, query);
  }

  /** Any account's signed balance (debit positive) just after a sequence, or at a time. */
  accountBalanceAsOf(account: string, currency: string, point: BalancePoint): Promise<bigint> {
    return this.queries.accountBalanceAsOf(account, currency, point);
  }

  /** Events by idempotency key, command id or metadata key/value, oldest first, paged. */
  findEvents(lookup: EventLookup, query: EventLookupQuery & ReadConsistency): Promise<FoundEvents> {
    return this.queries.findEvents(lookup, query);
  }

  /** Waits until the history projection holds `atLeast` (default: every acknowledged event). */
  historyReached(consistency: ReadConsistency = {}): Promise<number> {
    return this.queries.reach(consistency);
  }

  /** Empties the history projection and folds the stream again; resolves with its checkpoint. */
  rebuildHistory(): Promise<number> {
    return this.queries.rebuild();
  }

  /** The history projection itself (for audits of it and tests). */
  get historyProjection() {
    return this.queries.projection;
  }

  /** Every event after `after`, decoded, then live: for services that react to the ledger. */
  subscribe(
    after: Position | null,
    handler: (recorded: RecordedEvent, position: Position) => void | Promise<void>,
    onError?: (error: unknown) => void,
  ): Subscription {
    return this.store.subscribe(
      after,
      async (stored) => {
        if (stored.stream !== this.stream) return;
        await handler(decodeEntry(this.state.registry, stored).recorded, stored.position);
      },
      onError === undefined ? {} : { onError },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await new Promise((resolve) => setImmediate(resolve));
    await this.follower?.settled();
    await this.queries.settled();
  }
}

/** What the store keeps for each command recorded by this append (ADR 0011). */
function idempotencyRecords(decided: readonly Decided[]): IdempotencyRecord[] {
  const records: IdempotencyRecord[] = [];
  for (const item of decided) {
    if (item._tag !== "Recorded") continue;
    const first = item.events[0];
    if (first === undefined) continue;
    records.push({
      key: first.idempotencyKey,
      digest: first.digest,
      firstSequence: first.sequence,
      eventCount: item.events.length,
      recordedAt: first.recordedAt,
    });
  }
  return records;
}

/**
 * The envelope with the legacy digest added when its key was recorded under another digest:
 * perhaps the same request, digested by a release before the digest's formula changed. Only
 * on that rare path is the request re-encoded.
 */
function withLegacyDigest(state: LedgerState, envelope: CommandEnvelope): CommandEnvelope {
  const seen = state.idempotency.get(envelope.idempotencyKey);
  if (seen === undefined || seen.digest === envelope.digest) return envelope;
  return { ...envelope, legacyDigest: legacyRequestDigest(state.registry, envelope) };
}
