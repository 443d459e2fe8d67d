/**
 * One partition's single writer as the partitioned ledger sees it: a port with the few
 * things the process manager needs (execute a command, read a wallet's standing and a
 * transfer id for the rule check, read balances, read back the legs recorded in the journal).
 *
 * Two adapters: `inProcessWriter` (the engine in this thread, ADR 0020) and `ThreadWriter`
 * (the engine in a worker thread of its own, on its own SQLite file, spoken to by messages,
 * ADR 0025). Every method is asynchronous so that the process manager's code is the same for
 * both; a writer that stopped (its thread was terminated or crashed) refuses every call with
 * `WriterUnavailable`, and the partitioned ledger starts a new one and resumes what was in
 * flight.
 */
import type { CommandRequest, LedgerState, WalletBalance, WalletStatus } from "@pacioli/core";
import { journalEntries, type ExecuteResult, type Ledger } from "@pacioli/engine";
import { legOf, type RecordedLeg } from "./clearing-legs.js";
import type { NamedEntity, Party } from "./command-parties.js";
import type { PartitionIndex } from "./placement.js";

// ---------------------------------------------------------------------------------------------
// model

/** What the rule check before funds reads of a wallet. */
export interface WalletStanding {
  readonly status: WalletStatus;
  readonly frozenReason: string | undefined;
}

/** A caller's key as the partition's idempotency window holds it (ADR 0004, 0011). */
export interface KeyRecord {
  readonly digest: string;
}

export interface PartitionWriter {
  /** True once the writer can no longer answer (its thread ended): start a new one. */
  readonly stopped: boolean;
  execute(request: CommandRequest): Promise<ExecuteResult>;
  walletStanding(walletId: string): Promise<WalletStanding | undefined>;
  hasTransferId(transferId: string): Promise<boolean>;
  /** Whether this partition holds the entity (a hold, an order…), to route commands naming it. */
  holdsEntity(party: Party<NamedEntity>): Promise<boolean>;
  /**
   * The key's record in the partition's idempotency window (hot set, then the store), as a
   * command decided at `now` would see it: a record older than the retention is forgotten.
   */
  keyRecord(key: string, now: number): Promise<KeyRecord | undefined>;
  walletBalances(walletId: string): Promise<WalletBalance[]>;
  /** Every transfer leg in the partition's journal (the outbox and inbox of ADR 0020). */
  recordedLegs(): Promise<RecordedLeg[]>;
  close(): Promise<void>;
  /** Calls `listener` once when the writer stops, for writers that can (a thread). */
  onStop?(listener: () => void): void;
  /** The engine itself, when it runs in this thread (tests and readers); absent for a thread. */
  readonly engine?: Ledger;
}

// ---------------------------------------------------------------------------------------------
// errors

/** The partition's writer stopped before it answered: the command may or may not be durable. */
export class WriterUnavailable extends Error {
  override readonly name = "WriterUnavailable";
  constructor(
    readonly partition: PartitionIndex,
    reason: string,
  ) {
    super(`partition ${partition}'s writer is unavailable: ${reason}`);
  }
}

// ---------------------------------------------------------------------------------------------
// constructors

/** The engine in this thread, behind the port (no copy: the answers are the engine's own). */
export function inProcessWriter(engine: Ledger): PartitionWriter {
  return {
    stopped: false,
    engine,
    execute: (request) => engine.execute(request),
    walletStanding: (walletId) => Promise.resolve(standingOf(engine, walletId)),
    hasTransferId: (transferId) => Promise.resolve(engine.currentState.transferIds.has(transferId)),
    holdsEntity: (party) => Promise.resolve(holdsEntity(engine.currentState, party)),
    keyRecord: (key, now) => keyRecord(engine, key, now),
    walletBalances: (walletId) => Promise.resolve(engine.walletBalances(walletId)),
    recordedLegs: () => recordedLegs(engine),
    close: () => engine.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// utils

export function standingOf(engine: Ledger, walletId: string): WalletStanding | undefined {
  const wallet = engine.currentState.wallets.get(walletId);
  if (wallet === undefined) return undefined;
  return { status: wallet.status, frozenReason: wallet.frozenReason };
}

/** Whether the state holds an entity of this kind and id (entities are never removed). */
export function holdsEntity(state: LedgerState, { entity, id }: Party<NamedEntity>): boolean {
  switch (entity) {
    case "hold":
      return state.holds.has(id);
    case "order":
      return state.orders.has(id);
    case "dispute":
      return state.disputes.has(id);
    case "agreement":
      return state.agreements.has(id);
    case "funding-source":
      return state.fundingSources.has(id);
    case "payout":
      return state.payouts.has(id);
    case "adjustment":
      return state.adjustments.has(id);
    case "fx-quote":
      return state.fx.quotes.has(id);
    case "conversion":
      return state.fx.conversionIds.has(id);
  }
}

/**
 * The key's record: from the hot set, else from the store's window (a store without one keeps
 * the whole window in memory). A record older than the retention at `now` (made monotonic as
 * the engine makes its own time) is forgotten, as the engine deciding at that time forgets it:
 * this partition's own last event may be much older than the command being decided.
 */
export async function keyRecord(
  engine: Ledger,
  key: string,
  now: number,
): Promise<KeyRecord | undefined> {
  const state = engine.currentState;
  const forgottenBefore = Math.max(now, state.lastRecordedAt) - state.idempotency.retentionMs;
  const held = state.idempotency.get(key);
  if (held !== undefined)
    return held.recordedAt <= forgottenBefore ? undefined : { digest: held.digest };
  const find = engine.store.findIdempotency;
  if (find === undefined) return undefined;
  const stored = (await find.call(engine.store, engine.stream, [key])).get(key);
  if (stored === undefined) return undefined;
  return stored.recordedAt <= forgottenBefore ? undefined : { digest: stored.digest };
}

/** Reads the partition's journal once and keeps the events that are transfer legs. */
export async function recordedLegs(engine: Ledger): Promise<RecordedLeg[]> {
  const legs: RecordedLeg[] = [];
  for await (const page of journalEntries(engine.store, engine.stream, engine.registry))
    for (const entry of page) {
      const leg = legOrNothing(entry.recorded);
      if (leg !== undefined) legs.push(leg);
    }
  return legs;
}

/**
 * A leg, or nothing for an event whose leg metadata is incomplete: such an event was not
 * written by a process manager (callers cannot use the prefix), and the audit reports it;
 * it must not stop the ledger from opening.
 */
function legOrNothing(recorded: Parameters<typeof legOf>[0]): RecordedLeg | undefined {
  try {
    return legOf(recorded);
  } catch {
    return undefined;
  }
}
