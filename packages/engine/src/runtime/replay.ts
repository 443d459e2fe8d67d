/**
 * Loading a ledger partition: the latest valid snapshot, then every event after it, decoded
 * and folded in order. Each event must chain to the one before it (`previousHash`); the
 * full re-hash of every event is the auditor's job (`pacioli audit`), not start-up's.
 */
import {
  evolve,
  IdempotencyTable,
  initialState,
  type LedgerOptions,
  type LedgerState,
  type RecordedEvent,
} from "@pacioli/core";
import { GENESIS_HASH } from "../journal/hash-chain.js";
import { journalEntries, journalEventsBackward } from "../journal/journal-reader.js";
import { loadSnapshot } from "../snapshot/snapshot.js";
import type { EventStore } from "../store/event-store.js";

export interface LoadedLedger {
  readonly state: LedgerState;
  readonly lastHash: string;
  readonly fromSnapshot: boolean;
}

export interface LoadOptions extends LedgerOptions {
  readonly useSnapshot?: boolean;
  readonly onWarning?: (message: string) => void;
  /** Called with every event folded after the snapshot (projections catch up here). */
  readonly onEvent?: (recorded: RecordedEvent) => void;
}

export async function loadLedger(
  store: EventStore,
  stream: string,
  options: LoadOptions = {},
): Promise<LoadedLedger> {
  let state = initialState(options);
  let lastHash = GENESIS_HASH;
  let fromSnapshot = false;
  if (options.useSnapshot !== false) {
    const snapshot = await loadSnapshot(store, stream);
    if (snapshot._tag === "Loaded") {
      // Snapshots carry no keys (ADR 0011): the hot set starts empty, bounded as asked.
      state = {
        ...snapshot.state,
        idempotency: new IdempotencyTable(
          snapshot.state.idempotency.retentionMs,
          options.idempotencyHotSetMax,
        ),
      };
      ({ lastHash, fromSnapshot } = { lastHash: snapshot.lastHash, fromSnapshot: true });
      if (store.findIdempotency === undefined) await windowFromStream(store, stream, state);
    }
    if (snapshot._tag === "Ignored")
      options.onWarning?.(
        `ignoring the snapshot of ${stream}: ${snapshot.reason}; replaying from the start`,
      );
  }
  lastHash = await foldTail(store, stream, state, lastHash, options.onEvent);
  return { state, lastHash, fromSnapshot };
}

/** Folds every stored event after `state.sequence` into `state`; returns the new last hash. */
export async function foldTail(
  store: EventStore,
  stream: string,
  state: LedgerState,
  lastHash: string,
  onEvent?: (recorded: RecordedEvent) => void,
): Promise<string> {
  let hash = lastHash;
  for await (const page of journalEntries(store, stream, state.registry, {
    fromIndex: state.sequence,
    previousHash: lastHash,
  })) {
    for (const entry of page) {
      evolve(state, entry.recorded);
      onEvent?.(entry.recorded);
      hash = entry.hash;
    }
  }
  return hash;
}

/**
 * For a store that keeps no key window (no `findIdempotency`): the keys of the commands the
 * snapshot folded that may still be live, read back from the stream. Pages are read backwards
 * from the snapshot's version until a command recorded at or before the window's start (the
 * last recorded time minus the retention: no later command can find it live), then added in
 * recording order, as replay would have added them.
 */
async function windowFromStream(
  store: EventStore,
  stream: string,
  state: LedgerState,
): Promise<void> {
  const cutoff = state.lastRecordedAt - state.idempotency.retentionMs;
  const pages: RecordedEvent[][] = [];
  for await (const page of journalEventsBackward(store, stream, state.registry, state.sequence)) {
    pages.push([...page]);
    if ((page[0]?.recordedAt ?? Number.NEGATIVE_INFINITY) <= cutoff) break;
  }
  for (const page of pages.reverse()) {
    for (const recorded of page) {
      if (recorded.indexInCommand !== 0 || recorded.recordedAt <= cutoff) continue;
      state.idempotency.addCommandOf(recorded);
    }
  }
}
