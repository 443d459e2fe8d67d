/**
 * Decisions about currency conversion: issuing quotes and executing them.
 *
 * A quote is issued at the command's time and is good until `expiresAt` (exclusive). A
 * conversion takes the gross amount from the wallet in the source currency: the net goes
 * to the house's liquidity account for that currency, the fee to `income:fees:fx`, and the
 * target amount comes from the liquidity account of the target currency (see
 * `events/fx-events.ts` for the postings and `fx-pricing.ts` for the rounding).
 */
import type { CommandOf } from "../commands/ledger-command.js";
import { isBasisPoints } from "../codec/checkout-codecs.js";
import { feeRevenueAccount, fxLiquidityAccount } from "../ledger/account.js";
import { move, type Posting } from "../ledger/posting.js";
import { BASIS_POINTS_PER_UNIT, parseRate } from "../money/index.js";
import type { Rejection } from "../rejections/rejection.js";
import type { FxQuote } from "../state/fx-state.js";
import type { LedgerState, Wallet } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";
import { accepted, fact, rejected, type Decide } from "./decision.js";
import { FX_ROUNDING } from "../events/fx-events.js";
import { priceConversion, type FxPrice } from "./fx-pricing.js";
import { checkDebitable, checkFunds, checkMoney, findWallet, isRejection } from "./guards.js";

function checkQuoteTerms(
  state: LedgerState,
  command: CommandOf<"QuoteFx">,
  at: Timestamp,
): Rejection | undefined {
  for (const currency of [command.sourceCurrency, command.targetCurrency]) {
    if (!state.registry.has(currency)) return { _tag: "CurrencyUnknown", currency };
  }
  if (command.sourceCurrency === command.targetCurrency)
    return { _tag: "FxPairInvalid", currency: command.sourceCurrency };
  const rate = parseRate(command.rate);
  if (rate._tag === "Left")
    return { _tag: "RateInvalid", rate: command.rate, reason: rate.left._tag };
  // A fee of the whole amount would leave nothing to convert.
  if (
    !isBasisPoints(command.feeBasisPoints) ||
    BigInt(command.feeBasisPoints) >= BASIS_POINTS_PER_UNIT
  )
    return { _tag: "FeeRateOutOfRange", basisPoints: command.feeBasisPoints };
  if (state.fx.quotes.has(command.quoteId))
    return { _tag: "FxQuoteAlreadyExists", quoteId: command.quoteId };
  return at >= command.expiresAt
    ? { _tag: "QuoteExpired", quoteId: command.quoteId, expiresAt: command.expiresAt, at }
    : undefined;
}

export const quoteFx: Decide<"QuoteFx"> = (state, command, at) => {
  const invalid = checkQuoteTerms(state, command, at);
  if (invalid !== undefined) return rejected(invalid);
  const { quoteId, sourceCurrency, targetCurrency, rate, feeBasisPoints, expiresAt } = command;
  return fact({
    type: "FxQuoted",
    quoteId,
    sourceCurrency,
    targetCurrency,
    rate,
    feeBasisPoints,
    issuedAt: at,
    expiresAt,
  });
};

/** A quote that exists and is still good at `at`. */
export function findLiveQuote(
  state: LedgerState,
  quoteId: string,
  at: Timestamp,
): FxQuote | Rejection {
  const quote = state.fx.quotes.get(quoteId);
  if (quote === undefined) return { _tag: "FxQuoteNotFound", quoteId };
  return at >= quote.expiresAt
    ? { _tag: "QuoteExpired", quoteId, expiresAt: quote.expiresAt, at }
    : quote;
}

/**
 * The postings of a conversion for `wallet`: its source money to the house (net to
 * liquidity, fee to revenue) and the target money from the house's other liquidity account.
 * `payer` and `payee` default to the wallet's available account; a checkout passes its own.
 */
export function conversionPostings(
  quote: FxQuote,
  price: FxPrice,
  payer: string,
  payee: string,
): Posting[] {
  const fee =
    price.fee === 0n ? [] : move(payer, feeRevenueAccount("fx"), quote.sourceCurrency, price.fee);
  return [
    ...move(payer, fxLiquidityAccount(quote.sourceCurrency), quote.sourceCurrency, price.net),
    ...fee,
    ...move(fxLiquidityAccount(quote.targetCurrency), payee, quote.targetCurrency, price.target),
  ];
}

function checkConversion(
  state: LedgerState,
  command: CommandOf<"ConvertCurrency">,
  quote: FxQuote,
  wallet: Wallet,
): Rejection | undefined {
  if (command.amount.currency !== quote.sourceCurrency)
    return {
      _tag: "CurrencyMismatch",
      expected: quote.sourceCurrency,
      actual: command.amount.currency,
    };
  // Money on a frozen wallet stays as it is until a person has looked.
  return checkDebitable(wallet) ?? checkFunds(state, wallet, command.amount);
}

export const convertCurrency: Decide<"ConvertCurrency"> = (state, command, at) => {
  const invalid = checkMoney(state, command.amount);
  if (invalid !== undefined) return rejected(invalid);
  if (state.fx.conversionIds.has(command.conversionId))
    return rejected({ _tag: "ConversionAlreadyExists", conversionId: command.conversionId });
  const wallet = findWallet(state, command.walletId);
  if (isRejection(wallet)) return rejected(wallet);
  const quote = findLiveQuote(state, command.quoteId, at);
  if (isRejection(quote)) return rejected(quote);
  const blocked = checkConversion(state, command, quote, wallet);
  if (blocked !== undefined) return rejected(blocked);
  const price = priceConversion(state.registry, quote, command.amount.amount);
  if (price.target === 0n)
    return rejected({
      _tag: "ConversionTooSmall",
      quoteId: quote.id,
      amount: command.amount.amount,
    });
  return accepted({
    type: "CurrencyConverted",
    conversionId: command.conversionId,
    walletId: wallet.id,
    quoteId: quote.id,
    rate: quote.rate,
    feeBasisPoints: quote.feeBasisPoints,
    source: command.amount,
    fee: { currency: quote.sourceCurrency, amount: price.fee },
    target: { currency: quote.targetCurrency, amount: price.target },
    rounding: FX_ROUNDING,
    postings: conversionPostings(quote, price, wallet.availableAccount, wallet.availableAccount),
  });
};
