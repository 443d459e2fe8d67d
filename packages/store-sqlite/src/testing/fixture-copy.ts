/**
 * A ledger file written by an earlier release, copied fresh for each test. Tests open the
 * copy, never the fixture: opening a WAL file, even read-only, leaves `-shm`/`-wal` beside it,
 * and a migration rewrites it. The store a test opens on the copy is closed after the test.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { openSqliteEventStore, type SqliteEventStore } from "../sqlite-event-store.js";

export interface FixtureCopy {
  /** The copy's path, new for each test. */
  readonly path: string;
  /** Opens the store on the copy; it is closed after the test. */
  open(): Promise<SqliteEventStore>;
}

/** Registers the copy and the clean-up for every test of the calling file. */
export function fixtureCopyPerTest(fixture: string): FixtureCopy {
  const source = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  let dir = "";
  let store: SqliteEventStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pacioli-fixture-"));
    copyFileSync(source, join(dir, "ledger.db"));
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get path() {
      return join(dir, "ledger.db");
    },
    async open() {
      store = await openSqliteEventStore({ path: join(dir, "ledger.db") });
      return store;
    },
  };
}
