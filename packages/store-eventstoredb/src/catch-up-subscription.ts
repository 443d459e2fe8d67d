/**
 * A catch-up subscription to `$all` that survives drops: the port's `subscribe`.
 *
 * The server delivers a `$all` subscription as one gRPC stream: the events after the start
 * position (catch-up), then new events as they are committed (live). The stream ends when the
 * connection drops, the node restarts, the leader changes, or the subscriber falls too far
 * behind. The clients do not resubscribe by themselves, so this class does: it remembers the
 * position of the last event it delivered and, after a drop, subscribes again from there, with
 * a bounded number of consecutive attempts and a growing delay between them.
 *
 * Delivery is at least once and in order: an event at or before the last delivered position
 * is skipped (a server may replay the boundary after a resubscribe), and the handler finishes
 * one event before the next is read (the client's stream applies backpressure meanwhile).
 *
 * A handler that throws ends the subscription and is reported to `onError` as it was thrown
 * (it is not a transport failure, resubscribing would only throw again). Running out of
 * resubscribe attempts is reported as a retryable `StoreError`.
 */
import {
  StoreError,
  type EventHandler,
  type Position,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from "@pacioli/engine";
import type {
  ClientApi,
  ClientFilter,
  ClientResolvedEvent,
  ClientSubscription,
} from "./client-api.js";
import { decodePosition } from "./global-position.js";

export interface ResubscribeLimits {
  /** Consecutive failed (re)subscribe attempts before giving up (reset by every delivery). */
  readonly resubscribeAttemptsMax: number;
  /** Delay before the first resubscribe; doubles on each consecutive failure. */
  readonly resubscribeDelayMs: number;
  /** Ceiling for the delay. */
  readonly resubscribeDelayMsMax: number;
}

class HandlerFailure {
  constructor(readonly error: unknown) {}
}

export class CatchUpSubscription implements Subscription {
  #closed = false;
  #current: ClientSubscription | null = null;
  #cursor: Position | null;
  #wakeFromDelay: (() => void) | null = null;
  readonly #done: Promise<void>;
  /** How many times the subscription was (re)opened; for tests and operators' metrics. */
  subscribeCount = 0;

  constructor(
    private readonly client: ClientApi,
    after: Position | null,
    private readonly filter: ClientFilter,
    private readonly toStoredEvent: (resolved: ClientResolvedEvent) => StoredEvent | null,
    private readonly handler: EventHandler,
    private readonly options: SubscribeOptions,
    private readonly limits: ResubscribeLimits,
    private readonly onEnd: () => void,
  ) {
    this.#cursor = after;
    this.#done = this.#run().then(
      () => this.onEnd(),
      (error: unknown) => this.#fail(error),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeFromDelay?.();
    await this.#current?.unsubscribe().catch(() => undefined);
    await this.#done.catch(() => undefined);
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      try {
        const delivered = await this.#consumeOnce();
        if (delivered > 0) failures = 0;
      } catch (error) {
        if (error instanceof HandlerFailure) throw error;
        if (this.#closed) return;
        failures += 1;
        if (failures > this.limits.resubscribeAttemptsMax) {
          throw new StoreError(
            `$all subscription dropped ${failures} times in a row; giving up`,
            true,
            { cause: error },
          );
        }
      }
      if (this.#closed) return;
      // The stream ended (dropped or finished by the server): wait, then resubscribe from the cursor.
      const delay = Math.min(
        this.limits.resubscribeDelayMs * 2 ** Math.max(0, failures - 1),
        this.limits.resubscribeDelayMsMax,
      );
      await this.#sleep(delay);
    }
  }

  /** One gRPC subscription, from the cursor until it ends; returns how many events it delivered. */
  async #consumeOnce(): Promise<number> {
    const subscription = this.client.subscribeToAll({
      fromPosition: this.#cursor === null ? "start" : decodePosition(this.#cursor),
      filter: this.filter,
    });
    this.#current = subscription;
    this.subscribeCount += 1;
    let delivered = 0;
    try {
      for await (const resolved of subscription) {
        if (this.#closed) break;
        const event = this.toStoredEvent(resolved);
        if (event === null) continue;
        // At least once, never backwards: skip what was already delivered.
        if (this.#cursor !== null && event.position <= this.#cursor) continue;
        try {
          await this.handler(event);
        } catch (error) {
          throw new HandlerFailure(error);
        }
        this.#cursor = event.position;
        delivered += 1;
      }
    } finally {
      this.#current = null;
      await subscription.unsubscribe().catch(() => undefined);
    }
    return delivered;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wakeFromDelay = null;
        resolve();
      }, ms);
      this.#wakeFromDelay = () => {
        clearTimeout(timer);
        this.#wakeFromDelay = null;
        resolve();
      };
    });
  }

  #fail(error: unknown): void {
    this.onEnd();
    if (this.#closed) return;
    const reported = error instanceof HandlerFailure ? error.error : error;
    // Without an error handler a failure must not vanish: rethrow (an unhandled rejection).
    if (this.options.onError === undefined) throw reported;
    this.options.onError(reported);
  }
}
