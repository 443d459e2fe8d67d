/**
 * Decisions about merchants and authorisations. A merchant is registered with its
 * settlement currency and whether refunds may drive its balance below zero; a wallet
 * authorises a merchant to charge it under an agreement (optional per-payment and per-day
 * caps, per-day meaning the UTC day of the command's time) and may revoke it. Revoking
 * stops new merchant-initiated payments only: holds already placed stay, as card networks
 * treat a cancelled mandate.
 */
import { isBasisPoints } from "../codec/checkout-codecs.js";
import { fact, rejected, type Decide } from "./decision.js";
import { findMerchant, findWalletAndMerchant } from "./checkout-guards.js";
import { checkCreditable, checkLimitMoney, checkMoney, isRejection } from "./guards.js";

export const registerMerchant: Decide<"RegisterMerchant"> = (state, command) => {
  const { merchantId, settlementCurrency, allowNegativeBalance } = command;
  if (!state.registry.has(settlementCurrency))
    return rejected({ _tag: "CurrencyUnknown", currency: settlementCurrency });
  if (state.merchants.has(merchantId))
    return rejected({ _tag: "MerchantAlreadyExists", merchantId });
  return fact({ type: "MerchantRegistered", merchantId, settlementCurrency, allowNegativeBalance });
};

export const setMerchantNegativeBalance: Decide<"SetMerchantNegativeBalance"> = (
  state,
  command,
) => {
  const merchant = findMerchant(state, command.merchantId);
  if (isRejection(merchant)) return rejected(merchant);
  return fact({
    type: "MerchantNegativeBalanceSet",
    merchantId: merchant.id,
    allowed: command.allowed,
  });
};

/** One schedule per merchant and currency; setting it again replaces it for later releases. */
export const setFeeSchedule: Decide<"SetFeeSchedule"> = (state, command) => {
  const { basisPoints, fixed, rounding, refundFee } = command;
  if (!isBasisPoints(basisPoints)) return rejected({ _tag: "FeeRateOutOfRange", basisPoints });
  const invalid = checkLimitMoney(state, fixed);
  if (invalid !== undefined) return rejected(invalid);
  const merchant = findMerchant(state, command.merchantId);
  if (isRejection(merchant)) return rejected(merchant);
  return fact({
    type: "FeeScheduleSet",
    merchantId: merchant.id,
    basisPoints,
    fixed,
    rounding,
    refundFee,
  });
};

export const authorizeMerchant: Decide<"AuthorizeMerchant"> = (state, command) => {
  const invalid =
    (command.perPaymentCap === undefined ? undefined : checkMoney(state, command.perPaymentCap)) ??
    (command.perDayCap === undefined ? undefined : checkMoney(state, command.perDayCap));
  if (invalid !== undefined) return rejected(invalid);
  if (state.agreements.has(command.agreementId))
    return rejected({ _tag: "AgreementAlreadyExists", agreementId: command.agreementId });
  const parties = findWalletAndMerchant(state, command.walletId, command.merchantId);
  if (isRejection(parties)) return rejected(parties);
  const { wallet, merchant } = parties;
  const closed = checkCreditable(wallet);
  if (closed !== undefined) return rejected(closed);
  return fact({
    type: "MerchantAuthorized",
    agreementId: command.agreementId,
    walletId: wallet.id,
    merchantId: merchant.id,
    ...(command.perPaymentCap === undefined ? {} : { perPaymentCap: command.perPaymentCap }),
    ...(command.perDayCap === undefined ? {} : { perDayCap: command.perDayCap }),
  });
};

export const revokeAuthorization: Decide<"RevokeAuthorization"> = (state, command) => {
  const agreement = state.agreements.get(command.agreementId);
  if (agreement === undefined)
    return rejected({ _tag: "AgreementNotFound", agreementId: command.agreementId });
  if (agreement.revoked) return rejected({ _tag: "AgreementRevoked", agreementId: agreement.id });
  return fact({
    type: "AuthorizationRevoked",
    agreementId: agreement.id,
    walletId: agreement.walletId,
    merchantId: agreement.merchantId,
  });
};
