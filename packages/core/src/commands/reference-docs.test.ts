/**
 * docs/reference/commands.md and events.md cannot drift from the codecs: every command and
 * event type the codecs decode is documented, and every field its codec declares (required
 * or optional) is named, in backticks, in the part of the page that documents it (its table
 * row, and the paragraphs and examples of its section). Removing a field from the docs, or
 * adding one to a codec without documenting it, fails here. (The rejections have their own
 * drift test, rejection-docs.test.ts; postings are pinned leg for leg by the recipes' tests.)
 */
import { describe, expect, it } from "vitest";
import { declaredFields } from "../codec/strict-fields.js";
import { eventCodecsByType } from "../events/ledger-event.js";
import { iso4217 } from "../money/index.js";
import { commandCodecsByType } from "./ledger-command.js";

async function readDoc(path: string): Promise<string> {
  // A variable specifier: resolved by Vite at run time (`?raw` gives the text), not by tsc.
  const specifier = `../../../../docs/${path}?raw`;
  return ((await import(/* @vite-ignore */ specifier)) as { default: string }).default;
}

const RECIPES = [
  "recipes/checkout.md",
  "recipes/funding-fx-promotions.md",
  "recipes/payouts-adjustments.md",
  "recipes/reconciliation.md",
];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The sections (of level 2 or 3) of the pages that document a type: by heading, in backticks or as an example's type. */
function sectionsDocumenting(pages: readonly string[], type: string): string {
  const documents = new RegExp(
    `(^#{2,3} ${type}\\s)|\`${type}\`|"type": "${type}"|type: "${type}"`,
    "m",
  );
  return pages
    .flatMap((page) => page.split(/\n(?=#{2,3} )/))
    .filter((section) => documents.test(section))
    .join("\n");
}

/** A field is named in backticks (alone or with a note), or as a key of an example. */
const names = (text: string, field: string): boolean =>
  new RegExp(`\`${escape(field)}[\`?: (=]|(^|[{,\\s])"?${escape(field)}"?\\??:`, "m").test(text);

function undocumented(
  pages: readonly string[],
  codecs: Readonly<Record<string, unknown>>,
): string[] {
  const missing: string[] = [];
  for (const [type, codec] of Object.entries(codecs)) {
    const text = sectionsDocumenting(pages, type);
    if (text === "") {
      missing.push(type);
      continue;
    }
    for (const field of declaredFields(codec as never))
      if (field !== "type" && field !== "postings" && !names(text, field))
        missing.push(`${type}.${field}`);
  }
  return missing;
}

const pages = (reference: string) =>
  Promise.all([`reference/${reference}`, ...RECIPES].map(readDoc));

describe("docs/reference/commands.md and events.md", () => {
  it("document every command type and every field its codec declares", async () => {
    const codecs = commandCodecsByType(iso4217);
    expect(Object.keys(codecs).length).toBeGreaterThan(40);
    expect(undocumented(await pages("commands.md"), codecs)).toEqual([]);
  });

  it("document every event type and every field its codec declares", async () => {
    const codecs = eventCodecsByType(iso4217);
    expect(Object.keys(codecs).length).toBeGreaterThan(40);
    expect(undocumented(await pages("events.md"), codecs)).toEqual([]);
  });
});
