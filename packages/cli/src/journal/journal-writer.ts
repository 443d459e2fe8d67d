/**
 * Buffered output to a file or stdout: exports write millions of lines, and one write per
 * line would spend the time in syscalls.
 */
import { createWriteStream } from "node:fs";

const FLUSH_BYTES = 1 << 16;

export class LineWriter {
  private buffer = "";
  private readonly target: NodeJS.WritableStream;

  constructor(path: string | undefined) {
    this.target = path === undefined ? process.stdout : createWriteStream(path, { encoding: "utf8" });
  }

  async line(text: string): Promise<void> {
    this.buffer += `${text}\n`;
    if (this.buffer.length >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = "";
    if (chunk !== "" && !this.target.write(chunk)) await new Promise<void>((resolve) => void this.target.once("drain", () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.target !== process.stdout) {
      const file = this.target;
      await new Promise<void>((resolve, reject) => {
        file.once("error", reject);
        file.end(() => resolve());
      });
    }
  }
}
