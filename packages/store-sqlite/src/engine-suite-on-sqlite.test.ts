/**
 * The engine suite every store runs (`@pacioli/store-testkit`), on a real SQLite file: each
 * further connection is its own database handle on the same file, as another process has.
 * SQLite has no append size limit of its own; the suite's sizing test wraps it in one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventStore } from "@pacioli/engine";
import {
  engineOnStoreSuite,
  historyProjectionSuite,
  withAppendLimit,
  type OpenEngineStore,
} from "@pacioli/store-testkit";
import { openSqliteEventStore } from "./sqlite-event-store.js";

const sqliteFixture: OpenEngineStore = async ({ maxAppendBytes }) => {
  const dir = mkdtempSync(join(tmpdir(), "pacioli-engine-suite-"));
  const path = join(dir, "ledger.db");
  const opened: EventStore[] = [];
  const connect = async (): Promise<EventStore> => {
    const sqlite = await openSqliteEventStore({ path });
    opened.push(sqlite);
    return maxAppendBytes === undefined ? sqlite : withAppendLimit(sqlite, maxAppendBytes);
  };
  return {
    store: await connect(),
    connect,
    close: async () => {
      await Promise.all(opened.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

engineOnStoreSuite("SqliteEventStore", sqliteFixture);
historyProjectionSuite("SqliteEventStore (tables in the ledger file)", sqliteFixture);
