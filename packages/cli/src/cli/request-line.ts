/**
 * One line of `apply` input to a request the engine decodes, bounded at the edge: a line of
 * more than REQUEST_LINE_BYTES_MAX bytes or JSON nested deeper than REQUEST_DEPTH_MAX is
 * refused before `JSON.parse` builds it, so no line can exhaust the stack (a 5,000-deep
 * array used to crash the printing of its own `invalid` result) or the memory. Every
 * refusal is an `invalid` result for that line, in the engine's issue shape.
 */
import type { DecodeIssue } from "@pacioli/core";
import type { RawLine } from "./request-lines.js";

/** Bytes in one request line (UTF-8, without the line end). Field limits keep real requests far below. */
export const REQUEST_LINE_BYTES_MAX = 65_536;
/** Nesting of objects and arrays in one request; the deepest command needs 5. */
export const REQUEST_DEPTH_MAX = 32;
/** How much of a refused line an issue quotes. */
const QUOTE_CHARS_MAX = 120;

export type RequestLine =
  | { readonly _tag: "Blank" }
  | { readonly _tag: "Request"; readonly request: unknown }
  | { readonly _tag: "Refused"; readonly issue: DecodeIssue };

export function requestOfLine(line: RawLine): RequestLine {
  if (line._tag === "Oversized")
    return refused(
      `a request line of at most ${REQUEST_LINE_BYTES_MAX} bytes`,
      `a line of ${line.bytes} bytes`,
    );
  const text = line.text.trim();
  if (text === "") return { _tag: "Blank" };
  if (nestingDepth(text) > REQUEST_DEPTH_MAX)
    return refused(
      `JSON nested at most ${REQUEST_DEPTH_MAX} levels deep`,
      `${quote(text)} (nested deeper)`,
    );
  try {
    return { _tag: "Request", request: JSON.parse(text) as unknown };
  } catch (error) {
    return refused(`one JSON command request per line (${(error as Error).message})`, quote(text));
  }
}

/** The deepest nesting of `{` and `[` outside strings; stops counting once past the bound. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index += 1; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > REQUEST_DEPTH_MAX) return deepest;
    } else if (code === 0x7d || code === 0x5d) depth -= 1;
  }
  return deepest;
}

function refused(expected: string, actual: string): RequestLine {
  return { _tag: "Refused", issue: { path: "", expected, actual } };
}

function quote(text: string): string {
  return text.length <= QUOTE_CHARS_MAX ? text : `${text.slice(0, QUOTE_CHARS_MAX)}…`;
}
