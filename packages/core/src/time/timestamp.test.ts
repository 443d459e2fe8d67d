import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTimestamp, parseTimestamp } from "./timestamp.js";

describe("timestamp", () => {
  it("agrees with the platform's Date for any instant between 1970 and 9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (at) => {
        expect(formatTimestamp(at)).toBe(new Date(at).toISOString());
        expect(parseTimestamp(new Date(at).toISOString())).toBe(at);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    "2026-02-29T00:00:00.000Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01 10:00:00Z",
    "2026-01-01T10:00:00+01:00",
    "",
  ])("rejects %j", (text) => expect(parseTimestamp(text)).toBeUndefined());

  it("accepts a leap day and omitted milliseconds", () => {
    expect(parseTimestamp("2024-02-29T12:00:00Z")).toBe(Date.UTC(2024, 1, 29, 12));
  });
});

describe("the timestamp forms docs/reference/commands.md documents", () => {
  it("accepts no fraction or one to three fraction digits, and always writes three back", () => {
    const cases: [string, string][] = [
      ["2026-11-25T10:00:00Z", "2026-11-25T10:00:00.000Z"],
      ["2026-11-25T10:00:00.5Z", "2026-11-25T10:00:00.500Z"],
      ["2026-11-25T10:00:00.05Z", "2026-11-25T10:00:00.050Z"],
      ["2026-11-25T10:00:00.123Z", "2026-11-25T10:00:00.123Z"],
    ];
    for (const [text, canonical] of cases) {
      const at = parseTimestamp(text);
      expect(at, text).toBeDefined();
      expect(formatTimestamp(at ?? 0)).toBe(canonical);
    }
  });
  it("refuses what the docs list as refused", () => {
    for (const text of [
      "2026-02-30T00:00:00Z",
      "2026-11-25T24:00:00Z",
      "2026-11-25T10:00:60Z",
      "2026-11-25T10:00:00.1234Z",
      "2026-11-25T10:00:00z",
      "2026-11-25T10:00:00+01:00",
      "2026-11-25T10:00:00",
      "2026-11-25 10:00:00Z",
      "12026-11-25T10:00:00Z",
    ]) {
      expect(parseTimestamp(text), text).toBeUndefined();
    }
  });
});
