import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoLedger, pacioli, scratchDir } from "./run-cli.js";

describe("export → import → export", () => {
  it("round-trips the archive byte for byte, and the imported ledger has the same balances", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    expect(
      pacioli(["export", "--db", db, "--format", "jsonl", "--output", join(dir, "a.jsonl")]).status,
    ).toBe(0);
    const imported = pacioli(["import", "--db", join(dir, "copy.db"), join(dir, "a.jsonl")]);
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    const again = pacioli(["export", "--db", join(dir, "copy.db"), "--format", "jsonl"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(readFileSync(join(dir, "a.jsonl"), "utf8"));
    expect(pacioli(["balances", "--db", join(dir, "copy.db"), "--json"]).stdout).toBe(
      pacioli(["balances", "--db", db, "--json"]).stdout,
    );
    expect(pacioli(["audit", "--db", join(dir, "copy.db")]).status).toBe(0);
  });

  it("refuses a tampered archive and writes nothing", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const archive = pacioli(["export", "--db", db, "--format", "jsonl"]).stdout;
    writeFileSync(join(dir, "t.jsonl"), archive.replace('"amount":"45.00"', '"amount":"4.50"'));
    const run = pacioli(["import", "--db", join(dir, "copy.db"), join(dir, "t.jsonl")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("failed its audit");
    expect(pacioli(["balances", "--db", join(dir, "copy.db")]).status).toBe(2); // no ledger was created
  });

  it("refuses to import into a ledger that already has events", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    writeFileSync(
      join(dir, "a.jsonl"),
      pacioli(["export", "--db", db, "--format", "jsonl"]).stdout,
    );
    const run = pacioli(["import", "--db", db, join(dir, "a.jsonl")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("already holds 21 events");
  });
});
