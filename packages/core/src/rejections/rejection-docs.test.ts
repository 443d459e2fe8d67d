/**
 * docs/reference/rejections.md cannot drift from the code:
 * - its rejection tables list every tag of the closed union once (REJECTION_TAGS, which the
 *   compiler keeps equal to the union), each with the retryable answer `isRetryable` gives;
 * - its precedence table has one row per command type the codecs decode, naming only real tags,
 *   and every tag but IdempotencyKeyReused (checked before any command) has a place in a row;
 * - a random run of the real decider produces, for each command, only rejections its row names.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerCommandTypes } from "../commands/ledger-command.js";
import { execute } from "../decider/handle.js";
import { iso4217 } from "../money/index.js";
import { initialState } from "../state/ledger-state.js";
import { stepEnvelope, stepsArbitrary } from "../testing/arbitraries.js";
import { CORE_REJECTIONS, REJECTION_TAGS } from "../testing/core-rejections.js";
import { worldStepsArbitrary } from "../testing/world-arbitraries.js";
import { isRetryable, type Rejection } from "./rejection.js";

const REJECTION_TABLES = [
  "## The rejections",
  "## Merchants, checkout, escrow, disputes",
  "## Funding sources, FX, promotions, limits",
  "## Payouts and adjustments",
];
const DOCS_RUNS = 300;
/** Distinct (command, rejection) pairs the random run must reach for its check to mean something. */
const SEEN_PAIRS_MIN = 100;

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
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const tagsIn = (cell: string): string[] =>
  [...cell.matchAll(/`([A-Z][A-Za-z]+)`/g)].map((match) => match[1] as string);

/** Command type → the tags its precedence row names. */
async function precedenceRows(): Promise<Map<string, Set<string>>> {
  const rows = tableAfter(await readDoc(), "| Command | Checks, in order |");
  return new Map(
    rows.map(([command, checks]) => [
      tagsIn(command ?? "")[0] ?? "",
      new Set(tagsIn(checks ?? "")),
    ]),
  );
}

describe("docs/reference/rejections.md", () => {
  it("lists every rejection of the union exactly once, with the retryable answer isRetryable gives", async () => {
    const doc = await readDoc();
    const documented = REJECTION_TABLES.flatMap((heading) =>
      tableAfter(doc, heading).map(
        ([tag, , retryable]) => [tagsIn(tag ?? "")[0] ?? "", retryable] as const,
      ),
    );
    expect(documented.map(([tag]) => tag).sort()).toEqual([...REJECTION_TAGS].sort());
    for (const [tag, retryable] of documented) {
      // isRetryable throws on a tag the union does not have.
      expect(retryable, `retryable column of ${tag}`).toBe(
        isRetryable({ _tag: tag } as Rejection) ? "yes" : "no",
      );
    }
  });

  it("keeps the core ledger's rejections in the first table", async () => {
    const rows = tableAfter(await readDoc(), "## The rejections");
    expect(rows.map(([tag]) => tagsIn(tag ?? "")[0]).sort()).toEqual([...CORE_REJECTIONS].sort());
  });

  it("gives the precedence of every command the codecs decode, naming only real rejections", async () => {
    const rows = await precedenceRows();
    expect([...rows.keys()].sort()).toEqual(ledgerCommandTypes(iso4217).sort());
    for (const [command, tags] of rows) {
      expect(tags.size, `checks of ${command}`).toBeGreaterThan(0);
      for (const tag of tags) expect(REJECTION_TAGS, `${command} names ${tag}`).toContain(tag);
    }
  });

  it("gives every rejection a place in some command's precedence (idempotency comes before all)", async () => {
    const doc = await readDoc();
    expect(doc).toContain("0. `IdempotencyKeyReused`");
    const named = new Set([...(await precedenceRows()).values()].flatMap((tags) => [...tags]));
    expect(
      REJECTION_TAGS.filter((tag) => tag !== "IdempotencyKeyReused" && !named.has(tag)),
    ).toEqual([]);
  });

  it(`names every rejection the real decider gives a command in that command's row (${DOCS_RUNS} random sequences)`, async () => {
    const rows = await precedenceRows();
    const undocumented = new Set<string>();
    const seen = new Set<string>();
    fc.assert(
      // Half the sequences from the whole wallet world (payouts, adjustments, promoted and
      // converted checkouts and their refunds), so those commands' rows are checked too.
      fc.property(fc.oneof(stepsArbitrary({ maxLength: 60 }), worldStepsArbitrary(60)), (steps) => {
        const state = initialState();
        for (const [index, step] of steps.entries()) {
          const result = execute(state, stepEnvelope(step, index));
          if (result._tag === "Left") seen.add(`${step.command.type} → ${result.left._tag}`);
          if (
            result._tag === "Left" &&
            result.left._tag !== "IdempotencyKeyReused" &&
            rows.get(step.command.type)?.has(result.left._tag) !== true
          ) {
            undocumented.add(`${step.command.type} → ${result.left._tag}`);
          }
        }
      }),
      { numRuns: DOCS_RUNS, seed: 20_261_203 },
    );
    expect([...undocumented].sort()).toEqual([]);
    // Evidence only if the run reached most rules of most commands.
    expect(seen.size).toBeGreaterThan(SEEN_PAIRS_MIN);
  });
});
