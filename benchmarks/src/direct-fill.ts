/**
 * Filling a ledger file quickly for the history benchmarks (`--history-fill direct`).
 *
 * The core decides each command and the engine's journal codec encodes and chains it, and
 * the events are appended in large batches: the same bytes, hashes and ids the engine
 * writes, without its request intake, group-commit scheduling and in-memory projections.
 * That is what makes a 10M-event file reachable in minutes on a 2-core machine; filling it
 * through `Ledger.execute` takes about an hour here, because the engine keeps every
 * idempotency key of the last 24 h and every history line in memory (RESULTS.md).
 *
 * Commands are spread over ledger time (`spacingMs` apart, ending before now), so a long
 * history spans days as a real one would and idempotency keys expire as they would.
 */
import {
  execute,
  type CommandEnvelope,
  type LedgerCommand,
  type LedgerState,
  initialState,
} from "@pacioli/core";
import { encodeEntry, GENESIS_HASH, sha256Hex, type NewEvent } from "@pacioli/engine";
import type { SqliteEventStore } from "@pacioli/store-sqlite";

/** Events per append while filling: large, like the biggest group commits. */
const FILL_APPEND_EVENTS = 5000;

export interface DirectFill {
  readonly state: LedgerState;
  lastHash: string;
  pending: NewEvent[];
  commands: number;
  readonly firstAt: number;
  readonly spacingMs: number;
}

export function startDirectFill(firstAt: number, spacingMs: number): DirectFill {
  return {
    state: initialState(),
    lastHash: GENESIS_HASH,
    pending: [],
    commands: 0,
    firstAt,
    spacingMs,
  };
}

/** Decides, encodes and appends the commands; returns how many were refused. */
export async function fillDirect(
  store: SqliteEventStore,
  fill: DirectFill,
  commands: readonly LedgerCommand[],
  keyPrefix: string,
): Promise<number> {
  let refused = 0;
  for (let index = 0; index < commands.length; index += 1) {
    const key = `${keyPrefix}k${index}`;
    const envelope: CommandEnvelope = {
      commandId: `${keyPrefix}c${index}`,
      idempotencyKey: key,
      digest: sha256Hex(key),
      at: fill.firstAt + fill.commands * fill.spacingMs,
      command: commands[index] as LedgerCommand,
    };
    fill.commands += 1;
    const outcome = execute(fill.state, envelope);
    if (outcome._tag === "Left") {
      refused += 1;
      continue;
    }
    if (outcome.right._tag !== "Accepted") continue;
    for (const recorded of outcome.right.events) {
      const { entry, newEvent } = encodeEntry(fill.state.registry, recorded, fill.lastHash);
      fill.lastHash = entry.hash;
      fill.pending.push(newEvent);
    }
    if (fill.pending.length >= FILL_APPEND_EVENTS) await flush(store, fill);
  }
  await flush(store, fill);
  return refused;
}

async function flush(store: SqliteEventStore, fill: DirectFill): Promise<void> {
  if (fill.pending.length === 0) return;
  const expected = fill.state.sequence - fill.pending.length;
  const appended = await store.append("ledger-main", fill.pending, expected);
  if (appended._tag !== "Appended")
    throw new Error(`direct fill lost its stream at version ${expected}`);
  fill.pending = [];
}
