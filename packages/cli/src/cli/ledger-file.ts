/**
 * Opening the ledger for a command: a SQLite file by default, or an EventStoreDB/KurrentDB
 * server when the location is a connection string (`kurrentdb://…`, `esdb://…`). Reading
 * commands open the file read-only (`"read"`: an auditor's copy without write permission
 * works, and nothing is written) and refuse a missing file (SQLite would silently create an
 * empty one); store failures become `CliError`s with exit status 3, naming the location.
 * The ledger decodes with the CLI's currency registry (`PACIOLI_ASSETS`).
 *
 * The EventStoreDB adapter (and its gRPC client) is loaded only for a connection string, so
 * the embedded default starts without it, and runs without it installed (an optional peer).
 */
import { existsSync } from "node:fs";
import {
  JournalDecodeError,
  JournalGapError,
  NotALedgerError,
  openLedger,
  StoreError,
  systemClock,
  type Clock,
  type EventStore,
  type Ledger,
} from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { CliError, EXIT_STORE, EXIT_USAGE } from "./cli-error.js";
import { ledgerRegistry } from "./currency-registry.js";
import { loadEventStoreAdapter } from "./event-store-adapter.js";

export const DEFAULT_STREAM = "ledger-main";

/** Whether a `--db`/`--store` location names a server rather than a file. */
export const isServerLocation = (location: string): boolean =>
  /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i.test(location);

/** `--store URL`: a server's connection string; a file is named with `--db` instead. */
export function serverFlag(url: string): string {
  if (!isServerLocation(url))
    throw new CliError(
      `--store expects a kurrentdb:// or esdb:// connection string, got ${JSON.stringify(url)}`,
      EXIT_USAGE,
      "for a SQLite file use --db FILE",
    );
  return url;
}

/** "read": an existing ledger, read-only; "existing": an existing ledger, to write; "create": created when missing. */
export type OpenMode = "read" | "existing" | "create";

export async function openStoreFile(path: string, mode: OpenMode): Promise<EventStore> {
  if (isServerLocation(path)) {
    try {
      const { openEventStoreFromUrl } = await loadEventStoreAdapter(path);
      return await openEventStoreFromUrl(path);
    } catch (error) {
      throw storeFailure(path, error);
    }
  }
  if (mode !== "create" && !existsSync(path)) {
    throw new CliError(
      `no ledger at ${path}`,
      EXIT_USAGE,
      "check the path, or create one with `pacioli apply --db FILE COMMANDS.jsonl` or `pacioli demo --db FILE`",
    );
  }
  try {
    return await openSqliteEventStore({ path, readOnly: mode === "read" });
  } catch (error) {
    throw storeFailure(path, error);
  }
}

export async function openLedgerFile(
  path: string,
  mode: OpenMode,
  clock: Clock = systemClock,
  stream: string = DEFAULT_STREAM,
): Promise<OpenedLedger> {
  const ledgerId = ledgerIdOf(stream);
  const store = await openStoreFile(path, mode);
  try {
    if (mode !== "create") await requireEvents(store, path, stream);
    return {
      store,
      ledger: await openLedger({
        store,
        clock,
        ledgerId,
        registry: ledgerRegistry(),
        onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
      }),
    };
  } catch (error) {
    await store.close();
    throw storeFailure(path, error);
  }
}

/** A ledger opened for one command, with the store under it. */
export interface OpenedLedger {
  readonly store: EventStore;
  readonly ledger: Ledger;
}

/**
 * Opens the ledger, hands it to `use`, and closes the ledger and then its store once `use`
 * has finished, whether it returned or threw.
 */
export async function withLedgerFile<T>(
  path: string,
  mode: OpenMode,
  options: { readonly clock?: Clock | undefined; readonly stream?: string | undefined },
  use: (opened: OpenedLedger) => Promise<T>,
): Promise<T> {
  const opened = await openLedgerFile(path, mode, options.clock, options.stream);
  try {
    return await use(opened);
  } finally {
    await opened.ledger.close();
    await opened.store.close();
  }
}

/** The engine names a ledger's stream `ledger-{id}`; `--stream` takes the stream's name. */
export function ledgerIdOf(stream: string): string {
  const id = /^ledger-(.+)$/.exec(stream)?.[1];
  if (id === undefined)
    throw new CliError(
      `--stream ${JSON.stringify(stream)} is not a ledger stream`,
      EXIT_USAGE,
      `a ledger's stream is named ledger-ID (default ${DEFAULT_STREAM})`,
    );
  return id;
}

export function storeFailure(path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  // A file that is not a Pacioli ledger (or not SQLite at all) is unusable input, not a store failure.
  if (error instanceof NotALedgerError)
    return new CliError(
      `${path} is not a Pacioli ledger: ${reason}`,
      EXIT_USAGE,
      "check the path: --db takes a file written by `pacioli apply`, `demo` or `import`",
    );
  const hint =
    error instanceof StoreError && !(error instanceof JournalGapError)
      ? "is it a Pacioli ledger, and is no other process writing to it?"
      : "run `pacioli audit --db FILE` to find what is wrong with the stream";
  return new CliError(`cannot use the ledger ${path}: ${reason}`, EXIT_STORE, hint);
}

/** A failure while reading a ledger: the store's (exit 3) or an unreadable event (exit 3, audit it); anything else is not ours to map. */
export function readFailure(path: string, error: unknown): unknown {
  return error instanceof StoreError || error instanceof JournalDecodeError
    ? storeFailure(path, error)
    : error;
}

/**
 * The stream must hold events: a misspelt or missing stream name, or an empty ledger, is
 * unusable input (exit 2), never an empty success ("CLEAN: 0 events", an empty archive).
 */
export async function requireEvents(
  store: EventStore,
  path: string,
  stream: string,
): Promise<number> {
  let events: number;
  try {
    events = await store.streamVersion(stream);
  } catch (error) {
    throw storeFailure(path, error);
  }
  if (events === 0) {
    throw new CliError(
      `${path} holds no events in the stream ${stream === "" ? '""' : stream}`,
      EXIT_USAGE,
      stream === DEFAULT_STREAM
        ? "an empty ledger has nothing to read: apply commands to it first"
        : "check the stream name (--stream); the default is " + DEFAULT_STREAM,
    );
  }
  return events;
}
