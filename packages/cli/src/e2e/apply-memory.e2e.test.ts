/**
 * `apply` streams its input: 256 MiB of command lines through a process whose heap is capped
 * at 48 MiB (reading the input whole, as a string or lines, needs more than five times that)
 * are read, each line answered, and the run ends with its summary. The lines are over the
 * 64 KiB bound, so each is refused as invalid without being buffered; a 10M-line file of
 * ordinary commands goes through the same reader, one batch of lines at a time.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, scratchDir } from "./run-cli.js";

const LINES = 256;
const LINE_BYTES = 1 << 20;

describe("pacioli apply on a large input", () => {
  it("reads 256 MiB of lines with a 48 MiB heap: every line answered, a summary, exit 0", async () => {
    const db = join(scratchDir(), "l.db");
    const child = spawn(
      process.execPath,
      ["--max-old-space-size=48", BIN, "apply", "--db", db, "-"],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    let answered = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) answered += 1;
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const line = Buffer.alloc(LINE_BYTES, 0x78);
    line[LINE_BYTES - 1] = 0x0a;
    for (let written = 0; written < LINES; written += 1)
      if (!child.stdin.write(line))
        await new Promise<void>((resolve) => child.stdin.once("drain", () => resolve()));
    child.stdin.end();
    expect(await exited, stderr).toBe(0);
    expect(answered).toBe(LINES);
    expect(stderr).toContain(
      `apply: ${LINES} lines: 0 accepted (0 repeated), 0 rejected, ${LINES} invalid`,
    );
  }, 120_000);
});
