/**
 * How a ledger is opened: the store, the clock and the writer's limits, with their defaults
 * and the checks that refuse a combination that cannot work.
 */
import { IDEMPOTENCY_HOT_SET_MAX_DEFAULT, type LedgerOptions } from "@pacioli/core";
import type { EventStore } from "../store/event-store.js";
import type { Clock } from "./clock.js";

/** Commands decided into one append, at most. */
export const BATCH_COMMANDS_MAX = 1000;
/** Times a batch is decided again after losing a race to another writer. */
export const CONFLICT_RETRIES_MAX = 8;
/**
 * Share of the writer's time automatic snapshots may take, by default. The follower makes
 * them off the write path (ADR 0012), but it shares the writer's one core: "every 100,000
 * events" alone would have it snapshotting half the time on a busy ledger with a large state.
 */
export const SNAPSHOT_TIME_SHARE_MAX_DEFAULT = 0.1;
/** How long a writer that cannot read its store back waits before trying again, by default. */
export const STALE_RELOAD_EVERY_MS_DEFAULT = 1_000;

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
  /**
   * After a failed append whose read-back failed too, reads are refused until memory equals
   * the store again; the writer retries the read-back this often (ms) on its own, and before
   * its next batch. 0: only before the next batch. Default 1,000.
   */
  readonly staleReloadEveryMs?: number;
}

/** The options with their derived bounds filled in, or a `RangeError` naming the bad one. */
export function checkedOptions(opening: OpenLedgerOptions): OpenLedgerOptions {
  // A store that keeps the key window lets memory hold a bounded hot set; otherwise memory
  // must hold the whole window (derived from the stream after a snapshot, replay.ts).
  const hotSetMax =
    opening.store.findIdempotency === undefined
      ? Number.POSITIVE_INFINITY
      : (opening.idempotencyHotSetMax ?? IDEMPOTENCY_HOT_SET_MAX_DEFAULT);
  const twoBatches = 2 * (opening.batchCommandsMax ?? BATCH_COMMANDS_MAX);
  if (!(hotSetMax >= twoBatches))
    throw new RangeError(
      `idempotencyHotSetMax must hold two batches of keys (${twoBatches}), got ${hotSetMax}`,
    );
  const share = opening.snapshotTimeShareMax ?? SNAPSHOT_TIME_SHARE_MAX_DEFAULT;
  if (!(share > 0 && share <= 1))
    throw new RangeError(`snapshotTimeShareMax must be in (0, 1], got ${share}`);
  const reloadEvery = opening.staleReloadEveryMs ?? STALE_RELOAD_EVERY_MS_DEFAULT;
  if (!(Number.isFinite(reloadEvery) && reloadEvery >= 0))
    throw new RangeError(`staleReloadEveryMs must be a finite number ≥ 0, got ${reloadEvery}`);
  return { ...opening, idempotencyHotSetMax: hotSetMax };
}
