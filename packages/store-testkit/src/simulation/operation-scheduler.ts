/**
 * Store operations waiting for the simulator to let them happen. The simulated store never
 * completes anything on its own: each operation (or phase of one: an append's write, then
 * its sync and reply) waits here until the simulator picks it, at random among those
 * pending, so operations are delayed and reordered with other work, deterministically.
 *
 * A crash drops the crashed generation's operations: their promises never settle, as for a
 * process that is gone.
 */
import type { Prng } from "./prng.js";

export interface PendingOperation {
  readonly generation: number;
  /** What the trace records when it runs ("append w", "read", "sync+reply", …). */
  readonly label: string;
  readonly run: () => void;
}

export class OperationScheduler {
  private readonly pending: PendingOperation[] = [];
  /** Labels of the operations run so far, in order, folded into the trace. */
  completed = 0;

  constructor(
    private readonly prng: Prng,
    private readonly onRun: (operation: PendingOperation) => void = () => undefined,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  enqueue(operation: PendingOperation): void {
    this.pending.push(operation);
  }

  /** Runs one pending operation chosen by the PRNG; false when none is pending. */
  runOne(): boolean {
    if (this.pending.length === 0) return false;
    const [operation] = this.pending.splice(this.prng.below(this.pending.length), 1);
    if (operation === undefined) throw new Error("invariant: a drawn index is inside the queue");
    this.completed += 1;
    this.onRun(operation);
    operation.run();
    return true;
  }

  /** The process of `generation` is gone: what it had in flight never happens. */
  dropGeneration(generation: number): number {
    const before = this.pending.length;
    for (let index = this.pending.length - 1; index >= 0; index -= 1) {
      if (this.pending[index]?.generation === generation) this.pending.splice(index, 1);
    }
    return before - this.pending.length;
  }
}
