/**
 * The simulation's only source of randomness: SplitMix32 (Steele, Lea and Flood's SplitMix,
 * 32-bit variant), seeded with one integer. Every choice the simulator makes (which client
 * acts, which command, which fault, which pending store operation completes next) is drawn
 * from here, so one seed names one run exactly. Never `Math.random`.
 */

export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`a seed is an integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform number in [0, 1) (for a test that draws times or shares). */
  fraction(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** A uniform integer in [0, bound). */
  below(bound: number): number {
    if (!Number.isSafeInteger(bound) || bound < 1)
      throw new RangeError(`a bound is a positive integer, got ${bound}`);
    return this.nextUint32() % bound;
  }

  /** True with probability `numerator / denominator`. */
  chance(numerator: number, denominator: number): boolean {
    return this.below(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from nothing");
    return items[this.below(items.length)] as T;
  }

  /** One of the choices, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [weight: number, value: T])[]): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let draw = this.below(total);
    for (const [weight, value] of choices) {
      if (draw < weight) return value;
      draw -= weight;
    }
    throw new Error("invariant: a weighted draw falls inside the total");
  }
}
