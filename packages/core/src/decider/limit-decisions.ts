/** Decisions that configure limits and risk rules: tiers, assignments, velocity, strong authentication. */
import type { CommandOf } from "../commands/ledger-command.js";
import type { Rejection } from "../rejections/rejection.js";
import type { LedgerState } from "../state/ledger-state.js";
import { VELOCITY_WINDOW_MS_MAX } from "../state/risk-state.js";
import { fact, rejected, type Decide } from "./decision.js";
import { checkCreditable, checkMoney, findWallet, isRejection } from "./guards.js";

/** One entry per currency, both limits in it, and a transaction never allowed more than a day. */
function checkLimits(
  state: LedgerState,
  command: CommandOf<"DefineVerificationTier">,
): Rejection | undefined {
  const seen = new Set<string>();
  for (const { perTransaction, perDay } of command.limits) {
    const invalid = checkMoney(state, perTransaction) ?? checkMoney(state, perDay);
    if (invalid !== undefined) return invalid;
    const currency = perDay.currency;
    if (
      perTransaction.currency !== currency ||
      seen.has(currency) ||
      perTransaction.amount > perDay.amount
    ) {
      return { _tag: "SpendingLimitsInconsistent", tierId: command.tierId, currency };
    }
    seen.add(currency);
  }
  return undefined;
}

export const defineVerificationTier: Decide<"DefineVerificationTier"> = (state, command) => {
  const invalid = checkLimits(state, command);
  if (invalid !== undefined) return rejected(invalid);
  return fact({ type: "VerificationTierDefined", tierId: command.tierId, limits: command.limits });
};

export const assignVerificationTier: Decide<"AssignVerificationTier"> = (state, command) => {
  const wallet = findWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const blocked =
    checkCreditable(wallet) ??
    (state.risk.tiers.has(command.tierId)
      ? undefined
      : ({ _tag: "VerificationTierNotFound", tierId: command.tierId } as const));
  if (blocked !== undefined) return rejected(blocked);
  return fact({ type: "VerificationTierAssigned", walletId: wallet.id, tierId: command.tierId });
};

export const setVelocityRule: Decide<"SetVelocityRule"> = (state, command) => {
  const { windowMs, paymentCountMax, valueMax } = command;
  const windowValid =
    Number.isSafeInteger(windowMs) && windowMs > 0 && windowMs <= VELOCITY_WINDOW_MS_MAX;
  if (!windowValid || !Number.isSafeInteger(paymentCountMax) || paymentCountMax <= 0) {
    return rejected({
      _tag: "VelocityRuleInvalid",
      windowMs,
      paymentCountMax,
      windowMsMax: VELOCITY_WINDOW_MS_MAX,
    });
  }
  for (const money of command.valueMax) {
    const invalid = checkMoney(state, money);
    if (invalid !== undefined) return rejected(invalid);
  }
  return fact({ type: "VelocityRuleSet", windowMs, paymentCountMax, valueMax });
};

/** A zero threshold asks for strong authentication on every payment in that currency. */
export const setStrongAuthenticationThreshold: Decide<"SetStrongAuthenticationThreshold"> = (
  state,
  command,
) => {
  const { threshold } = command;
  if (!state.registry.has(threshold.currency))
    return rejected({ _tag: "CurrencyUnknown", currency: threshold.currency });
  if (threshold.amount < 0n)
    return rejected({ _tag: "AmountNotPositive", amount: threshold.amount });
  return fact({ type: "StrongAuthenticationThresholdSet", threshold });
};
