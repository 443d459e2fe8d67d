import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

/** An independent reference: entries sorted by code units, serialised by hand. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.maxSafeInteger(),
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie("value"), { maxKeys: 6 }),
})).value;

describe("canonicalJson", () => {
  it("sorts keys by code units at every depth and escapes like JSON.stringify", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it("gives one text for objects that differ only in key order", () => {
    expect(canonicalJson({ b: { y: 1, x: [2, { d: "\n", c: null }] }, a: "é" })).toBe(
      canonicalJson({ a: "é", b: { x: [2, { c: null, d: "\n" }], y: 1 } }),
    );
    expect(canonicalJson({ "10": 1, "2": 2, $: 3, "a b": 4, undefinedSkipped: undefined })).toBe(
      '{"$":3,"10":1,"2":2,"a b":4}',
    );
  });

  it("refuses values the journal never holds", () => {
    expect(() => canonicalJson(1.5)).toThrow(/safe integers/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });
});
