/**
 * Pacioli's core in memory: `execute(state, envelope)` (decide, record, evolve, balances and
 * the idempotency table) in a loop on one core, the single writer's step without I/O.
 *
 * Envelopes are built before the clock starts, digests included: in the engine the digest is
 * SHA-256 of the command's canonical JSON, computed at intake, and that cost is measured in
 * the engine benchmarks, not here. Here the digest is a SHA-256 of the command's JSON, also
 * precomputed, so the core sees realistic 64-character digests.
 */
import { createHash } from "node:crypto";
import { execute, type CommandEnvelope, type LedgerCommand, type LedgerState } from "@pacioli/core";

/** A fixed epoch for the core's envelopes (the core reads no clock: time arrives on them). */
export const CORE_EPOCH_MS = Date.UTC(2026, 0, 1);

const bigintAsText = (_key: string, value: unknown): unknown =>
  typeof value === "bigint" ? value.toString() : value;

export function envelopesFor(
  commands: readonly LedgerCommand[],
  keyPrefix: string,
  firstAt: number,
): CommandEnvelope[] {
  return commands.map((command, index) => ({
    commandId: `${keyPrefix}c${index}`,
    idempotencyKey: `${keyPrefix}k${index}`,
    digest: createHash("sha256").update(JSON.stringify(command, bigintAsText)).digest("hex"),
    // One millisecond apart: a day of 86.4M commands fits, and nothing expires meanwhile.
    at: firstAt + index,
    command,
  }));
}

export interface CoreRun {
  readonly accepted: number;
  readonly refused: number;
  readonly seconds: number;
}

/** The timed loop: nothing but `execute` inside it. */
export function runCore(state: LedgerState, envelopes: readonly CommandEnvelope[]): CoreRun {
  let accepted = 0;
  let refused = 0;
  const started = performance.now();
  for (let index = 0; index < envelopes.length; index += 1) {
    const outcome = execute(state, envelopes[index] as CommandEnvelope);
    if (outcome._tag === "Right") accepted += 1;
    else refused += 1;
  }
  return { accepted, refused, seconds: (performance.now() - started) / 1000 };
}

/** The core's balances in the ceiling's shape: `account|currency` → natural sign, zeros left out. */
export function naturalBalances(state: LedgerState): Map<string, bigint> {
  const result = new Map<string, bigint>();
  for (const [account, byCurrency] of state.balances) {
    for (const [currency, amount] of byCurrency)
      if (amount !== 0n) result.set(`${account}|${currency}`, -amount);
  }
  return result;
}

/** Differences between two balance maps (zeros ignored), at most `limit` of them, for messages. */
export function balanceDifferences(
  expected: ReadonlyMap<string, bigint>,
  actual: ReadonlyMap<string, bigint>,
  limit = 10,
): string[] {
  const differences: string[] = [];
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  for (const key of keys) {
    const left = expected.get(key) ?? 0n;
    const right = actual.get(key) ?? 0n;
    if (left !== right) differences.push(`${key}: ceiling ${left}, pacioli ${right}`);
    if (differences.length >= limit) break;
  }
  return differences;
}
