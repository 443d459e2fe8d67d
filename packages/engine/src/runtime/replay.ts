/**
 * Loading a ledger partition: the latest valid snapshot, then every event after it, decoded
 * and folded in order. Each event must chain to the one before it (`previousHash`); the
 * full re-hash of every event is the auditor's job (`pacioli audit`), not start-up's.
 */
import { evolve, initialState, type LedgerOptions, type LedgerState, type RecordedEvent } from "@pacioli/core";
import { GENESIS_HASH } from "../journal/hash-chain.js";
import { journalEntries } from "../journal/journal-reader.js";
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

export async function loadLedger(store: EventStore, stream: string, options: LoadOptions = {}): Promise<LoadedLedger> {
  let state = initialState(options);
  let lastHash = GENESIS_HASH;
  let fromSnapshot = false;
  if (options.useSnapshot !== false) {
    const snapshot = await loadSnapshot(store, stream);
    if (snapshot._tag === "Loaded") ({ state, lastHash, fromSnapshot } = { ...snapshot, fromSnapshot: true });
    if (snapshot._tag === "Ignored") options.onWarning?.(`ignoring the snapshot of ${stream}: ${snapshot.reason}; replaying from the start`);
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
  for await (const page of journalEntries(store, stream, state.registry, { fromIndex: state.sequence, previousHash: lastHash })) {
    for (const entry of page) {
      evolve(state, entry.recorded);
      onEvent?.(entry.recorded);
      hash = entry.hash;
    }
  }
  return hash;
}
