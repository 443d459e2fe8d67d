/**
 * A partitioned ledger on disk: a directory holding `placement.json` (the partition count and
 * the overrides directory) and one SQLite file per partition, `p{index}.sqlite`, each with
 * its own single writer. Every process that opens the directory reads the same placement, so
 * they all route a wallet to the same partition.
 *
 * `placement.json`: `{ "partitions": 4, "overrides": { "hot-merchant": 3 } }` — strict (an
 * unknown field is refused), decoded with io-ts; `overrides` may be omitted.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Clock, Ledger } from "@pacioli/engine";
import { openLedger, systemClock } from "@pacioli/engine";
import { openSqliteEventStore, type SqliteEventStore } from "@pacioli/store-sqlite";
import { iso4217 } from "@pacioli/core";
import * as t from "io-ts";
import { openPartitionedLedger, type PartitionedLedger } from "./partitioned-ledger.js";
import { inProcessWriter } from "./partition-writer.js";
import { partitionLedgerId, placement, type PartitionIndex, type Placement } from "./placement.js";
import { ThreadWriter } from "./thread-writer.js";

export const PLACEMENT_FILE = "placement.json";
export const partitionFileName = (index: number): string => `${partitionLedgerId(index)}.sqlite`;

const PlacementFile = t.exact(
  t.intersection([
    t.type({ partitions: t.Int }),
    t.partial({ overrides: t.record(t.string, t.Int) }),
  ]),
);

/** A directory that is not a partitioned ledger, or a placement file that does not decode. */
export class PartitionDirectoryError extends Error {
  override readonly name = "PartitionDirectoryError";
}

/** Writes `placement.json` into a new (or empty of it) directory. */
export function createPartitionDirectory(directory: string, rule: Placement): void {
  const file = join(directory, PLACEMENT_FILE);
  if (existsSync(file)) throw new PartitionDirectoryError(`${file} exists already`);
  mkdirSync(directory, { recursive: true });
  const overrides = Object.fromEntries(rule.overrides);
  writeFileSync(
    file,
    `${JSON.stringify({ partitions: rule.partitionCount, overrides }, null, 2)}\n`,
  );
}

export function readPlacementFile(directory: string): Placement {
  const file = join(directory, PLACEMENT_FILE);
  if (!existsSync(file))
    throw new PartitionDirectoryError(
      `${directory} is not a partitioned ledger: no ${PLACEMENT_FILE}`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new PartitionDirectoryError(`${file} is not JSON`);
  }
  const raw = json as Record<string, unknown> | null;
  const known = new Set(["partitions", "overrides"]);
  const unknown =
    typeof raw === "object" && raw !== null ? Object.keys(raw).filter((k) => !known.has(k)) : [];
  const decoded = PlacementFile.decode(json);
  if (decoded._tag === "Left" || unknown.length > 0)
    throw new PartitionDirectoryError(
      `${file}: expected { "partitions": integer, "overrides"?: { walletId: integer } }${unknown.length > 0 ? `, unknown field ${unknown.join(", ")}` : ""}`,
    );
  try {
    return placement(decoded.right.partitions, Object.entries(decoded.right.overrides ?? {}));
  } catch (error) {
    throw new PartitionDirectoryError(`${file}: ${(error as Error).message}`);
  }
}

/**
 * Every partition's store, read-only, for readers that must not write (the audit, balances):
 * opening a partitioned ledger would finish transfers in flight, which is a write.
 */
export async function openPartitionStoresReadOnly(
  directory: string,
): Promise<{ readonly placement: Placement; readonly stores: readonly SqliteEventStore[] }> {
  const rule = readPlacementFile(directory);
  const stores: SqliteEventStore[] = [];
  try {
    for (let index = 0; index < rule.partitionCount; index += 1) {
      const path = join(directory, partitionFileName(index));
      if (!existsSync(path))
        throw new PartitionDirectoryError(`${path} does not exist: partition ${index} has no file`);
      stores.push(await openSqliteEventStore({ path, readOnly: true }));
    }
  } catch (error) {
    for (const store of stores) await store.close();
    throw error;
  }
  return { placement: rule, stores };
}

export interface OpenedDirectory {
  readonly ledger: PartitionedLedger;
  close(): Promise<void>;
}

/** Where each partition's writer runs: in this thread (ADR 0020) or a thread of its own (ADR 0025). */
export type WritersMode = "in-process" | "threads";

export interface OpenDirectoryOptions {
  readonly clock?: Clock;
  /** Automatic snapshots per partition (the engine's `snapshotEvery`). */
  readonly snapshotEvery?: number;
  /** Default "in-process". With "threads" a stopped writer is restarted on its file. */
  readonly writers?: WritersMode;
}

/** Opens every partition's SQLite file (created if missing), then the partitioned ledger. */
export async function openPartitionDirectory(
  directory: string,
  options: OpenDirectoryOptions = {},
): Promise<OpenedDirectory> {
  const rule = readPlacementFile(directory);
  const ledger =
    options.writers === "threads"
      ? await openOnThreads(directory, rule, options)
      : await openInProcess(directory, rule, options);
  return { ledger, close: () => ledger.close() };
}

async function openOnThreads(
  directory: string,
  rule: Placement,
  options: OpenDirectoryOptions,
): Promise<PartitionedLedger> {
  if (options.clock !== undefined)
    throw new RangeError("a clock cannot be given to writers in threads (each reads its own)");
  const start = (index: PartitionIndex) =>
    ThreadWriter.start(index, join(directory, partitionFileName(index)), {
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
    });
  const writers: ThreadWriter[] = [];
  try {
    for (let index = 0; index < rule.partitionCount; index += 1) writers.push(await start(index));
    return await openPartitionedLedger({
      placement: rule,
      writers,
      registry: iso4217,
      restartWriter: start,
      clock: systemClock, // the threads' engines read the system clock
    });
  } catch (error) {
    for (const writer of writers) await writer.close();
    throw error;
  }
}

async function openInProcess(
  directory: string,
  rule: Placement,
  options: OpenDirectoryOptions,
): Promise<PartitionedLedger> {
  const stores: SqliteEventStore[] = [];
  const engines: Ledger[] = [];
  try {
    for (let index = 0; index < rule.partitionCount; index += 1) {
      const store = await openSqliteEventStore({ path: join(directory, partitionFileName(index)) });
      stores.push(store);
      engines.push(
        await openLedger({
          store,
          ledgerId: partitionLedgerId(index),
          ...(options.clock === undefined ? {} : { clock: options.clock }),
          ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
        }),
      );
    }
    // Each writer closes its engine and then its store.
    const writers = engines.map((engine, index) => {
      const writer = inProcessWriter(engine);
      return {
        ...writer,
        close: async () => {
          await writer.close();
          await stores[index]?.close();
        },
      };
    });
    return await openPartitionedLedger({
      placement: rule,
      writers,
      registry: engines[0]?.currentState.registry ?? iso4217,
      clock: options.clock ?? systemClock,
    });
  } catch (error) {
    for (const engine of engines) await engine.close();
    for (const store of stores) await store.close();
    throw error;
  }
}
