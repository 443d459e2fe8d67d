/**
 * The crash test's workload: command number `index` is a pure function of `index`, so a
 * restarted child re-sends exactly the request it may have sent before the kill (same key,
 * same payload), which is what a well-behaved client retrying after a crash does.
 *
 * Ten wallets are opened and funded first; then deposits, withdrawals, transfers and holds
 * (placed, captured, released) with amounts chosen so that some commands are refused for
 * insufficient funds: the ledger's guard against overspending is exercised, not avoided.
 */
import type { CommandRequestJson } from "@pacioli/engine";

export const CRASH_WALLETS = 10;
export const CRASH_STREAM = "ledger-main";
/** Commands sent concurrently by the child at most (one group commit, usually). */
export const CRASH_WAVE_MAX = 32;
/** Far in the future, so holds end by capture or release, not by the wall clock. */
const HOLD_EXPIRES_AT = "2099-01-01T00:00:00.000Z";

export const crashKey = (index: number): string => `crash-${index}`;

/** A small deterministic hash of the index (so no state is needed to rebuild a command). */
function mix(index: number, salt: number): number {
  let x = Math.imul(index ^ 0x9e3779b9, 0x85ebca6b) ^ salt;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const wallet = (index: number, salt: number): string => `w${mix(index, salt) % CRASH_WALLETS}`;
const usd = (units: number): { currency: string; amount: string } => ({
  currency: "USD",
  amount: `${units}.${String(units % 100).padStart(2, "0")}`,
});

/** A deposit by card or a withdrawal to the bank of `units` dollars. */
function cashMovement(
  idempotencyKey: string,
  type: "DepositFunds" | "WithdrawFunds",
  walletId: string,
  units: number,
): CommandRequestJson {
  const channel = type === "DepositFunds" ? "card" : "bank";
  return { idempotencyKey, command: { type, walletId, amount: usd(units), channel } };
}

export function crashCommand(index: number): CommandRequestJson {
  const idempotencyKey = crashKey(index);
  if (index < CRASH_WALLETS)
    return {
      idempotencyKey,
      command: { type: "OpenWallet", walletId: `w${index}`, ownerId: `owner-${index}` },
    };
  if (index < 2 * CRASH_WALLETS) {
    return cashMovement(idempotencyKey, "DepositFunds", `w${index - CRASH_WALLETS}`, 300);
  }
  const roll = mix(index, 1) % 100;
  const units = 1 + (mix(index, 2) % 60);
  if (roll < 15) return cashMovement(idempotencyKey, "DepositFunds", wallet(index, 3), units);
  if (roll < 25) return cashMovement(idempotencyKey, "WithdrawFunds", wallet(index, 3), units);
  if (roll < 60) {
    const from = wallet(index, 3);
    const to = `w${(Number(from.slice(1)) + 1 + (mix(index, 4) % (CRASH_WALLETS - 1))) % CRASH_WALLETS}`;
    return {
      idempotencyKey,
      command: {
        type: "TransferFunds",
        transferId: `t${index}`,
        fromWalletId: from,
        toWalletId: to,
        amount: usd(units),
      },
    };
  }
  if (roll < 80) {
    return {
      idempotencyKey,
      command: {
        type: "PlaceHold",
        holdId: `h${index}`,
        walletId: wallet(index, 3),
        merchantId: "m1",
        amount: usd(units),
        expiresAt: HOLD_EXPIRES_AT,
      },
    };
  }
  // Settle a hold placed a little earlier (it may not exist, or be settled already: refused).
  const holdIndex = index - 1 - (mix(index, 5) % 40);
  if (roll < 92)
    return {
      idempotencyKey,
      command: {
        type: "CaptureHold",
        holdId: `h${holdIndex}`,
        amount: usd(1 + (mix(index, 6) % 20)),
        final: mix(index, 7) % 2 === 0,
      },
    };
  return { idempotencyKey, command: { type: "ReleaseHold", holdId: `h${holdIndex}` } };
}
