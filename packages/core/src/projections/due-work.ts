/**
 * Time-driven work: the commands that ledger time makes due (an open hold past its deadline
 * expires; an order's escrow is released once its protection window has passed; a payout's
 * reserve returns to the merchant once its hold period has passed). The core
 * stays pure: the engine's clock calls `dueCommands(state, now)` and sends what it returns as ordinary commands, so a test clock drives it deterministically.
 */
import type { LedgerCommand } from "../commands/ledger-command.js";
import { escrowBalanceOf } from "../state/checkout-state.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";

export interface DueCommand {
  /** Deterministic, so two engines (or a retry) derive the same idempotency key. */
  readonly idempotencyKey: string;
  readonly command: LedgerCommand;
}

export const DUE_COMMANDS_MAX = 1000;

export function dueCommands(
  state: LedgerState,
  now: Timestamp,
  limit: number = DUE_COMMANDS_MAX,
): DueCommand[] {
  const due: DueCommand[] = [];
  for (const source of [dueHoldExpiries, dueEscrowReleases, dueReserveReleases]) {
    for (const command of source(state, now)) {
      if (due.length >= limit) return due;
      due.push(command);
    }
  }
  return due;
}

/** Open holds past their deadline (one key per hold). */
function* dueHoldExpiries(state: LedgerState, now: Timestamp): Generator<DueCommand> {
  for (const hold of state.holds.values()) {
    if (hold.status !== "open" || hold.expiresAt > now) continue;
    yield {
      idempotencyKey: `expire-hold:${hold.id}`,
      command: { type: "ExpireHold", holdId: hold.id },
    };
  }
}

/**
 * Orders whose protection window has passed with money in escrow and no open dispute. The
 * key names the order and its captured total, so a later capture released after the first
 * release gets a key of its own while a retry of the same release gets the same key.
 */
function* dueEscrowReleases(state: LedgerState, now: Timestamp): Generator<DueCommand> {
  for (const order of state.orders.values()) {
    if (
      order.protectionEndsAt === undefined ||
      order.protectionEndsAt > now ||
      order.openDisputeId !== undefined
    )
      continue;
    const hold = state.holds.get(order.holdId);
    if (hold === undefined || escrowBalanceOf(order, hold) <= 0n) continue;
    yield {
      idempotencyKey: `release-escrow:${order.id}:${hold.captured}`,
      command: { type: "ReleaseEscrow", orderId: order.id },
    };
  }
}

/** Payouts whose reserve is still held past its release time (one key per payout). */
function* dueReserveReleases(state: LedgerState, now: Timestamp): Generator<DueCommand> {
  for (const payout of state.payouts.values()) {
    if (payout.reserveReleased || payout.reserveReleasesAt > now) continue;
    yield {
      idempotencyKey: `release-payout-reserve:${payout.id}`,
      command: { type: "ReleasePayoutReserve", payoutId: payout.id },
    };
  }
}
