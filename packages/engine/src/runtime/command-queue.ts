/**
 * The writer's queue: commands wait here until the writer takes them, up to a batch at a
 * time, so that every caller who arrives while a batch is being decided or appended joins the
 * next group commit. One drain loop runs at a time; it is the only caller of `commit`.
 */
import { StoreError } from "../store/event-store.js";
import type { ExecuteResult } from "./execute-result.js";

export interface PendingCommand {
  /** A `CommandRequest` when `typed`, else untrusted JSON. */
  readonly request: unknown;
  readonly typed: boolean;
  readonly resolve: (result: ExecuteResult) => void;
  readonly reject: (error: unknown) => void;
}

export class CommandQueue {
  private readonly waiting: PendingCommand[] = [];
  /** Work for the writer's turn that is not a command (a reload after a failure). */
  private readonly chores: (() => Promise<void>)[] = [];
  private draining = false;
  private closed = false;

  constructor(
    private readonly batchMax: number,
    /** Decides, appends and answers one batch; may hand commands back with `returnToFront`. */
    private readonly commit: (batch: PendingCommand[]) => Promise<void>,
    /** A batch whose `commit` threw (a bug or an unreadable store): its callers get the error. */
    private readonly onCommitThrew: (batch: readonly PendingCommand[], error: unknown) => void,
  ) {}

  enqueue(request: unknown, typed: boolean): Promise<ExecuteResult> {
    if (this.closed) return Promise.reject(new StoreError("the ledger is closed", false));
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, typed, resolve, reject });
      this.startDraining();
    });
  }

  /** Runs `chore` in the writer's turn, between two batches, never beside one. */
  schedule(chore: () => Promise<void>): void {
    if (this.closed) return;
    this.chores.push(chore);
    this.startDraining();
  }

  private startDraining(): void {
    if (this.draining) return;
    this.draining = true;
    // Let callers that are running now enqueue too: they join this group commit.
    setImmediate(() => void this.drain());
  }

  /** Commands a batch could not hold (its append would be too large): they go first next time. */
  returnToFront(commands: readonly PendingCommand[]): void {
    this.waiting.unshift(...commands);
  }

  /** Refuses new commands and resolves once the commands already queued are answered. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await new Promise((resolve) => setImmediate(resolve));
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0 || this.chores.length > 0) {
        if (this.chores.length > 0)
          for (const chore of this.chores.splice(0)) await chore().catch(() => undefined);
        if (this.waiting.length === 0) continue;
        const batch = this.waiting.splice(0, this.batchMax);
        try {
          await this.commit(batch);
        } catch (error) {
          // Nobody awaits `drain`: the callers get the error instead of waiting forever
          // behind an unhandled rejection.
          this.onCommitThrew(batch, error);
        }
        // Callers acknowledged just now send their next commands in microtasks, so the queue
        // may never empty: let the event loop turn between batches (I/O, timers, the snapshot
        // follower), and let more callers join the next group commit.
        if (this.waiting.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }
}
