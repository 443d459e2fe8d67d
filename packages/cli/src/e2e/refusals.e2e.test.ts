/**
 * Input the CLI must refuse with a documented status and a message, never a trace, writing
 * nothing: a file that is not a ledger, an --output it cannot write, a --limit over the
 * documented maximum. And the small things a user reaches for first: --version, the exit
 * table in --help.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deposit } from "@pacioli/core/testing/requests";
import { EXIT_OK, EXIT_STATUSES, EXIT_USAGE } from "../cli/cli-error.js";
import { DEMO_WALLET } from "../demo/demo-story.js";
import { VERSION } from "../main.js";
import { demoLedger, pacioli, scratchDir } from "./run-cli.js";

const noTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |Error:/);

describe("pacioli refuses unusable input with a documented status", () => {
  it("prints its version with --version and -V", () => {
    for (const flag of ["--version", "-V"]) {
      const run = pacioli([flag]);
      expect(run.status).toBe(EXIT_OK);
      expect(run.stdout).toBe(`pacioli ${VERSION}\n`);
    }
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists every exit status in --help and points at the table", () => {
    const help = pacioli(["--help"]).stdout;
    for (const exit of EXIT_STATUSES)
      expect(help).toMatch(new RegExp(`\\s${exit.status}\\s+${exit.name}\\n`));
    expect(help).toContain("docs/reference/exit-codes.md");
  });

  it("calls a file that is not a ledger unusable input (2), for every reading command and apply", () => {
    const dir = scratchDir();
    const text = join(dir, "notes.db");
    writeFileSync(text, "hello, not a database\n".repeat(100));
    const random = join(dir, "random.db");
    writeFileSync(
      random,
      Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 7919) % 251)),
    );
    writeFileSync(join(dir, "c.jsonl"), "{}\n");
    for (const db of [text, random]) {
      for (const args of [
        ["balances", "--db", db],
        ["history", "--db", db, "--wallet", "w1"],
        ["audit", "--db", db],
        ["export", "--db", db, "--format", "csv"],
        ["apply", "--db", db, join(dir, "c.jsonl")],
      ]) {
        const run = pacioli(args);
        expect(run.status, args.join(" ")).toBe(EXIT_USAGE);
        expect(run.stderr, args.join(" ")).toContain("is not a Pacioli ledger");
        noTrace(run.stderr);
      }
    }
  });

  it("refuses history --limit over 1000 as it refuses --limit 0", () => {
    const db = demoLedger();
    for (const limit of ["0", "1001", "999999999"]) {
      const run = pacioli(["history", "--db", db, "--wallet", DEMO_WALLET, "--limit", limit]);
      expect(run.status, limit).toBe(EXIT_USAGE);
      expect(run.stderr).toContain(`--limit must be a whole number from 1 to 1000, got "${limit}"`);
    }
    expect(
      pacioli(["history", "--db", db, "--wallet", DEMO_WALLET, "--limit", "1000"]).status,
    ).toBe(EXIT_OK);
  });

  it("refuses export --output to a directory or into a missing folder with 2, writing nothing", () => {
    const dir = scratchDir();
    const db = join(dir, "l.db");
    const deposits = Array.from({ length: 3000 }, (_, index) =>
      JSON.stringify(deposit("w1", "1.00", "USD", `d${index}`)),
    );
    writeFileSync(
      join(dir, "c.jsonl"),
      [
        JSON.stringify({
          idempotencyKey: "o",
          command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
        }),
        ...deposits,
      ].join("\n"),
    );
    expect(pacioli(["apply", "--db", db, join(dir, "c.jsonl")]).status).toBe(EXIT_OK);
    const out = join(dir, "out");
    mkdirSync(out);
    for (const format of ["jsonl", "csv", "hledger", "beancount"]) {
      for (const target of [out, join(dir, "missing", "x.txt")]) {
        const run = pacioli(["export", "--db", db, "--format", format, "--output", target]);
        expect(run.status, `${format} ${target}`).toBe(EXIT_USAGE);
        expect(run.stderr).toMatch(/is a directory|does not exist/);
        noTrace(run.stderr);
      }
    }
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(dir, "missing"))).toBe(false);
    const written = pacioli([
      "export",
      "--db",
      db,
      "--format",
      "csv",
      "--output",
      join(out, "p.csv"),
    ]);
    expect(written.status).toBe(EXIT_OK);
    expect(readdirSync(out)).toEqual(["p.csv"]); // no temporary file left beside it
  });
});
