/**
 * A ledger partition at run time: one writer deciding commands one after another against
 * in-memory state, committing the events of many commands in one append (group commit) at
 * the exact expected stream version, and acknowledging a command only once its events are
 * durable. This file is the writer's loop; its parts live beside it:
 *
 * - command-queue.ts: callers wait there and join the next group commit;
 * - key-window.ts: the batch's idempotency keys brought into the hot set before deciding;
 * - batch-decision.ts: the batch decided, folded, encoded and sized to the store's limit;
 * - append-check.ts: whether the store kept our events or another writer's;
 * - acknowledgement.ts: each caller answered once the append is durable;
 * - snapshot-policy.ts: when the follower makes a snapshot, off the write path.
 *
 * Failures:
 * - Another process appended first (version conflict): the state is reloaded from the store
 *   and the whole batch decided again, so nothing is applied twice or against stale funds.
 * - The store failed: the state is reloaded from the store (so memory equals what is
 *   durable) and every command of the batch fails with a retryable `StoreError`. If the
 *   store cannot even be read back, memory is stale (it may hold the undurable batch): reads
 *   are refused with a retryable `StoreError`, and the read-back is retried on a timer and
 *   before the next batch. Decided-but-unwritten events are never shown nor built upon.
 */
import {
  accountBalances,
  dueCommands,
  ledgerTrialBalance,
  walletBalances,
  type AccountBalance,
  type CommandRequest,
  type CurrencyRegistry,
  type HistoryQuery,
  type LedgerState,
  type RecordedEvent,
  type WalletBalance,
} from "@pacioli/core";
import { decodeEntry } from "../journal/journal-codec.js";
import { LedgerTree } from "../verifiable/ledger-tree.js";
import type { TreeHead } from "../verifiable/tree-head.js";
import {
  StoreError,
  type AppendResult,
  type EventStore,
  type Position,
  type Subscription,
} from "../store/event-store.js";
import { acknowledge } from "./acknowledgement.js";
import { storeKeptOurs } from "./append-check.js";
import {
  BATCH_BYTES_MAX_DEFAULT,
  decideBatch,
  idempotencyRecords,
  recordedEvents,
  type BatchDecision,
} from "./batch-decision.js";
import { systemClock, type Clock } from "./clock.js";
import { CommandQueue, type PendingCommand } from "./command-queue.js";
import type { ExecuteResult } from "./execute-result.js";
import { bringKeysIntoHotSet } from "./key-window.js";
import {
  BATCH_COMMANDS_MAX,
  checkedOptions,
  CONFLICT_RETRIES_MAX,
  STALE_RELOAD_EVERY_MS_DEFAULT,
  type OpenLedgerOptions,
} from "./ledger-options.js";
import { loadLedger } from "./replay.js";
import {
  LedgerHistory,
  type BalancePoint,
  type FoundEvents,
  type ReadConsistency,
} from "../history/ledger-history.js";
import type { WalletHistoryPage } from "../history/wallet-history-view.js";
import { projectEvent } from "../history/projected-event.js";
import type {
  AccountHistoryPage,
  AccountHistoryQuery,
  EventLookup,
  EventLookupQuery,
} from "../history/history-projection.js";
import { SnapshotPolicy } from "./snapshot-policy.js";

export {
  BATCH_COMMANDS_MAX,
  CONFLICT_RETRIES_MAX,
  SNAPSHOT_TIME_SHARE_MAX_DEFAULT,
  STALE_RELOAD_EVERY_MS_DEFAULT,
  type OpenLedgerOptions,
} from "./ledger-options.js";
export { APPEND_EVENT_OVERHEAD_BYTES, BATCH_BYTES_MAX_DEFAULT } from "./batch-decision.js";
export { SNAPSHOT_EVERY_DEFAULT } from "./snapshot-policy.js";

export async function openLedger(opening: OpenLedgerOptions): Promise<Ledger> {
  const options = checkedOptions(opening);
  const stream = `ledger-${options.ledgerId ?? "main"}`;
  const loaded = await loadLedger(options.store, stream, options);
  return new Ledger(options, stream, loaded.state, loaded.lastHash);
}

/** The outcome of one append attempt of a decided batch. */
type AppendOutcome =
  | { readonly _tag: "Durable" }
  | { readonly _tag: "Failed"; readonly error: StoreError }
  | { readonly _tag: "LostRace" };

