/**
 * The exit statuses are a contract: docs/reference/exit-codes.md prints EXIT_STATUSES row
 * for row, `pacioli --help` lists them, and the CLI's code exits only through the named
 * constants (a bare number in a `CliError`, a `return` or `exitCode` is a status nobody
 * documented).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as cliErrors from "./cli-error.js";
import { EXIT_STATUSES } from "./cli-error.js";

const SOURCE = fileURLToPath(new URL("..", import.meta.url));
const DOC = fileURLToPath(new URL("../../../../docs/reference/exit-codes.md", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !path.includes("/e2e/")
      ? [path]
      : [];
  });
}

describe("exit statuses", () => {
  it("the docs table is EXIT_STATUSES, row for row", () => {
    const rows = readFileSync(DOC, "utf8")
      .split("\n")
      .map((line) => /^\| (\d+) \| `(EXIT_[A-Z_]+)` \| (.+) \|$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ status: Number(match[1]), name: match[2], meaning: match[3] }));
    expect(rows).toEqual(EXIT_STATUSES.map((exit) => ({ ...exit })));
  });

  it("every EXIT_* constant is in the table under its own name, once", () => {
    const constants = Object.entries(cliErrors).filter(
      ([name]) => /^EXIT_[A-Z_]+$/.test(name) && name !== "EXIT_STATUSES",
    );
    expect(
      constants
        .map(([name, status]) => ({ name, status }))
        .sort((a, b) => (a.status as number) - (b.status as number)),
    ).toEqual(EXIT_STATUSES.map(({ name, status }) => ({ name, status })));
    expect(new Set(EXIT_STATUSES.map((exit) => exit.status)).size).toBe(EXIT_STATUSES.length);
  });

  it("the CLI's code exits only through the named constants", () => {
    const bare = [
      /new CliError\((?:[^;]|\n)*?,\s*\d+\s*[,)]/, // a status as a number literal
      /exitCode\s*=\s*\d/,
      /return\s+\d+\s*;/,
      /process\.exit\(/,
    ];
    const files = sourceFiles(SOURCE);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const pattern of bare)
        expect(pattern.exec(text)?.[0], `${file} ${String(pattern)}`).toBeUndefined();
    }
  });
});
