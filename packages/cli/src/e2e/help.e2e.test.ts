import { describe, expect, it } from "vitest";
import { COMMANDS } from "../main.js";
import { pacioli } from "./run-cli.js";

describe("pacioli help and usage errors", () => {
  it("every command has --help", () => {
    for (const command of COMMANDS) {
      const run = pacioli([command.name, "--help"]);
      expect(run.status, command.name).toBe(0);
      expect(run.stdout).toContain(`Usage: pacioli ${command.name}`);
    }
    expect(pacioli(["--help"]).stdout).toContain("Commands:");
  });

  it("says what is wrong and what to do, without a stack trace", () => {
    const unknown = pacioli(["frobnicate"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badFlag = pacioli(["balances", "--dbb", "x.db"]);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toContain("pacioli balances --help");
    const missing = pacioli(["history", "--db", "/nonexistent/l.db", "--wallet", "w1"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no ledger at /nonexistent/l.db");
    for (const run of [unknown, badFlag, missing]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
