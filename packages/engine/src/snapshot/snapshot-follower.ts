/**
 * Snapshots off the write path (ADR 0012): a follower keeps its own copy of the state, folds
 * the events the writer has made durable into it, and writes snapshots of that copy, in
 * slices, while the writer goes on deciding. The writer hands over each durable batch (an
 * array push) and never waits for a snapshot to be serialised, hashed or written.
 *
 * - Its copy starts as the ledger loads (latest snapshot plus the tail), read from the store
 *   the first time a snapshot is asked for, and then follows the writer's batches.
 * - A gap in the batches (another writer appended, the writer reloaded) is closed by reading
 *   the store from the copy's version; batches already covered are skipped. So the copy is
 *   always a prefix of the durable stream, with the hash of its last event.
 * - Folding yields between batches; encoding and hashing yield every `SNAPSHOT_SLICE_BYTES` of state text.
 *   What still runs in one piece is the store's own write of the payload.
 * - A crash while a snapshot is written leaves the previous one: stores replace a snapshot
 *   atomically (SQLite: one transaction; EventStoreDB: chunks, then a manifest).
 */
import { evolve, type LedgerState, type RecordedEvent } from "@pacioli/core";
import type { EventStore } from "../store/event-store.js";
import { foldTail, loadLedger, type LoadOptions } from "../runtime/replay.js";
import { makeSnapshotInSlices } from "./sliced-snapshot.js";
import { decodeState, encodeState } from "./state-codec.js";

interface DurableBatch {
  readonly events: readonly RecordedEvent[];
  /** Hash of the batch's last event. */
  readonly lastHash: string;
}

interface Copy {
  readonly state: LedgerState;
  lastHash: string;
}

/** Batches waiting to be folded, at most; beyond it they are dropped and read back from the store. */
export const FOLLOWER_BACKLOG_BATCHES_MAX = 1_000;

/** A deep copy of a state through the snapshot codec (keys are not copied: snapshots carry none). */
export function copyState(state: LedgerState): LedgerState {
  return decodeState(JSON.parse(JSON.stringify(encodeState(state))));
}

export class SnapshotFollower {
  private copy: Copy | undefined;
  private backlog: DurableBatch[] = [];
  /** Every fold and snapshot runs in this chain, one at a time: the copy never changes mid-encoding. */
  private chain: Promise<unknown> = Promise.resolve();
  private foldQueued = false;
  private running: Promise<number> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly stream: string,
    private readonly options: Omit<LoadOptions, "onEvent">,
    /** The state as loaded, copied now; without it the copy is read from the store on first use. */
    initial?: { readonly state: LedgerState; readonly lastHash: string },
  ) {
    if (initial !== undefined)
      this.copy = { state: copyState(initial.state), lastHash: initial.lastHash };
  }

  /** The writer's hand-over of a durable batch: an array push; folding happens later, in turns of its own. */
  follow(events: readonly RecordedEvent[], lastHash: string): void {
    if (events.length === 0) return;
    if (this.backlog.length >= FOLLOWER_BACKLOG_BATCHES_MAX) this.backlog = []; // a gap, read back from the store
    this.backlog.push({ events, lastHash });
    if (this.foldQueued) return;
    this.foldQueued = true;
    void this.serially(async () => {
      this.foldQueued = false;
      await this.caughtUp();
    }).catch(() => undefined); // a failed fold drops the copy; the next snapshot reloads it and reports
  }

  /** Whether a snapshot is being made now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Version the copy has reached (what a snapshot taken now would cover). */
  get version(): number {
    return this.copy?.state.sequence ?? 0;
  }

  /**
   * Folds what was handed over, then writes a snapshot of the copy; resolves with its
   * version. One at a time: a call while one runs gets that one.
   */
  snapshot(): Promise<number> {
    this.running ??= this.serially(() => this.makeSnapshot()).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Waits for folds and snapshots under way (closing). */
  async settled(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async makeSnapshot(): Promise<number> {
    const copy = await this.caughtUp();
    if (copy.state.sequence === 0) return 0;
    const snapshot = await makeSnapshotInSlices(this.stream, copy.state, copy.lastHash);
    await this.store.writeSnapshot(snapshot);
    return snapshot.version;
  }

  /**
   * Folds the batches handed over so far (not those handed over while it folds: under a
   * steady load it would never finish), reading a gap back from the store.
   */
  private async caughtUp(): Promise<Copy> {
    try {
      this.copy ??= await this.reload();
      const copy = this.copy;
      for (let remaining = this.backlog.length; ; remaining -= 1) {
        const batch = remaining > 0 ? this.backlog.shift() : undefined;
        if (batch === undefined) return copy;
        const last = batch.events[batch.events.length - 1] as RecordedEvent;
        if (last.sequence <= copy.state.sequence) continue; // already folded (read from the store)
        if ((batch.events[0] as RecordedEvent).sequence !== copy.state.sequence + 1) {
          copy.lastHash = await foldTail(this.store, this.stream, copy.state, copy.lastHash);
          continue;
        }
        for (const recorded of batch.events) evolve(copy.state, recorded);
        copy.lastHash = batch.lastHash;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.copy = undefined; // possibly half-folded: never snapshot it
      throw error;
    }
  }

  private async reload(): Promise<Copy> {
    const loaded = await loadLedger(this.store, this.stream, this.options);
    return { state: loaded.state, lastHash: loaded.lastHash };
  }
}
