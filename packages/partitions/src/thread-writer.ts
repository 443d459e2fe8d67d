/**
 * A partition's writer in a worker thread of its own (ADR 0025): the engine, its SQLite file
 * and its fsyncs live in the thread (`partition-thread.ts`); this side posts each call as a
 * message and resolves it with the answer. Several calls are in flight at once, so the
 * engine's group commit batches concurrent commands exactly as in one thread.
 *
 * When the thread ends for any reason (terminated, crashed, out of memory), every call not
 * yet answered is refused with `WriterUnavailable` — its command may or may not be durable,
 * which the caller's retry with the same key settles — and `stopped` becomes true; the
 * partitioned ledger then starts a new writer on the same file.
 */
import { Worker } from "node:worker_threads";
import type { CommandRequest, WalletBalance } from "@pacioli/core";
import type { ExecuteResult } from "@pacioli/engine";
import type { RecordedLeg } from "./clearing-legs.js";
import type { NamedEntity, Party } from "./command-parties.js";
import {
  WriterUnavailable,
  type KeyRecord,
  type PartitionWriter,
  type WalletStanding,
} from "./partition-writer.js";
import { partitionLedgerId, type PartitionIndex } from "./placement.js";

// ---------------------------------------------------------------------------------------------
// model

export interface ThreadWriterData {
  readonly path: string;
  readonly ledgerId: string;
  readonly snapshotEvery?: number;
}

interface Operations {
  readonly execute: [CommandRequest, ExecuteResult];
  readonly walletStanding: [string, WalletStanding | undefined];
  readonly hasTransferId: [string, boolean];
  readonly holdsEntity: [Party<NamedEntity>, boolean];
  readonly keyRecord: [{ readonly key: string; readonly now: number }, KeyRecord | undefined];
  readonly walletBalances: [string, WalletBalance[]];
  readonly recordedLegs: [undefined, RecordedLeg[]];
  readonly close: [undefined, undefined];
}
type Operation = keyof Operations;

export type ThreadRequest = {
  [K in Operation]: { readonly id: number; readonly op: K; readonly argument: Operations[K][0] };
}[Operation];

type ThreadReply =
  | { readonly ready: true }
  | { readonly failed: string }
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The compiled thread body. Under vitest this module runs from `src/*.ts`, where there is no
 * JavaScript to start a thread with, so it takes the built one in `dist/` (the test command
 * builds first, as the crash tests' child processes do).
 */
const THREAD_BODY = import.meta.url.endsWith(".ts")
  ? new URL("../dist/partition-thread.js", import.meta.url)
  : new URL("./partition-thread.js", import.meta.url);

// ---------------------------------------------------------------------------------------------
// the writer

export class ThreadWriter implements PartitionWriter {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private stopReason: string | undefined;
  private readonly stopListeners: Array<() => void> = [];

  private constructor(
    readonly partition: PartitionIndex,
    private readonly worker: Worker,
  ) {
    worker.on("message", (reply: ThreadReply) => this.settle(reply));
    worker.on("error", (error) => this.stop(`its thread failed: ${error.message}`));
    worker.on("exit", (code) => this.stop(`its thread exited (${code})`));
  }

  /** Starts the thread on the partition's file; resolves once its engine is open. */
  static start(
    partition: PartitionIndex,
    path: string,
    options: { readonly snapshotEvery?: number } = {},
  ): Promise<ThreadWriter> {
    const data: ThreadWriterData = { path, ledgerId: partitionLedgerId(partition), ...options };
    const worker = new Worker(THREAD_BODY, { workerData: data });
    return new Promise((resolve, reject) => {
      const opening = (reply: ThreadReply) => {
        if ("ready" in reply) resolve(new ThreadWriter(partition, worker));
        else if ("failed" in reply)
          reject(new WriterUnavailable(partition, `it did not open: ${reply.failed}`));
        else return;
        worker.off("message", opening);
        worker.off("exit", exited);
      };
      const exited = (code: number) =>
        reject(new WriterUnavailable(partition, `its thread exited (${code}) while opening`));
      worker.on("message", opening);
      worker.once("exit", exited);
    });
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /** Called once when the thread ends (the partitioned ledger starts a new writer). */
  onStop(listener: () => void): void {
    if (this.stopped) listener();
    else this.stopListeners.push(listener);
  }

  execute(request: CommandRequest): Promise<ExecuteResult> {
    return this.call("execute", request);
  }

  walletStanding(walletId: string): Promise<WalletStanding | undefined> {
    return this.call("walletStanding", walletId);
  }

  hasTransferId(transferId: string): Promise<boolean> {
    return this.call("hasTransferId", transferId);
  }

  holdsEntity(party: Party<NamedEntity>): Promise<boolean> {
    return this.call("holdsEntity", party);
  }

  keyRecord(key: string, now: number): Promise<KeyRecord | undefined> {
    return this.call("keyRecord", { key, now });
  }

  walletBalances(walletId: string): Promise<WalletBalance[]> {
    return this.call("walletBalances", walletId);
  }

  recordedLegs(): Promise<RecordedLeg[]> {
    return this.call("recordedLegs", undefined);
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.call("close", undefined);
    await new Promise<void>((resolve) => (this.stopped ? resolve() : this.onStop(resolve)));
  }

  /** Ends the thread at once, whatever it is doing (the crash tests' kill). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  // -------------------------------------------------------------------------------------------
  // utils

  private call<K extends Operation>(op: K, argument: Operations[K][0]): Promise<Operations[K][1]> {
    if (this.stopReason !== undefined)
      return Promise.reject(new WriterUnavailable(this.partition, this.stopReason));
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, op, argument });
    });
  }

  private settle(reply: ThreadReply): void {
    if (!("id" in reply)) return;
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return;
    this.waiting.delete(reply.id);
    if ("error" in reply) {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      waiting.reject(error);
    } else waiting.resolve(reply.value);
  }

  private stop(reason: string): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    for (const waiting of this.waiting.values())
      waiting.reject(new WriterUnavailable(this.partition, reason));
    this.waiting.clear();
    for (const listener of this.stopListeners.splice(0)) listener();
  }
}