export class Ledger {
  private readonly queue: CommandQueue;
  private readonly snapshots: SnapshotPolicy;
  /** Memory may hold events the store does not (a failure whose reload failed too). */
  private stale = false;
  private staleReloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Sequence of the last event known durable; the state runs ahead of it while a batch is decided. */
  private durableSequence: number;
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
    this.durableSequence = state.sequence;
    this.queries = new LedgerHistory(
      options.store,
      stream,
      () => this.state.registry,
      options.onWarning,
    );
    this.queries.loaded(state.sequence);
    this.snapshots = new SnapshotPolicy(options, stream, this.clock, { state, lastHash });
    this.queue = new CommandQueue(
      options.batchCommandsMax ?? BATCH_COMMANDS_MAX,
      (batch) => this.commitBatch(batch),
      (batch, error) => {
        // An assertion in evolve or a failing read: memory, possibly half-folded, is
        // reloaded before the next decision.
        this.markStale();
        for (const pending of batch) pending.reject(error);
      },
    );
  }

  get store(): EventStore {
    return this.options.store;
  }

  /** Sequence of the last durable event. */
  get sequence(): number {
    return this.durableSequence;
  }

  /** Hash of the last durable event. */
  get headHash(): string {
    return this.lastHash;
  }

  /** The currencies and assets this ledger books (fixed when it opens; readable while stale). */
  get registry(): CurrencyRegistry {
    return this.state.registry;
  }

  /** The decision state (read-only by contract: the writer owns it). */
  get currentState(): LedgerState {
    return this.readable();
  }

  /**
   * Decides a typed command and resolves once its events are durable (or it was refused).
   * The compiler checks its shape; its refinements (positive amounts, known currencies) are
   * checked by the codec, so a bad value is `Invalid`, never decided.
   */
  execute(request: CommandRequest): Promise<ExecuteResult> {
    return this.queue.enqueue(request, true);
  }

  /** Decides a command request given as untrusted JSON (decoded with io-ts first). */
  executeWire(input: unknown): Promise<ExecuteResult> {
    return this.queue.enqueue(input, false);
  }

  private async commitBatch(batch: PendingCommand[]): Promise<void> {
    if (this.stale && !(await this.recover())) {
      const error = new StoreError(
        "the store cannot be read back after a failure; retry later",
        true,
      );
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (let attempt = 0; attempt <= CONFLICT_RETRIES_MAX; attempt += 1) {
      try {
        await bringKeysIntoHotSet(this.store, this.stream, this.state, batch);
      } catch (error) {
        const failure = asStoreError(error, "idempotency lookup failed");
        for (const pending of batch) pending.reject(failure);
        return;
      }
      const expectedVersion = this.state.sequence;
      const decision = decideBatch(
        {
          state: this.state,
          headHash: this.lastHash,
          at: Math.max(this.clock.now(), this.state.lastRecordedAt),
          // The store's own limit when it has one (EventStoreDB's MaxAppendSize), so a group
          // commit is never refused for its size.
          bytesMax:
            this.options.batchBytesMax ?? this.store.maxAppendBytes ?? BATCH_BYTES_MAX_DEFAULT,
        },
        batch,
      );
      this.queue.returnToFront(decision.overflow);
      if (decision.newEvents.length === 0)
        return acknowledge(this.storedStream, decision.accepted, decision.decided, []);
      const recorded = recordedEvents(decision.decided);
      const outcome = await this.append(decision, expectedVersion, recorded);
      if (outcome._tag === "Failed") {
        for (const pending of decision.accepted) pending.reject(outcome.error);
        return;
      }
      if (outcome._tag === "LostRace") {
        if (!(await this.recover())) {
          const error = new StoreError(
            "lost a race to another writer and cannot read the store back; retry later",
            true,
          );
          for (const pending of decision.accepted) pending.reject(error);
          return;
        }
        batch = [...decision.accepted]; // decide the same commands again against the caught-up state
        continue;
      }
      this.committed(decision, expectedVersion, recorded);
      await acknowledge(this.storedStream, decision.accepted, decision.decided, recorded);
      return;
    }
    await this.recover();
    const error = new StoreError(
      `lost ${CONFLICT_RETRIES_MAX + 1} races to another writer in a row`,
      true,
    );
    for (const pending of batch) pending.reject(error);
  }

  /** Appends a decided batch at the exact expected version; on a failure memory is reloaded. */
  private async append(
    decision: BatchDecision,
    expectedVersion: number,
    recorded: readonly RecordedEvent[],
  ): Promise<AppendOutcome> {
    let appended: AppendResult;
    try {
      appended = await this.store.append(this.stream, decision.newEvents, expectedVersion, {
        idempotency: idempotencyRecords(decision.decided),
        // Stores with their own projection write its lines in the append's transaction.
        ...(this.store.historyProjection === undefined
          ? {}
          : { history: recorded.map(projectEvent) }),
      });
      if (appended._tag === "VersionConflict") return { _tag: "LostRace" };
      const nextVersion = appended.nextVersion;
      if (!(await storeKeptOurs(this.store, this.stream, nextVersion, decision.lastHash)))
        return { _tag: "LostRace" };
      return { _tag: "Durable" };
    } catch (error) {
      await this.recover();
      return { _tag: "Failed", error: asStoreError(error, "append failed") };
    }
  }

  /** A batch is durable: the head moves, the tree, history and snapshot follower learn of it. */
  private committed(
    decision: BatchDecision,
    expectedVersion: number,
    recorded: readonly RecordedEvent[],
  ): void {
    this.lastHash = decision.lastHash;
    this.durableSequence = this.state.sequence;
    this.tree.appended(expectedVersion, decision.newEvents);
    this.queries.committed(recorded);
    this.snapshots.committed(this.durableSequence, recorded, decision.lastHash);
  }

  private get storedStream() {
    return { store: this.store, stream: this.stream, registry: this.state.registry };
  }

  /**
   * Reloads after a failed or lost append. A store that cannot be read either leaves memory
   * stale (it may hold the undurable batch): reads are refused until a reload succeeds.
   */
  private async recover(): Promise<boolean> {
    try {
      await this.reload();
      this.stale = false;
      this.clearStaleReload();
      return true;
    } catch (error) {
      this.markStale();
      this.options.onWarning?.(`cannot reload ${this.stream} from the store: ${String(error)}`);
      return false;
    }
  }

  private markStale(): void {
    this.stale = true;
    const every = this.options.staleReloadEveryMs ?? STALE_RELOAD_EVERY_MS_DEFAULT;
    if (every === 0 || this.staleReloadTimer !== undefined) return;
    // A quiet ledger would otherwise refuse reads until its next command arrives.
    this.staleReloadTimer = setTimeout(() => {
      this.staleReloadTimer = undefined;
      this.queue.schedule(async () => {
        if (this.stale) await this.recover();
      });
    }, every);
    this.staleReloadTimer.unref?.();
  }

  private clearStaleReload(): void {
    if (this.staleReloadTimer !== undefined) clearTimeout(this.staleReloadTimer);
    this.staleReloadTimer = undefined;
  }

  /** Makes memory equal the store again: snapshot (if valid) plus every event after it. */
  private async reload(): Promise<void> {
    const loaded = await loadLedger(this.store, this.stream, this.options);
    this.state = loaded.state;
    this.lastHash = loaded.lastHash;
    this.durableSequence = loaded.state.sequence;
    this.queries.loaded(loaded.state.sequence);
  }

  /** The state for a read; refused while it may hold events the store does not. */
  private readable(): LedgerState {
    if (this.stale)
      throw new StoreError(
        `${this.stream}: memory may hold events the store does not (an append failed and the store cannot be read back); retry later`,
        true,
      );
    return this.state;
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** Writes a snapshot of the durable state (as of the last acknowledged batch). */
  async snapshot(): Promise<void> {
    if (this.durableSequence === 0) return;
    await this.snapshots.snapshotNow();
  }

  /** Resolves once no snapshot is being folded, encoded or written. */
  async snapshotsSettled(): Promise<void> {
    await this.snapshots.settled();
  }

  /** The Merkle tree head (size and root) over every stored event, for signed checkpoints. */
  treeHead(): Promise<TreeHead> {
    return this.tree.current(this.store, this.stream);
  }

  /** Sends the commands that ledger time has made due (hold expiry, escrow release). */
  async runDueWork(): Promise<ExecuteResult[]> {
    const state = this.readable();
    const now = Math.max(this.clock.now(), state.lastRecordedAt);
    const due = dueCommands(state, now);
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
    return walletBalances(this.readable(), walletId);
  }

  accountBalances(prefix = ""): AccountBalance[] {
    return accountBalances(this.readable(), prefix);
  }

  trialBalance(): Map<string, bigint> {
    return ledgerTrialBalance(this.readable());
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
    await this.queue.close();
    this.clearStaleReload();
    await this.snapshots.settled();
    await this.queries.settled();
  }
}

function asStoreError(error: unknown, what: string): StoreError {
  return error instanceof StoreError
    ? error
    : new StoreError(`${what}: ${String(error)}`, true, { cause: error });
}
