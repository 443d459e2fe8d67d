/**
 * Opening the ledger for a command: a SQLite file by default, or an EventStoreDB/KurrentDB
 * server when the location is a connection string (`kurrentdb://…`, `esdb://…`). Reading
 * commands refuse a missing file (SQLite would silently create an empty one); store
 * failures become `CliError`s with exit status 3, naming the location.
 *
 * The EventStoreDB adapter (and its gRPC client) is loaded only for a connection string, so
 * the embedded default starts without it.
 */
import { existsSync } from "node:fs";
import { openLedger, StoreError, StoreFormatError, systemClock, type Clock, type EventStore, type Ledger } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { CliError, EXIT_STORE, EXIT_USAGE } from "./cli-error.js";

export const DEFAULT_STREAM = "ledger-main";

/** Whether a `--db`/`--store` location names a server rather than a file. */
export const isServerLocation = (location: string): boolean => /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i.test(location);

export async function openStoreFile(path: string, mode: "existing" | "create"): Promise<EventStore> {
  if (isServerLocation(path)) {
    try {
      const { openEventStoreFromUrl } = await import("@pacioli/store-eventstoredb");
      return await openEventStoreFromUrl(path);
    } catch (error) {
      throw storeFailure(path, error);
    }
  }
  if (mode === "existing" && !existsSync(path)) {
    throw new CliError(`no ledger at ${path}`, EXIT_USAGE, "check the path, or create one with `pacioli apply --db FILE COMMANDS.jsonl` or `pacioli demo --db FILE`");
  }
  try {
    return await openSqliteEventStore({ path });
  } catch (error) {
    throw storeFailure(path, error);
  }
}

export async function openLedgerFile(path: string, mode: "existing" | "create", clock: Clock = systemClock, stream: string = DEFAULT_STREAM): Promise<{ store: EventStore; ledger: Ledger }> {
  const ledgerId = ledgerIdOf(stream);
  const store = await openStoreFile(path, mode);
  try {
    if (mode === "existing" && (await store.streamVersion(stream)) === 0) throw new CliError(`${path} holds no events in the stream ${stream}`, EXIT_USAGE, "check --stream; `pacioli audit --db FILE` names the stream it reads");
    return { store, ledger: await openLedger({ store, clock, ledgerId, onWarning: (message) => process.stderr.write(`warning: ${message}\n`) }) };
  } catch (error) {
    await store.close();
    throw storeFailure(path, error);
  }
}

/** The engine names a ledger's stream `ledger-{id}`; `--stream` takes the stream's name. */
export function ledgerIdOf(stream: string): string {
  const id = /^ledger-(.+)$/.exec(stream)?.[1];
  if (id === undefined) throw new CliError(`--stream ${JSON.stringify(stream)} is not a ledger stream`, EXIT_USAGE, `a ledger's stream is named ledger-ID (default ${DEFAULT_STREAM})`);
  return id;
}

export function storeFailure(path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  // A file that is not a Pacioli ledger (or not SQLite at all) is unusable input, not a store failure.
  if (error instanceof StoreFormatError) return new CliError(`${path} is not a Pacioli ledger: ${reason}`, EXIT_USAGE, "check the path: --db takes a file written by `pacioli apply`, `demo` or `import`");
  const hint = error instanceof StoreError ? "is it a Pacioli ledger, and is no other process writing to it?" : "run `pacioli audit --db FILE` to find what is wrong with the stream";
  return new CliError(`cannot use the ledger ${path}: ${reason}`, EXIT_STORE, hint);
}
