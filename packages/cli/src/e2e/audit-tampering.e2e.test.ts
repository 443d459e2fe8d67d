import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoLedger, pacioli, scratchDir, violationAt } from "./run-cli.js";

interface Report {
  clean: boolean;
  events: number;
  stoppedAt: number | null;
  violations: { check: string; position: number; message: string }[];
}

function archiveOfDemo(): { dir: string; lines: string[] } {
  const dir = scratchDir();
  const db = demoLedger(dir);
  expect(
    pacioli(["export", "--db", db, "--format", "jsonl", "--output", join(dir, "a.jsonl")]).status,
  ).toBe(0);
  return { dir, lines: readFileSync(join(dir, "a.jsonl"), "utf8").split("\n") };
}

function auditLines(
  dir: string,
  lines: readonly string[],
): { status: number | null; report: Report } {
  const path = join(dir, "tampered.jsonl");
  writeFileSync(path, lines.join("\n"));
  const run = pacioli(["audit", "--jsonl", path, "--json"]);
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

/** Line index of event n in an archive: the header is line 0. */
const lineOf = (event: number): number => event;

/** The archive with `from` replaced by `to` in event n's line, which must hold it. */
function withReplaced(lines: readonly string[], event: number, from: string, to: string): string[] {
  const tampered = [...lines];
  tampered[lineOf(event)] = (lines[lineOf(event)] as string).replace(from, to);
  expect(tampered[lineOf(event)], from).not.toBe(lines[lineOf(event)]);
  return tampered;
}

describe("pacioli audit finds tampering at its exact position", () => {
  it("passes the untouched archive", () => {
    const { dir, lines } = archiveOfDemo();
    const { status, report } = auditLines(dir, lines);
    expect(status).toBe(0);
    expect(report).toMatchObject({ clean: true, events: 21, violations: [] });
  });

  it("one byte of one event changed", () => {
    const { dir, lines } = archiveOfDemo();
    const target = lines[lineOf(6)] as string; // WalletToppedUp
    const at = target.indexOf('"sourceId":"card-4242"') + '"sourceId":"card-'.length;
    expect(target[at]).toBe("4");
    const tampered = [...lines];
    tampered[lineOf(6)] = `${target.slice(0, at)}5${target.slice(at + 1)}`; // card-4242 → card-5242
    const { status, report } = auditLines(dir, tampered);
    expect(status).toBe(1);
    expect(report.violations).toEqual([violationAt("hash-chain", 6, "content was changed")]);
  });

  it("an amount changed inside the postings: the hash and the balance both break at that event", () => {
    const { dir, lines } = archiveOfDemo();
    const tampered = withReplaced(lines, 6, '"amount":"-300.00"', '"amount":"-310.00"');
    const { status, report } = auditLines(dir, tampered);
    expect(status).toBe(1);
    expect(report.violations.map((violation) => [violation.check, violation.position])).toEqual(
      expect.arrayContaining([
        ["hash-chain", 6],
        ["balanced", 6],
      ]),
    );
    expect(Math.min(...report.violations.map((violation) => violation.position))).toBe(6);
  });

  it("an event deleted", () => {
    const { dir, lines } = archiveOfDemo();
    const tampered = lines.filter((_, index) => index !== lineOf(10));
    const { status, report } = auditLines(dir, tampered);
    expect(status).toBe(1);
    expect(
      report.violations
        .filter((violation) => violation.position === 10)
        .map((violation) => violation.check),
    ).toEqual(expect.arrayContaining(["hash-chain", "sequence"]));
    expect(report.violations[0]?.position).toBe(10);
    expect(
      report.violations.find((violation) => violation.check === "sequence")?.message,
    ).toContain("event 10 is missing");
  });

  it("two events swapped", () => {
    const { dir, lines } = archiveOfDemo();
    const tampered = [...lines];
    tampered[lineOf(16)] = lines[lineOf(17)] as string;
    tampered[lineOf(17)] = lines[lineOf(16)] as string;
    const { status, report } = auditLines(dir, tampered);
    expect(status).toBe(1);
    const chainBreaks = report.violations
      .filter((violation) => violation.check === "hash-chain")
      .map((violation) => violation.position);
    expect(chainBreaks.slice(0, 2)).toEqual([16, 17]);
    expect(report.violations[0]?.position).toBe(16);
  });

  it("the last event deleted: the archive header anchors the tail", () => {
    const { dir, lines } = archiveOfDemo();
    const tampered = lines.filter((_, index) => index !== lineOf(21));
    const { status, report } = auditLines(dir, tampered);
    expect(status).toBe(1);
    expect(report.violations).toEqual([violationAt("sequence", 21)]);
  });

  it("an event that no longer decodes stops the replay, naming its position", () => {
    const { dir, lines } = archiveOfDemo();
    const tampered = withReplaced(
      lines,
      9,
      '"type":"CurrencyConverted"',
      '"type":"CurrencyConvertid"',
    );
    const { status, report } = auditLines(dir, tampered);
    expect(status).toBe(1);
    expect(report.stoppedAt).toBe(9);
    expect(report.events).toBe(8);
  });

  it("one byte changed inside the SQLite file's stored event", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const tamperedDb = join(dir, "tampered.db");
    copyFileSync(db, tamperedDb);
    // better-sqlite3 is the store's dependency; reach it through the store package.
    const requireFromStore = createRequire(
      new URL("../../../store-sqlite/package.json", import.meta.url),
    );
    const Database = requireFromStore("better-sqlite3") as new (path: string) => {
      prepare(sql: string): { run(...args: unknown[]): unknown };
      close(): void;
    };
    const sqlite = new Database(tamperedDb);
    sqlite
      .prepare(
        'UPDATE events SET payload = replace(payload, \'"reason":"parcel never arrived"\', \'"reason":"parcel never arrivEd"\') WHERE stream_index = 17',
      )
      .run();
    sqlite.close();
    const run = pacioli(["audit", "--db", tamperedDb, "--json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(
      report.violations.map((violation) => [violation.check, violation.position]),
    ).toContainEqual(["hash-chain", 18]);
    expect(
      report.violations.every(
        (violation) => violation.position === 18 || violation.check === "projection",
      ),
    ).toBe(true);
  });

  it("exits 2 for unusable input, without a stack trace", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "not-an-archive.jsonl"), '{"hello":"world"}\n');
    const cases = [
      ["audit", "--jsonl", join(dir, "not-an-archive.jsonl")],
      ["audit", "--jsonl", join(dir, "missing.jsonl")],
      ["audit", "--db", join(dir, "missing.db")],
      ["audit"],
    ];
    for (const args of cases) {
      const run = pacioli(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^pacioli audit: /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
