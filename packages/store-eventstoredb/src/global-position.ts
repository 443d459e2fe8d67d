/**
 * Global positions: EventStoreDB's `$all` position (commit, prepare) as the port's opaque,
 * lexicographically ordered string.
 *
 * `$all` is ordered by commit position, then prepare position. Both are unsigned 64-bit log
 * offsets, so each is written as 20 zero-padded decimal digits (2^64 - 1 has 20 digits) and
 * joined with "/": string order is then exactly (commit, prepare) order, and a position can be
 * decoded back to resume a read or a subscription. Positions are sparse (they are byte offsets
 * in the server's log), which the port allows.
 */
import type { Position } from "@pacioli/engine";

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

const digits = 20;
const uint64_max = (1n << 64n) - 1n;
const position_pattern = /^(\d{20})\/(\d{20})$/;

export function encodePosition(position: LogPosition): Position {
  for (const part of [position.commit, position.prepare]) {
    if (part < 0n || part > uint64_max) throw new RangeError(`log position out of range: ${part}`);
  }
  return `${position.commit.toString().padStart(digits, "0")}/${position.prepare.toString().padStart(digits, "0")}` as Position;
}

export function decodePosition(position: Position): LogPosition {
  const match = position_pattern.exec(position);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new RangeError(`not an EventStoreDB position: ${JSON.stringify(position)}`);
  }
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
