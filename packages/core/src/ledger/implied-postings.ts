/**
 * What an event's own fields say its postings must be. `unbalancedCurrencies` checks that
 * postings sum to zero; this checks that they are the postings the event describes: a
 * deposit of 12.34 USD to w1 through card moves exactly 12.34 USD from `assets:clearing:card`
 * to w1's available account, a conversion's target is its source less the fee at its rate,
 * an event that moves no money has no postings. An event rewritten consistently (its chain
 * recomputed) with `amount` changed but not its postings, or the other way round, disagrees
 * with itself and is found here.
 *
 * Only the event is read, never the state: an event without a wallet field (a hold's later
 * events) names its wallet through its postings, and all of them must agree on it.
 * The switch is exhaustive: a new event type does not compile until it says what it implies.
 */
import type { LedgerEvent } from "../events/ledger-event.js";
import { CHECKOUT_FEE_REVENUE } from "../decider/checkout-fees.js";
import { priceConversion } from "../decider/fx-pricing.js";
import { PAYOUT_CLEARING, PAYOUT_FEE_REVENUE } from "../decider/payout-decisions.js";
import type { Money } from "../codec/money-codec.js";
import { basisPointsOf, type CurrencyRegistry } from "../money/index.js";
import type { FxQuote } from "../state/fx-state.js";
import {
  clearingAccount,
  escrowAccount,
  feeRevenueAccount,
  fxLiquidityAccount,
  merchantAccount,
  merchantReserveAccount,
  walletAvailableAccount,
  walletHeldAccount,
  walletOfAccount,
  type Account,
} from "./account.js";
import { move, type Posting } from "./posting.js";

/** Net amount per account and currency, zeros dropped: the postings' meaning, not their order. */
type Net = ReadonlyMap<string, bigint>;

const keyOf = (account: Account, currency: string): string => `${account} ${currency}`;

function netOf(postings: readonly Posting[]): Net {
  const net = new Map<string, bigint>();
  for (const posting of postings)
    net.set(
      keyOf(posting.account, posting.currency),
      (net.get(keyOf(posting.account, posting.currency)) ?? 0n) + posting.amount,
    );
  for (const [key, amount] of net) if (amount === 0n) net.delete(key);
  return net;
}

const samePosting = (left: Posting, right: Posting): boolean =>
  left.account === right.account &&
  left.currency === right.currency &&
  left.amount === right.amount;

const at = (net: Net, account: Account, currency: string): bigint =>
  net.get(keyOf(account, currency)) ?? 0n;

/** The postings must net to exactly these, account by account. */
function exactly(postings: readonly Posting[], expected: readonly Posting[]): string[] {
  // The decider writes them in this order: one comparison per posting on the common path.
  if (
    postings.length === expected.length &&
    postings.every((posting, index) => samePosting(posting, expected[index] as Posting))
  )
    return [];
  const actual = netOf(postings);
  const wanted = netOf(expected);
  const differing = [...new Set([...actual.keys(), ...wanted.keys()])].filter(
    (key) => actual.get(key) !== wanted.get(key),
  );
  if (differing.length === 0) return [];
  return [
    `the postings do not match the event's fields: ${differing.map((key) => `${key} moves ${actual.get(key) ?? 0n}, the fields say ${wanted.get(key) ?? 0n}`).join("; ")}`,
  ];
}

/** One account's net must be `expected` (minor units, signed). */
function expectNet(
  net: Net,
  account: Account,
  money: Money,
  sign: 1n | -1n,
  field: string,
): string[] {
  const actual = at(net, account, money.currency);
  return actual === sign * money.amount
    ? []
    : [`${field} is ${money.amount} ${money.currency} but ${account} moves ${actual}`];
}

/** The one wallet whose accounts the postings touch (undefined when none or several). */
function walletOfPostings(postings: readonly Posting[]): string | undefined {
  const wallets = new Set(
    postings
      .map((posting) => walletOfAccount(posting.account))
      .filter((wallet) => wallet !== undefined),
  );
  return wallets.size === 1 ? [...wallets][0] : undefined;
}

const none = (postings: readonly Posting[]): string[] =>
  postings.length === 0 ? [] : [`an event that moves no money has ${postings.length} postings`];

const sameCurrency = (field: string, money: Money, other: Money): string[] =>
  money.currency === other.currency
    ? []
    : [`${field} is in ${other.currency}, not ${money.currency}`];

