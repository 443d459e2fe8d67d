/**
 * A progress line on stderr (items done, items/s, and a bar when the total is known), only
 * when stderr is a terminal, so piped and captured output stays clean. Redrawn at most every
 * 100 ms. The bar follows `position` of `total` when the two differ from the count (`apply`
 * counts lines but knows its input's size in bytes).
 */
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 30;

export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number | undefined,
    private readonly label: string,
    stream: NodeJS.WriteStream = process.stderr,
    private readonly unit: string = "events",
  ) {
    this.enabled = stream.isTTY === true;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  update(done: number, position?: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(done / seconds).toLocaleString("en-US");
    let bar = "";
    if (this.total !== undefined && this.total > 0) {
      const at = position ?? done;
      const filled = Math.min(BAR_WIDTH, Math.round((at / this.total) * BAR_WIDTH));
      const count =
        position === undefined
          ? `${done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")}`
          : `${Math.min(100, Math.floor((at / this.total) * 100))}% ${done.toLocaleString("en-US")}`;
      bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${count} `;
    } else {
      bar = `${done.toLocaleString("en-US")} `;
    }
    this.stream.write(`\r${this.label} ${bar}${this.unit}, ${rate} ${this.unit}/s`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
  }
}
