/**
 * Time-driven work: the commands that ledger time makes due (an open hold past its deadline
 * expires). The core stays pure: the engine's clock calls `dueCommands(state, now)` and
 * sends what it returns as ordinary commands, so a test clock drives it deterministically.
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";

export interface DueCommand {
  /** Deterministic, so two engines (or a retry) derive the same idempotency key. */
  readonly idempotencyKey: string;
  readonly command: LedgerCommand;
}

export const DUE_COMMANDS_MAX = 1000;

export function dueCommands(state: LedgerState, now: Timestamp, limit: number = DUE_COMMANDS_MAX): DueCommand[] {
  const due: DueCommand[] = [];
  for (const hold of state.holds.values()) {
    if (due.length >= limit) break;
    if (hold.status === "open" && hold.expiresAt <= now) {
      due.push({ idempotencyKey: `expire-hold:${hold.id}`, command: { type: "ExpireHold", holdId: hold.id } });
    }
  }
  return due;
}
