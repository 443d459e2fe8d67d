/**
 * Programmer-error assertions for the money module.
 *
 * Bad input from outside (a malformed amount, an unknown currency code) is a value: an
 * `Either` with a tagged error. A broken precondition inside the program (dividing by zero,
 * a currency with a fractional exponent) is a bug, and carrying on would book wrong money,
 * so it stops the program here, as close to the cause as possible.
 */

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(`money: assertion failed: ${message}`);
  }
}
