/**
 * Statistics for benchmark figures: median and min–max over runs, and latency percentiles
 * from a histogram (log-linear buckets, ~1.5% resolution from 1 µs to over an hour), so
 * millions of samples cost a fixed few kilobytes and no sort.
 */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error("summarize: no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return {
    median,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    runs: sorted.length,
  };
}

/** Sub-buckets per power of two: 64 gives a worst-case relative error of 1/64. */
const SUB_BUCKETS = 64;
const POWERS_MAX = 42;

export class Histogram {
  private readonly counts = new Float64Array(POWERS_MAX * SUB_BUCKETS);
  private total = 0;
  private maxValue = 0;

  /** Records a value in microseconds (values below 1 count as 1). */
  record(microseconds: number): void {
    const value = Math.max(1, microseconds);
    const power = Math.min(POWERS_MAX - 1, Math.floor(Math.log2(value)));
    const base = 2 ** power;
    const sub = Math.min(SUB_BUCKETS - 1, Math.floor(((value - base) / base) * SUB_BUCKETS));
    const index = power * SUB_BUCKETS + sub;
    this.counts[index] = (this.counts[index] as number) + 1;
    this.total += 1;
    if (value > this.maxValue) this.maxValue = value;
  }

  get count(): number {
    return this.total;
  }

  /** The value at a percentile (0-100), as the upper edge of its bucket, in microseconds. */
  percentile(percent: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil((percent / 100) * this.total);
    let seen = 0;
    for (let index = 0; index < this.counts.length; index += 1) {
      seen += this.counts[index] as number;
      if (seen >= rank) {
        const power = Math.floor(index / SUB_BUCKETS);
        const sub = index % SUB_BUCKETS;
        const base = 2 ** power;
        return Math.min(this.maxValue, base + ((sub + 1) * base) / SUB_BUCKETS);
      }
    }
    return this.maxValue;
  }
}

/** Seconds since an arbitrary origin, at sub-microsecond resolution. */
export const nowSeconds = (): number => performance.now() / 1000;

/** Forces a full garbage collection when possible (see `enableGc`), so memory figures are live bytes. */
let collect: (() => void) | undefined;

export async function enableGc(): Promise<void> {
  const v8 = await import("node:v8");
  const vm = await import("node:vm");
  v8.setFlagsFromString("--expose-gc");
  collect = vm.runInNewContext("gc") as () => void;
}

export function collectGarbage(): void {
  collect?.();
  collect?.();
}