/** A conversion's fee and target follow from its source, fee rate and rate (`fx-pricing`). */
function pricedConversion(
  registry: CurrencyRegistry,
  rate: string,
  feeBasisPoints: number,
  source: Money,
  fee: Money,
  target: Money,
  exactTarget: boolean,
): string[] {
  const quote: FxQuote = {
    id: "",
    sourceCurrency: source.currency,
    targetCurrency: target.currency,
    rate,
    feeBasisPoints,
    issuedAt: 0 as FxQuote["issuedAt"],
    expiresAt: 0 as FxQuote["expiresAt"],
  };
  const problems = sameCurrency("fee", source, fee);
  if (fee.amount !== basisPointsOf(source.amount, BigInt(feeBasisPoints), "ceiling"))
    problems.push(`fee ${fee.amount} is not ${feeBasisPoints} bp of ${source.amount} rounded up`);
  let priced: bigint;
  try {
    priced = priceConversion(registry, quote, source.amount).target;
  } catch (error) {
    return [...problems, `the conversion cannot be priced: ${(error as Error).message}`];
  }
  if (exactTarget ? priced !== target.amount : priced < target.amount)
    problems.push(
      `target ${target.amount} ${target.currency} is not ${source.amount - fee.amount} ${source.currency} at rate ${rate} (${priced})`,
    );
  return problems;
}

/** Moves of a conversion from `payer` (source) to `payee` (target), as `conversionPostings` books them. */
function conversionLegs(
  payer: Account,
  payee: Account,
  source: Money,
  fee: Money,
  target: Money,
): Posting[] {
  return [
    ...move(
      payer,
      fxLiquidityAccount(source.currency),
      source.currency,
      source.amount - fee.amount,
    ),
    ...move(payer, feeRevenueAccount("fx"), source.currency, fee.amount),
    ...move(fxLiquidityAccount(target.currency), payee, target.currency, target.amount),
  ];
}

/**
 * Every way the event's fields disagree with its postings (empty when they agree). Pure;
 * the registry prices conversions.
 */
