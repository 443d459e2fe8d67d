/**
 * docs/reference/audit-state.md is the contract for `pacioli audit`: its options table lists
 * exactly the options `pacioli audit --help` shows, and its exit-status table exactly the
 * statuses the usage names.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditCommand } from "../commands/audit-command.js";

const doc = readFileSync(
  new URL("../../../../docs/reference/audit-state.md", import.meta.url),
  "utf8",
);

const section = (heading: string): string => {
  const start = doc.indexOf(`## ${heading}`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf("\n## ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
};

describe("docs/reference/audit-state.md", () => {
  it("lists the options of `pacioli audit --help`, no more, no fewer", () => {
    const documented = [...section("Options").matchAll(/^\| `(--[a-z-]+)/gm)].map(
      (match) => match[1],
    );
    const options = auditCommand.usage
      .split("\n")
      .map((line) => /^ {2}(--[a-z-]+)/.exec(line)?.[1])
      .filter((option) => option !== undefined);
    expect(options.length).toBeGreaterThan(8);
    expect([...documented].sort()).toEqual([...new Set(options)].sort());
  });

  it("lists the exit statuses the usage names", () => {
    const documented = [...section("Exit statuses").matchAll(/^\| (\d+) \|/gm)].map((match) =>
      Number(match[1]),
    );
    const line = /Exit status: ([\s\S]*)$/.exec(auditCommand.usage)?.[1] ?? "";
    const named = [...line.matchAll(/(\d+) [a-z]/g)].map((match) => Number(match[1]));
    expect(named).toEqual([0, 1, 2, 3]);
    expect(documented).toEqual(named);
  });
});
