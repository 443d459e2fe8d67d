/**
 * A progress line on stderr (events read, events/s), only when stderr is a terminal, so
 * piped and captured output stays clean. Redrawn at most every 100 ms.
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
  ) {
    this.enabled = stream.isTTY === true;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  update(done: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(done / seconds).toLocaleString("en-US");
    let bar = "";
    if (this.total !== undefined && this.total > 0) {
      const filled = Math.min(BAR_WIDTH, Math.round((done / this.total) * BAR_WIDTH));
      bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} `;
    } else {
      bar = `${done.toLocaleString("en-US")} `;
    }
    this.stream.write(`\r${this.label} ${bar}events, ${rate} events/s`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
  }
}
