/**
 * Command request lines, read as a stream: `apply` holds one batch of lines in memory, never
 * the file, so a 10M-line file runs in constant memory. A line longer than the bound is not
 * buffered either: its bytes are counted and dropped, and it comes out as `oversized`, so the
 * caller can refuse that one line and go on.
 */

export type RawLine =
  | { readonly _tag: "Text"; readonly number: number; readonly text: string }
  | { readonly _tag: "Oversized"; readonly number: number; readonly bytes: number };

const NEWLINE = 0x0a;

/** Splits a byte stream into lines; yields the lines each chunk completed, with bytes read so far. */
export async function* requestLines(
  input: AsyncIterable<Buffer | string>,
  lineBytesMax: number,
): AsyncGenerator<{ readonly lines: readonly RawLine[]; readonly bytesRead: number }> {
  let pieces: Buffer[] = [];
  let lineBytes = 0;
  let number = 1;
  let bytesRead = 0;
  const take = (piece: Buffer) => {
    lineBytes += piece.length;
    if (lineBytes <= lineBytesMax) pieces.push(piece);
    else pieces = [];
  };
  const finish = (): RawLine => {
    const line: RawLine =
      lineBytes > lineBytesMax
        ? { _tag: "Oversized", number, bytes: lineBytes }
        : { _tag: "Text", number, text: Buffer.concat(pieces).toString("utf8") };
    pieces = [];
    lineBytes = 0;
    number += 1;
    return line;
  };
  for await (const data of input) {
    const chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    bytesRead += chunk.length;
    const lines: RawLine[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      take(chunk.subarray(start, end));
      lines.push(finish());
      start = end + 1;
    }
    if (start < chunk.length) take(chunk.subarray(start));
    yield { lines, bytesRead };
  }
  if (lineBytes > 0) yield { lines: [finish()], bytesRead };
}
