/**
 * Catch-up then live, by pulling pages from a store: the subscription every store built on
 * `readAll` can use (memory, SQLite).
 *
 * It reads from its cursor until the end of the log, then waits until the store notifies it
 * (an append through the same store object: immediate) or, when a poll interval is given,
 * until the interval passes (an append by another connection or process, which cannot
 * notify it). A notification that arrives while a page is read or handled is remembered, so
 * no append is missed. Events are handed over one at a time, in order; at least once.
 */
import type {
  EventHandler,
  Position,
  ReadAllPage,
  SubscribeOptions,
  Subscription,
} from "./event-store.js";

export interface PullSubscriptionOptions extends SubscribeOptions {
  /** Read again after this long even without a notification (other writers); none = wait. */
  readonly pollIntervalMs?: number;
}

export class PullSubscription implements Subscription {
  private closed = false;
  private pending = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly read: (after: Position | null) => Promise<ReadAllPage>,
    private readonly handler: EventHandler,
    private readonly options: PullSubscriptionOptions,
    private readonly onEnd: () => void,
  ) {}

  start(after: Position | null): void {
    this.done = this.run(after).then(this.onEnd, (error: unknown) => this.fail(error));
  }

  /** Something was appended: read again now. */
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
      if (page.isEnd) await this.nextNotification();
    }
  }

  private nextNotification(): Promise<void> {
    if (this.pending || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const interval = this.options.pollIntervalMs;
      const timer = interval === undefined ? undefined : setTimeout(() => this.wake?.(), interval);
      this.wake = () => {
        if (timer !== undefined) clearTimeout(timer);
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
