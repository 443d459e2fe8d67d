/**
 * Worker threads that prepare the audit's events (`audit-worker.ts`) while the main thread
 * folds. Batches go to the workers in turn and come back as promises the caller awaits in
 * stream order, so the fold never sees an event before the ones stored before it.
 *
 * The worker runs the built JavaScript (`dist/audit/audit-worker.js`); when this module runs
 * from its TypeScript source (the tests, under vitest), it points at the built sibling, which
 * `tsc -b` (part of the test command) writes.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CurrencyRegistry } from "@pacioli/core";
import type { AuditWorkerData, PrepareRequest, PrepareResponse } from "./audit-worker.js";
import type { PreparedEvent } from "./prepared-event.js";

interface Pending {
  readonly resolve: (prepared: readonly PreparedEvent[]) => void;
  readonly reject: (error: Error) => void;
}

export class PreparePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(count: number, registry: CurrencyRegistry) {
    const data: AuditWorkerData = { registry };
    for (let index = 0; index < count; index += 1) {
      const worker = new Worker(auditWorkerPath(), { workerData: data });
      worker.on("message", (response: PrepareResponse) => this.settle(response));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`an audit worker stopped with exit code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  /** Prepares the payloads stored from `firstPosition` on, on the next worker in turn. */
  prepare(firstPosition: number, payloads: readonly string[]): Promise<readonly PreparedEvent[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    const request: PrepareRequest = { id, firstPosition, payloads };
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const worker of workers) worker.removeAllListeners("exit");
    await Promise.all(workers.map((worker) => worker.terminate()));
    this.fail(new Error("the audit's worker pool is closed"));
  }

  private settle(response: PrepareResponse): void {
    const pending = this.pending.get(response.id);
    this.pending.delete(response.id);
    pending?.resolve(response.prepared);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** The built worker script beside this module, or beside its source's built twin. */
function auditWorkerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = here.replace(/\.ts$/, ".js").replace(/prepare-pool\.js$/, "audit-worker.js");
  if (!here.endsWith(".ts")) return beside;
  const built = beside.replace(/([\\/])src([\\/]audit[\\/])/, "$1dist$2");
  if (!existsSync(built))
    throw new Error(`the audit worker ${built} is not built: run \`tsc -b\` first`);
  return built;
}
