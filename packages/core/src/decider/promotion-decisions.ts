/** Decisions about promotions. Spending them happens at checkout (`checkout-funding.ts`). */
import type { CommandOf } from "../commands/ledger-command.js";
import { isBasisPoints } from "../codec/checkout-codecs.js";
import { BASIS_POINTS_PER_UNIT } from "../money/index.js";
import type { Rejection } from "../rejections/rejection.js";
import type { LedgerState } from "../state/ledger-state.js";
import { fact, rejected, type Decide } from "./decision.js";
import { checkMoney } from "./guards.js";

function checkDiscount(
  state: LedgerState,
  command: CommandOf<"CreatePromotion">,
): Rejection | undefined {
  const { discount, budget } = command;
  if (discount.kind === "percentage") {
    // A whole-price discount is not a promotion but a gift: refused like any rate out of range.
    const valid =
      isBasisPoints(discount.basisPoints) &&
      discount.basisPoints > 0 &&
      BigInt(discount.basisPoints) < BASIS_POINTS_PER_UNIT;
    return valid ? undefined : { _tag: "FeeRateOutOfRange", basisPoints: discount.basisPoints };
  }
  return (
    checkMoney(state, discount.amount) ??
    (discount.amount.currency === budget.currency
      ? undefined
      : { _tag: "CurrencyMismatch", expected: budget.currency, actual: discount.amount.currency })
  );
}

export const createPromotion: Decide<"CreatePromotion"> = (state, command) => {
  const invalid = checkMoney(state, command.budget) ?? checkDiscount(state, command);
  if (invalid !== undefined) return rejected(invalid);
  const { promotionId, discount, budget } = command;
  if (state.promotions.has(promotionId))
    return rejected({ _tag: "PromotionAlreadyExists", promotionId });
  return fact({ type: "PromotionCreated", promotionId, discount, budget });
};