export function impliedPostingDisagreements(
  registry: CurrencyRegistry,
  event: LedgerEvent,
): readonly string[] {
  const postings = event.postings;
  let netted: Net | undefined;
  // Built only for the events that need it: most are checked posting by posting.
  const net = (): Net => (netted ??= netOf(postings));
  switch (event.type) {
    case "WalletOpened":
    case "WalletFrozen":
    case "WalletUnfrozen":
    case "WalletClosed":
    case "OverdraftLimitSet":
    case "MerchantRegistered":
    case "MerchantNegativeBalanceSet":
    case "FeeScheduleSet":
    case "MerchantAuthorized":
    case "AuthorizationRevoked":
    case "OrderShipped":
    case "DisputeOpened":
    case "DisputeResolved":
    case "FundingSourceLinked":
    case "MicroDepositsSent":
    case "MicroDepositsMismatched":
    case "FundingSourceVerified":
    case "FundingSourceRemoved":
    case "FxQuoted":
    case "VerificationTierDefined":
    case "VerificationTierAssigned":
    case "VelocityRuleSet":
    case "StrongAuthenticationThresholdSet":
    case "PromotionCreated":
    case "PayoutScheduleSet":
      return none(postings);
    case "MerchantPaidOut":
      return [...payoutAddsUp(event), ...exactly(postings, payoutLegs(event))];
    case "PayoutReserveReleased":
      return exactly(
        postings,
        move(
          merchantReserveAccount(event.merchantId),
          merchantAccount(event.merchantId),
          event.amount.currency,
          event.amount.amount,
        ),
      );
    case "PayoutReturned":
      return exactly(
        postings,
        move(
          PAYOUT_CLEARING,
          merchantAccount(event.merchantId),
          event.amount.currency,
          event.amount.amount,
        ),
      );
    case "AdjustmentProposed":
      return [...none(postings), ...unbalancedLines(event.lines)];
    case "AdjustmentPosted":
    case "AdjustmentReversed":
      return adjustedAccounts(postings);
    case "FundsDeposited":
    case "WalletToppedUp":
      return exactly(
        postings,
        move(
          clearingAccount(event.channel),
          walletAvailableAccount(event.walletId),
          event.amount.currency,
          event.amount.amount,
        ),
      );
    case "FundsWithdrawn":
    case "WithdrawnToFundingSource":
      return exactly(
        postings,
        move(
          walletAvailableAccount(event.walletId),
          clearingAccount(event.channel),
          event.amount.currency,
          event.amount.amount,
        ),
      );
    case "FundsTransferred":
      return exactly(
        postings,
        move(
          walletAvailableAccount(event.fromWalletId),
          walletAvailableAccount(event.toWalletId),
          event.amount.currency,
          event.amount.amount,
        ),
      );
    case "HoldPlaced":
      return exactly(
        postings,
        move(
          walletAvailableAccount(event.walletId),
          walletHeldAccount(event.walletId),
          event.amount.currency,
          event.amount.amount,
        ),
      );
    case "HoldIncreased":
      return withWallet(postings, (wallet) =>
        exactly(
          postings,
          move(
            walletAvailableAccount(wallet),
            walletHeldAccount(wallet),
            event.amount.currency,
            event.amount.amount,
          ),
        ),
      );
    case "HoldCaptured":
      return withWallet(postings, (wallet) => [
        ...sameCurrency("released", event.amount, event.released),
        ...expectNet(
          net(),
          walletHeldAccount(wallet),
          { currency: event.amount.currency, amount: event.amount.amount + event.released.amount },
          1n,
          "amount + released",
        ),
        ...expectNet(net(), walletAvailableAccount(wallet), event.released, -1n, "released"),
        ...payeeMoves(net(), wallet, event.amount, "amount", -event.amount.amount),
      ]);
    case "HoldReleased":
    case "HoldExpired":
      if (event.released.amount === 0n) return none(postings);
      return withWallet(postings, (wallet) =>
        exactly(
          postings,
          move(
            walletHeldAccount(wallet),
            walletAvailableAccount(wallet),
            event.released.currency,
            event.released.amount,
          ),
        ),
      );
    case "RefundIssued":
      return withWallet(postings, (wallet) => [
        ...expectNet(net(), walletAvailableAccount(wallet), event.amount, -1n, "amount"),
        ...payeeMoves(net(), wallet, event.amount, "amount", event.amount.amount),
      ]);
    case "CheckoutStarted":
      return checkoutStarted(registry, event, net());
    case "EscrowReleased": {
      const fees = event.fees.reduce((sum, fee) => sum + fee.amount.amount, 0n);
      const problems = [
        ...expectNet(net(), escrowAccount(event.orderId), event.gross, 1n, "gross"),
        ...expectNet(net(), merchantAccount(event.merchantId), event.net, -1n, "net"),
        ...expectNet(
          net(),
          CHECKOUT_FEE_REVENUE,
          { currency: event.gross.currency, amount: fees },
          -1n,
          "the fees",
        ),
      ];
      if (event.gross.amount - fees !== event.net.amount)
        problems.push(
          `gross ${event.gross.amount} less fees ${fees} is not net ${event.net.amount}`,
        );
      return problems;
    }
    case "OrderRefunded": {
      const problems = [
        ...expectNet(net(), escrowAccount(event.orderId), event.fromEscrow, 1n, "fromEscrow"),
        ...expectNet(net(), CHECKOUT_FEE_REVENUE, event.feeReturned, 1n, "feeReturned"),
      ];
      if (event.fromEscrow.amount + event.fromMerchant.amount !== event.amount.amount)
        problems.push(
          `fromEscrow ${event.fromEscrow.amount} + fromMerchant ${event.fromMerchant.amount} is not amount ${event.amount.amount}`,
        );
      return [
        ...problems,
        ...withWallet(postings, (wallet) =>
          expectNet(net(), walletAvailableAccount(wallet), event.amount, -1n, "amount"),
        ),
      ];
    }
    case "CurrencyConverted":
      return [
        ...pricedConversion(
          registry,
          event.rate,
          event.feeBasisPoints,
          event.source,
          event.fee,
          event.target,
          true,
        ),
        ...exactly(
          postings,
          conversionLegs(
            walletAvailableAccount(event.walletId),
            walletAvailableAccount(event.walletId),
            event.source,
            event.fee,
            event.target,
          ),
        ),
      ];
    case "CheckoutFundingReturned":
      if (postings.length === 0)
        return event.promotionShare.amount === 0n && event.conversion === undefined
          ? []
          : ["the event returns money but has no postings"];
      return withWallet(postings, (wallet) => {
        // The promotion's share goes from the buyer back to the promotion's expense account.
        const problems = sameCurrency("promotionShare", event.returned, event.promotionShare);
        if (event.promotionShare.amount > event.returned.amount)
          problems.push(
            `promotionShare ${event.promotionShare.amount} exceeds returned ${event.returned.amount}`,
          );
        const promotion = sumWhere(
          net(),
          (account) => account.startsWith("expenses:promotions:"),
          event.returned.currency,
        );
        if (promotion !== -event.promotionShare.amount)
          problems.push(
            `promotionShare is ${event.promotionShare.amount} but the promotion accounts move ${promotion}`,
          );
        if (event.conversion === undefined)
          problems.push(
            ...expectNet(
              net(),
              walletAvailableAccount(wallet),
              event.promotionShare,
              1n,
              "promotionShare",
            ),
          );
        return problems;
      });
  }
}

function payoutAddsUp(event: Extract<LedgerEvent, { type: "MerchantPaidOut" }>): string[] {
  const problems = [
    ...sameCurrency("reserve", event.gross, event.reserve),
    ...sameCurrency("fee", event.gross, event.fee),
    ...sameCurrency("net", event.gross, event.net),
  ];
  const parts = event.reserve.amount + event.fee.amount + event.net.amount;
  if (parts !== event.gross.amount)
    problems.push(`reserve + fee + net is ${parts}, not gross ${event.gross.amount}`);
  return problems;
}

