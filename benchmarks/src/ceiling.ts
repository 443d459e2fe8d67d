/**
 * The ceiling: the fastest this workload can go in this runtime. A hand-written loop over a
 * `Map` of bigint balances applying the same legs, with the same overdraft check, and
 * nothing else: no events, no idempotency, no history, no codec, no audit trail. Whatever
 * Pacioli does beyond this loop is the price of being a ledger.
 */
import type { CeilingOp } from "./workloads/workload.js";

export class Ceiling {
  /** `account|currency` → balance in its natural sign (a funded wallet is positive). */
  readonly balances = new Map<string, bigint>();
  private readonly deadFlows = new Set<number>();
  accepted = 0;
  refused = 0;

  apply(ops: readonly CeilingOp[]): void {
    const balances = this.balances;
    for (let index = 0; index < ops.length; index += 1) {
      const op = ops[index] as CeilingOp;
      if (op.flow >= 0 && this.deadFlows.has(op.flow)) {
        this.refused += 1;
        continue;
      }
      if (op.checkKey !== undefined && (balances.get(op.checkKey) ?? 0n) < op.checkAmount) {
        this.refused += 1;
        if (op.opensFlow) this.deadFlows.add(op.flow);
        continue;
      }
      for (const leg of op.legs) {
        balances.set(leg.fromKey, (balances.get(leg.fromKey) ?? 0n) - leg.amount);
        balances.set(leg.toKey, (balances.get(leg.toKey) ?? 0n) + leg.amount);
      }
      this.accepted += 1;
    }
  }
}
