/**
 * What every benchmark workload is: commands for Pacioli and, for the same requests, the
 * postings a hand-written ceiling applies, all generated from a seed so that a run can be
 * repeated exactly.
 *
 * A workload has a `setup` part (wallets opened and funded, merchants registered), run once
 * and not timed, and `segments` of timed commands. Segments run one after another on the
 * same growing state: a benchmark "run" is one segment, so five runs also show whether
 * throughput falls as history grows.
 *
 * The ceiling sees the same money movements as `CeilingOp`s: legs that move an amount from
 * one account to another, and the overdraft check Pacioli applies (the paying wallet or
 * merchant may not go below zero). Ops belong to a flow (a checkout and its capture, release and
 * refunds); once a flow's opening op is refused, its later ops are skipped, as Pacioli
 * refuses them with `HoldNotFound` / `OrderNotFound`.
 */
import type { LedgerCommand } from "@pacioli/core";

/** One money movement, natural sign: `from` loses `amount`, `to` gains it. Keys are `account|currency`. */
export interface Leg {
  readonly fromKey: string;
  readonly toKey: string;
  readonly amount: bigint;
}

export interface CeilingOp {
  /** Flow the op belongs to (-1: none). */
  readonly flow: number;
  /** A refused opening op kills its flow. */
  readonly opensFlow: boolean;
  /** The overdraft check: refuse the op when this balance is below `checkAmount` (undefined: no check). */
  readonly checkKey: string | undefined;
  readonly checkAmount: bigint;
  readonly legs: readonly Leg[];
}

export interface Segment {
  readonly commands: readonly LedgerCommand[];
  readonly ceiling: readonly CeilingOp[];
}

export interface Workload {
  readonly name: WorkloadName;
  /** Human description of the topology and sizes, for RESULTS.md. */
  readonly description: string;
  readonly setup: Segment;
  readonly segments: readonly Segment[];
}

export const WORKLOAD_NAMES = ["p2p", "checkout", "refunds-disputes", "fx", "mixed"] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export interface WorkloadSize {
  readonly wallets: number;
  readonly merchants: number;
  readonly commandsPerSegment: number;
  readonly segments: number;
  readonly seed: number;
}

/**
 * A small, fast, seedable generator (mulberry32): the workload must be identical from run to
 * run and machine to machine, which `Math.random` does not promise.
 */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }
  /** Two different integers in [0, bound). */
  pair(bound: number): [number, number] {
    const first = this.below(bound);
    let second = this.below(bound - 1);
    if (second >= first) second += 1;
    return [first, second];
  }
}

/** The ceiling's key for an account's balance in a currency, built outside the timed region. */
export const balanceKey = (account: string, currency: string): string => `${account}|${currency}`;

export const leg = (from: string, to: string, currency: string, amount: bigint): Leg => ({
  fromKey: balanceKey(from, currency),
  toKey: balanceKey(to, currency),
  amount,
});

/** Far in the future, so holds never expire during a benchmark whatever the clock says. */
export const FAR_FUTURE_MS = Date.UTC(2100, 0, 1);
