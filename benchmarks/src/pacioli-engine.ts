/**
 * Pacioli's engine: `openLedger` on the memory store or on SQLite (synchronous = FULL, the
 * default), driven through `ledger.executeWire(request)` with JSON requests as a service sends
 * them, so intake (io-ts decode, canonical JSON, SHA-256 digest), group commit, hash chain
 * and encoding are all inside the measured time.
 *
 * Three ways to drive it:
 * - closed loop: `clients` callers each awaiting its acknowledgement then sending the next
 *   (sustained throughput with group commit);
 * - open loop: requests issued at a fixed offered rate whatever the replies, latency taken
 *   from each request's *intended* send time so a stalled loop cannot hide queueing
 *   (no coordinated omission);
 * - one client awaiting each acknowledgement (the latency of a lone caller).
 */
import { ledgerCommandCodec, type CurrencyRegistry, type LedgerCommand } from "@pacioli/core";
import {
  MemoryEventStore,
  openLedger,
  type CommandRequestJson,
  type EventStore,
  type ExecuteResult,
  type Ledger,
} from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { Histogram } from "./measure.js";

/** Concurrent callers in the closed loop: twice the largest group commit, so batches fill. */
export const CLOSED_LOOP_CLIENTS = 2000;

export function requestsFor(
  registry: CurrencyRegistry,
  commands: readonly LedgerCommand[],
  keyPrefix: string,
): CommandRequestJson[] {
  const codec = ledgerCommandCodec(registry);
  return commands.map((command, index) => ({
    idempotencyKey: `${keyPrefix}k${index}`,
    command: codec.encode(command),
  }));
}

export interface DriveResult {
  readonly accepted: number;
  readonly refused: number;
  readonly seconds: number;
}

function count(result: ExecuteResult, tally: { accepted: number; refused: number }): void {
  if (result._tag === "Accepted") tally.accepted += 1;
  else if (result._tag === "Rejected") tally.refused += 1;
  else throw new Error(`benchmark request did not decode: ${JSON.stringify(result.failure)}`);
}

export async function driveClosedLoop(
  ledger: Ledger,
  requests: readonly CommandRequestJson[],
  clients = CLOSED_LOOP_CLIENTS,
): Promise<DriveResult> {
  const tally = { accepted: 0, refused: 0 };
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next];
      next += 1;
      count(await ledger.executeWire(request), tally);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(clients, requests.length) }, client));
  return { ...tally, seconds: (performance.now() - started) / 1000 };
}

export interface LatencyResult extends DriveResult {
  readonly latency: Histogram;
}

export async function driveOpenLoop(
  ledger: Ledger,
  requests: readonly CommandRequestJson[],
  offeredPerSecond: number,
): Promise<LatencyResult> {
  const tally = { accepted: 0, refused: 0 };
  const latency = new Histogram();
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let issued = 0;
  while (issued < requests.length) {
    const due = Math.min(
      requests.length,
      Math.floor(((performance.now() - started) / 1000) * offeredPerSecond) + 1,
    );
    while (issued < due) {
      const intended = started + (issued * 1000) / offeredPerSecond;
      const request = requests[issued];
      issued += 1;
      inFlight.push(
        ledger.executeWire(request).then((result) => {
          count(result, tally);
          latency.record((performance.now() - intended) * 1000);
        }),
      );
    }
    // Yield so the ledger can drain; SQLite's append blocks the loop while it fsyncs.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(inFlight);
  return { ...tally, seconds: (performance.now() - started) / 1000, latency };
}

export async function driveOneClient(
  ledger: Ledger,
  requests: readonly CommandRequestJson[],
): Promise<LatencyResult> {
  const tally = { accepted: 0, refused: 0 };
  const latency = new Histogram();
  const started = performance.now();
  for (const request of requests) {
    const sent = performance.now();
    count(await ledger.executeWire(request), tally);
    latency.record((performance.now() - sent) * 1000);
  }
  return { ...tally, seconds: (performance.now() - started) / 1000, latency };
}

export type StoreKind = "memory" | "sqlite";

export async function openBenchLedger(
  kind: StoreKind,
  path: string | undefined,
  options: {
    readonly useSnapshot?: boolean;
    readonly snapshotEvery?: number;
    /** Wraps the store (to record appends), leaving it otherwise as opened. */
    readonly wrap?: (store: EventStore) => EventStore;
  } = {},
): Promise<Ledger> {
  const { wrap = (store: EventStore) => store, ...ledgerOptions } = options;
  if (kind === "memory")
    return openLedger({ store: wrap(new MemoryEventStore()), ...ledgerOptions });
  if (path === undefined) throw new Error("a SQLite ledger needs a path");
  return openLedger({ store: wrap(await openSqliteEventStore({ path })), ...ledgerOptions });
}