function payoutLegs(event: Extract<LedgerEvent, { type: "MerchantPaidOut" }>): Posting[] {
  const merchant = merchantAccount(event.merchantId);
  const currency = event.net.currency;
  return [
    ...(event.reserve.amount > 0n
      ? move(merchant, merchantReserveAccount(event.merchantId), currency, event.reserve.amount)
      : []),
    ...(event.fee.amount > 0n
      ? move(merchant, PAYOUT_FEE_REVENUE, currency, event.fee.amount)
      : []),
    ...move(merchant, PAYOUT_CLEARING, currency, event.net.amount),
  ];
}

/** A proposal's lines must balance like any entry, though they move nothing yet. */
function unbalancedLines(lines: readonly Posting[]): string[] {
  const sums = new Map<string, bigint>();
  for (const line of lines) sums.set(line.currency, (sums.get(line.currency) ?? 0n) + line.amount);
  return [...sums]
    .filter(([, sum]) => sum !== 0n)
    .map(([currency, sum]) => `the proposed lines sum to ${sum} ${currency}, not zero`);
}

/**
 * What an adjustment (or its reversal) may touch: never held funds, escrow or reserves,
 * which move only with the hold, order or payout they mirror.
 */
function adjustedAccounts(postings: readonly Posting[]): string[] {
  if (postings.length === 0) return ["an adjustment with no postings"];
  return postings
    .filter(
      (posting) =>
        posting.account.startsWith("liabilities:") &&
        !/^liabilities:(wallets:[^:]+:available|merchants:[^:]+)$/.test(posting.account),
    )
    .map((posting) => `an adjustment may not move ${posting.account}`);
}

function sumWhere(
  net: Net,
  accountMatches: (account: Account) => boolean,
  currency: string,
): bigint {
  let sum = 0n;
  for (const [key, amount] of net) {
    const space = key.lastIndexOf(" ");
    if (key.slice(space + 1) === currency && accountMatches(key.slice(0, space))) sum += amount;
  }
  return sum;
}

function withWallet(postings: readonly Posting[], check: (wallet: string) => string[]): string[] {
  const wallet = walletOfPostings(postings);
  return wallet === undefined ? ["the postings do not name exactly one wallet"] : check(wallet);
}

/**
 * The other side of a hold's capture or refund: one merchant or escrow account netting
 * `expected`. Which one is the hold's (state), so only its kind and amount are checked.
 */
function payeeMoves(
  net: Net,
  wallet: string,
  money: Money,
  field: string,
  expected: bigint,
): string[] {
  const others = [...net].filter(([key]) => !key.startsWith(`liabilities:wallets:${wallet}:`));
  const [payee] = others;
  const kindOk =
    payee !== undefined &&
    (payee[0].startsWith("liabilities:merchants:") || payee[0].startsWith("liabilities:escrow:")) &&
    payee[0].endsWith(` ${money.currency}`);
  if (others.length === 1 && kindOk && payee[1] === expected) return [];
  const detail = others.map(([key, amount]) => `${key} ${amount}`).join(", ") || "nothing";
  return [
    `${field} is ${money.amount} ${money.currency} but the merchant or escrow side moves ${detail}`,
  ];
}

function checkoutStarted(
  registry: CurrencyRegistry,
  event: Extract<LedgerEvent, { type: "CheckoutStarted" }>,
  net: Net,
): string[] {
  const held = walletHeldAccount(event.walletId);
  const available = walletAvailableAccount(event.walletId);
  const problems = expectNet(net, held, event.amount, -1n, "amount");
  const discount = event.promotion?.discount.amount ?? 0n;
  if (event.promotion !== undefined)
    problems.push(...sameCurrency("promotion.discount", event.amount, event.promotion.discount));
  const payable = event.amount.amount - discount;
  const conversion = event.conversion;
  if (conversion === undefined) {
    problems.push(
      ...expectNet(
        net,
        available,
        { currency: event.amount.currency, amount: payable },
        1n,
        "amount less discount",
      ),
    );
  } else {
    if (conversion.target.amount !== payable)
      problems.push(
        `conversion.target ${conversion.target.amount} is not the amount less discount ${payable}`,
      );
    problems.push(
      ...pricedConversion(
        registry,
        conversion.rate,
        conversion.feeBasisPoints,
        conversion.source,
        conversion.fee,
        conversion.target,
        false,
      ),
    );
    problems.push(...expectNet(net, available, conversion.source, 1n, "conversion.source"));
  }
  return problems;
}
