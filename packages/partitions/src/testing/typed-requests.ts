/**
 * Typed command requests (bigint amounts in USD) for the partitions' tests: a request with a
 * fresh key unless one is given, and a transfer between two wallets.
 */
import type { CommandRequest, LedgerCommand } from "@pacioli/core";

let keys = 0;

export const request = (command: LedgerCommand, idempotencyKey = `k${++keys}`): CommandRequest => ({
  idempotencyKey,
  command,
});

export const usd = (amount: bigint) => ({ currency: "USD", amount });

export const transfer = (
  transferId: string,
  from: string,
  to: string,
  amount: bigint,
): LedgerCommand => ({
  type: "TransferFunds",
  transferId,
  fromWalletId: from,
  toWalletId: to,
  amount: usd(amount),
});

/** Opens a wallet per id (owned by its id), then deposits what `funding` gives each by card. */
export async function openFundedWallets(
  ledger: { execute(request: CommandRequest): Promise<unknown> },
  walletIds: readonly string[],
  funding: Readonly<Record<string, bigint>>,
): Promise<void> {
  for (const id of walletIds)
    await ledger.execute(request({ type: "OpenWallet", walletId: id, ownerId: id }));
  for (const [walletId, amount] of Object.entries(funding))
    await ledger.execute(
      request({ type: "DepositFunds", walletId, amount: usd(amount), channel: "card" }),
    );
}
