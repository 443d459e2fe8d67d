/**
 * docs/reference/rejections.md cannot drift from the code: every rejection in its table is a
 * real rejection whose retryable column matches `isRetryable`, every core rejection is in
 * the table, and the precedence table names only documented rejections for every core command.
 */
import { describe, expect, it } from "vitest";
import { CORE_REJECTIONS } from "../testing/core-rejections.js";
import { isRetryable, type Rejection } from "./rejection.js";


const CORE_COMMANDS = [
  "OpenWallet",
  "FreezeWallet",
  "UnfreezeWallet",
  "CloseWallet",
  "SetOverdraftLimit",
  "DepositFunds",
  "WithdrawFunds",
  "TransferFunds",
  "PlaceHold",
  "IncreaseHold",
  "CaptureHold",
  "ReleaseHold",
  "ExpireHold",
  "RefundCapture",
];

async function readDoc(): Promise<string> {
  // A variable specifier: resolved by Vite at run time (`?raw` gives the text), not by tsc.
  const specifier = "../../../../docs/reference/rejections.md?raw";
  return ((await import(/* @vite-ignore */ specifier)) as { default: string }).default;
}

/** Rows of the markdown table that follows a heading, as arrays of trimmed cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const lines = markdown.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split("|").slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

const tagsIn = (cell: string): string[] => [...cell.matchAll(/`([A-Za-z]+)`/g)].map((match) => match[1] as string);

describe("docs/reference/rejections.md", () => {
  it("lists every core rejection once, with the retryable answer isRetryable gives", async () => {
    const rows = tableAfter(await readDoc(), "## The rejections");
    const documented = rows.map(([tag, , retryable]) => [tagsIn(tag ?? "")[0], retryable] as const);
    expect(documented.map(([tag]) => tag).sort()).toEqual([...CORE_REJECTIONS].sort());
    for (const [tag, retryable] of documented) {
      // isRetryable throws on a tag the union does not have.
      expect(retryable, `retryable column of ${tag}`).toBe(isRetryable({ _tag: tag } as Rejection) ? "yes" : "no");
    }
  });

  it("gives the precedence of every core command, naming only documented rejections", async () => {
    const doc = await readDoc();
    const rows = tableAfter(doc, "| Command | Checks, in order |");
    expect(rows.map(([command]) => tagsIn(command ?? "")[0])).toEqual(CORE_COMMANDS);
    for (const [command, checks] of rows) {
      const tags = tagsIn(checks ?? "");
      expect(tags.length, `checks of ${command}`).toBeGreaterThan(0);
      for (const tag of tags) expect(CORE_REJECTIONS, `${command} names ${tag}`).toContain(tag);
    }
  });
});
