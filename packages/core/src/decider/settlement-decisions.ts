/**
 * Settlements: money in flight in `assets:clearing:{channel}` arrives in (or leaves) the
 * platform's bank account `assets:bank:{channel}`. `in` debits the bank and credits clearing
 * (a card processor paid out what wallets topped up); `out` the reverse (the bank sent a
 * payout or a withdrawal). Matching against the file is done before, outside the decider
 * (`reconcileClearing`); the decision only refuses a settlement id used twice.
 */
import { bankAccount, clearingAccount } from "../ledger/account.js";
import { move, type Posting } from "../ledger/posting.js";
import { accepted, rejected, type Decide } from "./decision.js";
import { checkMoney } from "./guards.js";

export const recordSettlement: Decide<"RecordSettlement"> = (state, command) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  const { settlementId, channel, reference, direction, amount } = command;
  if (state.settlements.has(settlementId))
    return rejected({ _tag: "SettlementAlreadyExists", settlementId });
  return accepted({
    type: "SettlementRecorded",
    settlementId,
    channel,
    reference,
    direction,
    amount,
    postings: settlementLegs(channel, direction, amount),
  });
};

export function settlementLegs(
  channel: string,
  direction: "in" | "out",
  amount: { readonly currency: string; readonly amount: bigint },
): Posting[] {
  const [bank, clearing] = [bankAccount(channel), clearingAccount(channel)];
  return direction === "in"
    ? move(bank, clearing, amount.currency, amount.amount)
    : move(clearing, bank, amount.currency, amount.amount);
}
