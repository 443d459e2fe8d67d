import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nestingDepth, REQUEST_DEPTH_MAX, requestOfLine } from "./request-line.js";
import { requestLines, type RawLine } from "./request-lines.js";

/** Depth of a parsed JSON value, counted as the scanner counts brackets. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === "object" && value !== null)
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

async function linesOf(chunks: readonly string[], max: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  async function* source() {
    yield* chunks.map((chunk) => Buffer.from(chunk, "utf8"));
  }
  for await (const { lines } of requestLines(source(), max)) out.push(...lines);
  return out;
}

describe("request lines", () => {
  it("the depth scan agrees with the parsed value, brackets inside strings and escapes included", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        expect(nestingDepth(text)).toBe(depthOf(JSON.parse(text)));
      }),
    );
    expect(nestingDepth('{"a":"[[[\\"[[","b":[1]}')).toBe(2);
  });

  it("splits lines across chunks at any cut, and drops an over-long line without buffering it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ maxLength: 40 }).map((text) => text.replace(/\n/g, " ")),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (lines, cuts) => {
          const text = `${lines.join("\n")}\n`;
          const points = [...new Set(cuts.map((cut) => cut % text.length))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((start, index) =>
            text.slice(start, [...points, text.length][index]),
          );
          const read = await linesOf(chunks, 30);
          expect(read.map((line) => line.number)).toEqual(lines.map((_, index) => index + 1));
          read.forEach((line, index) => {
            const bytes = Buffer.byteLength(lines[index] ?? "", "utf8");
            if (bytes > 30) expect(line).toEqual({ _tag: "Oversized", number: index + 1, bytes });
            else expect(line).toEqual({ _tag: "Text", number: index + 1, text: lines[index] });
          });
        },
      ),
    );
  });

  it("refuses a line one level past the bound and reads one at it", () => {
    const at = `${"[".repeat(REQUEST_DEPTH_MAX)}${"]".repeat(REQUEST_DEPTH_MAX)}`;
    expect(requestOfLine({ _tag: "Text", number: 1, text: at })._tag).toBe("Request");
    expect(requestOfLine({ _tag: "Text", number: 1, text: `[${at}]` })).toMatchObject({
      _tag: "Refused",
      issue: { path: "", expected: `JSON nested at most ${REQUEST_DEPTH_MAX} levels deep` },
    });
    expect(requestOfLine({ _tag: "Text", number: 1, text: "  \r" })).toEqual({ _tag: "Blank" });
  });
});
