/**
 * The EventStoreDB/KurrentDB adapter is an optional peer of the CLI: it brings the gRPC
 * clients (about 36 MB installed), which a user who only keeps SQLite files never needs. It
 * is loaded on demand for a server location; when it is not installed, the user is told how
 * to add it and the command exits 2 (unusable input), not 3 (a store failure).
 */
import { CliError, EXIT_USAGE } from "./cli-error.js";

export const EVENT_STORE_ADAPTER = "@pacioli/store-eventstoredb";

export type EventStoreAdapter = typeof import("@pacioli/store-eventstoredb");

export async function loadEventStoreAdapter(location: string): Promise<EventStoreAdapter> {
  try {
    return await import("@pacioli/store-eventstoredb");
  } catch (error) {
    if (isAdapterMissing(error)) {
      throw new CliError(
        `cannot use the ledger ${location}: EventStoreDB/KurrentDB support is not installed`,
        EXIT_USAGE,
        `install it beside the CLI: npm install ${EVENT_STORE_ADAPTER} (SQLite files need nothing more)`,
      );
    }
    throw error;
  }
}

/** Node's error for an import it cannot resolve, naming the adapter package itself. */
export function isAdapterMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
    error.message.includes(`'${EVENT_STORE_ADAPTER}'`)
  );
}
