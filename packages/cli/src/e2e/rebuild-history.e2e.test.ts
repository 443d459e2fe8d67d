/**
 * `pacioli rebuild-history`: rebuilds the history projection kept in the ledger file, and with
 * `--check` tells a projection that differs from its events (exit 1) from one that matches.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { pacioli, scratchDir } from "./run-cli.js";

interface Report {
  readonly stream: string;
  readonly checkpoint: number;
  readonly events: number;
  readonly lines: number;
  readonly rebuilt: boolean;
  readonly matches: boolean | null;
}

const report = (stdout: string): Report => JSON.parse(stdout) as Report;

describe("pacioli rebuild-history", () => {
  it("rebuilds the projection from the events; --check finds a tampered line (exit 1) and a rebuild repairs it", async () => {
    const db = join(scratchDir(), "demo.db");
    expect(pacioli(["demo", "--db", db]).status).toBe(0);
    const rebuilt = pacioli(["rebuild-history", "--db", db, "--json"]);
    expect(rebuilt.stderr).toBe("");
    expect(rebuilt.status).toBe(0);
    const first = report(rebuilt.stdout);
    expect(first).toMatchObject({ stream: "ledger-main", rebuilt: true, matches: null });
    expect(first.events).toBe(first.checkpoint);
    expect(first.lines).toBeGreaterThan(first.events);

    const checked = pacioli(["rebuild-history", "--db", db, "--check", "--json"]);
    expect(checked.status).toBe(0);
    expect(report(checked.stdout)).toEqual({ ...first, rebuilt: false, matches: true });

    // Running balances changed behind Pacioli's back: the check says so, the rebuild repairs it.
    const store = await openSqliteEventStore({ path: db });
    // The store's own connection (a TypeScript-private field): the CLI has no SQLite of its own.
    const raw = (store as unknown as { db: { exec(sql: string): unknown } }).db;
    raw.exec("UPDATE history_lines SET balance = balance || '0'");
    await store.close();
    const tampered = pacioli(["rebuild-history", "--db", db, "--check"]);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain("differs from a rebuild from its events");
    expect(tampered.stderr).toContain("pacioli rebuild-history --db");
    expect(pacioli(["rebuild-history", "--db", db]).status).toBe(0);
    expect(pacioli(["rebuild-history", "--db", db, "--check"]).status).toBe(0);
  });

  it("prints its usage with --help, and refuses a missing --db or a file that is no ledger with exit 2", () => {
    const help = pacioli(["rebuild-history", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: pacioli rebuild-history --db FILE");
    expect(pacioli(["rebuild-history"]).status).toBe(2);
    expect(pacioli(["rebuild-history", "--db", join(scratchDir(), "missing.db")]).status).toBe(2);
  });
});
