/**
 * Catch-up then live, by pulling pages from the store.
 *
 * The subscription reads from its cursor until the end of the log, then waits until either
 * the store notifies it (an append through the same store object: immediate) or the poll
 * interval passes (an append by another connection or process, which cannot notify us).
 * A notification that arrives while a page is being read or handled is remembered, so no
 * append is missed. Events are handed over one at a time, in order; at least once.
 */
import type { EventHandler, Position, ReadAllPage, SubscribeOptions, Subscription } from "@pacioli/engine";

export class PollingSubscription implements Subscription {
  private closed = false;
  private pending = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly read: (after: Position | null) => Promise<ReadAllPage>,
    private readonly handler: EventHandler,
    private readonly options: SubscribeOptions & { readonly pollInterval_ms: number },
    private readonly onEnd: () => void,
  ) {}

  start(after: Position | null): void {
    this.done = this.run(after).then(this.onEnd, (error: unknown) => this.fail(error));
  }

  /** Something was appended: read again now rather than at the next poll. */
  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await this.done.catch(() => undefined);
  }

  private async run(after: Position | null): Promise<void> {
    let cursor = after;
    while (!this.closed) {
      this.pending = false;
      const page = await this.read(cursor);
      for (const event of page.events) {
        if (this.closed) return;
        await this.handler(event);
        cursor = event.position;
      }
      if (page.isEnd) await this.nextNotificationOrPoll();
    }
  }

  private nextNotificationOrPoll(): Promise<void> {
    if (this.pending || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), this.options.pollInterval_ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private fail(error: unknown): void {
    this.onEnd();
    if (this.closed) return;
    // Without an error handler the failure must not vanish: rethrow so it surfaces as an
    // unhandled rejection.
    if (this.options.onError === undefined) throw error;
    this.options.onError(error);
  }
}
