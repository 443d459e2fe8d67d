/**
 * docs/reference/proof-formats.md is the contract for proof bundles: every JSON example in it
 * decodes with the codecs `pacioli verify` reads bundles with, and names the current format.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROOF_FORMAT, ProofBundle } from "./proof-bundle.js";

const doc = readFileSync(
  new URL("../../../../docs/reference/proof-formats.md", import.meta.url),
  "utf8",
);

describe("docs/reference/proof-formats.md", () => {
  it("every bundle example decodes as a proof bundle of the current format", () => {
    const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(
      (match) => JSON.parse(match[1] as string) as unknown,
    );
    expect(examples.map((example) => (example as { type: string }).type)).toEqual([
      "inclusion",
      "consistency",
      "statement",
    ]);
    for (const example of examples) {
      expect(ProofBundle.is(example), JSON.stringify(example).slice(0, 60)).toBe(true);
      expect((example as { format: string }).format).toBe(PROOF_FORMAT);
    }
  });
});
