/**
 * The engine's time source. The core never reads a clock; the engine stamps every command
 * with `clock.now()` (made monotonic per ledger), so a test clock drives expiry and escrow
 * release deterministically.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class TestClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
  set(at: number): void {
    this.current = at;
  }
}
