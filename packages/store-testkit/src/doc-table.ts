/**
 * Reading a table of a Markdown reference page, for tests that hold code to its docs (the
 * history wire format's field lists, read by the CLI's and the server's tests).
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";

/**
 * The first column of the table that follows the line `heading` in the Markdown file `page`,
 * backticks off, header and separator skipped.
 */
export function firstColumnAfter(page: URL, heading: string): string[] {
  const markdown = readFileSync(page, "utf8");
  const start = markdown.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of markdown.slice(start).split("\n").slice(1)) {
    if (line.startsWith("|")) rows.push((line.split("|")[1] ?? "").trim().replace(/`/g, ""));
    else if (rows.length > 0) break;
  }
  return rows.slice(2);
}
