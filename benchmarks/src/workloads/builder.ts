/**
 * Emits one business action at a time as both Pacioli commands and the ceiling's ops, so
 * the two cannot drift apart: every generator (p2p, checkout, fx, mixed) is a recipe of
 * calls to this builder.
 *
 * Accounts are Pacioli's own addresses, so the ceiling's final balances compare one to one
 * with the core's (`liabilities:wallets:w1:available`, `liabilities:escrow:o7`, ...). The
 * ceiling keeps balances in their natural sign (a wallet with money is positive); the core
 * keeps debits positive, so a liability reads negated (see `ceiling.ts`).
 */
import {
  clearingAccount,
  escrowAccount,
  feeRevenueAccount,
  fxLiquidityAccount,
  merchantAccount,
  walletAvailableAccount,
  walletHeldAccount,
  type LedgerCommand,
} from "@pacioli/core";
import {
  FAR_FUTURE_MS,
  leg,
  balanceKey,
  type CeilingOp,
  type Leg,
  type Segment,
  type WorkloadSize,
} from "./workload.js";

/** Checkout fee charged to merchants on release, in basis points (3%). */
export const CHECKOUT_FEE_BASIS_POINTS = 300;
/** FX fee in basis points (1%), rounded up as Pacioli does (`ceiling`); the target is rounded down. */
export const FX_FEE_BASIS_POINTS = 100;
const BASIS_POINTS_PER_UNIT = 10_000n;
const FUNDING_CHANNEL = "bank";

export interface FxRate {
  readonly source: string;
  readonly target: string;
  /** The decimal text the quote carries. */
  readonly text: string;
  readonly sourceExponent: number;
  readonly targetExponent: number;
}

export class SegmentBuilder {
  readonly commands: LedgerCommand[] = [];
  readonly ceiling: CeilingOp[] = [];
  private flows = 0;

  constructor(private readonly prefix: string) {}

  done(): Segment {
    return { commands: this.commands, ceiling: this.ceiling };
  }

  private id(kind: string): string {
    return `${this.prefix}${kind}${this.commands.length}`;
  }

  private push(command: LedgerCommand, op: CeilingOp | undefined): void {
    this.commands.push(command);
    this.ceiling.push(
      op ?? { flow: -1, opensFlow: false, checkKey: undefined, checkAmount: 0n, legs: [] },
    );
  }

  openWallet(walletId: string): void {
    this.push({ type: "OpenWallet", walletId, ownerId: `owner-${walletId}` }, undefined);
  }

  deposit(walletId: string, currency: string, amount: bigint): void {
    this.push(
      { type: "DepositFunds", walletId, amount: { currency, amount }, channel: FUNDING_CHANNEL },
      plain([
        leg(clearingAccount(FUNDING_CHANNEL), walletAvailableAccount(walletId), currency, amount),
      ]),
    );
  }

  withdraw(walletId: string, currency: string, amount: bigint): void {
    const from = walletAvailableAccount(walletId);
    this.push(
      { type: "WithdrawFunds", walletId, amount: { currency, amount }, channel: FUNDING_CHANNEL },
      checkedOp(from, currency, amount, [
        leg(from, clearingAccount(FUNDING_CHANNEL), currency, amount),
      ]),
    );
  }

  transfer(fromWalletId: string, toWalletId: string, currency: string, amount: bigint): void {
    const from = walletAvailableAccount(fromWalletId);
    this.push(
      {
        type: "TransferFunds",
        transferId: this.id("t"),
        fromWalletId,
        toWalletId,
        amount: { currency, amount },
      },
      checkedOp(from, currency, amount, [
        leg(from, walletAvailableAccount(toWalletId), currency, amount),
      ]),
    );
  }

  registerMerchant(merchantId: string, currency: string): void {
    this.push(
      {
        type: "RegisterMerchant",
        merchantId,
        settlementCurrency: currency,
        allowNegativeBalance: false,
      },
      undefined,
    );
    this.push(
      {
        type: "SetFeeSchedule",
        merchantId,
        basisPoints: CHECKOUT_FEE_BASIS_POINTS,
        fixed: { currency, amount: 0n },
        rounding: "half-even",
        refundFee: "none",
      },
      undefined,
    );
  }

  /**
   * A paid order: the buyer's money is held, captured into the order's escrow, and released
   * to the merchant less the fee when the buyer confirms receipt. Then, optionally, a
   * partial refund from the merchant's balance, or instead of the release a dispute the
   * buyer wins in full (escrow back to the wallet).
   */
  checkoutFlow(
    walletId: string,
    merchantId: string,
    currency: string,
    amount: bigint,
    ending: "release" | "partial-refund" | "dispute",
  ): void {
    const flow = this.flows++;
    const orderId = this.id("o");
    const holdId = `${orderId}h`;
    const available = walletAvailableAccount(walletId);
    const held = walletHeldAccount(walletId);
    const escrow = escrowAccount(orderId);
    const merchant = merchantAccount(merchantId);
    this.push(
      {
        type: "Checkout",
        orderId,
        holdId,
        walletId,
        merchantId,
        amount: { currency, amount },
        expiresAt: FAR_FUTURE_MS,
        initiatedBy: "buyer",
      },
      {
        flow,
        opensFlow: true,
        checkKey: balanceKey(available, currency),
        checkAmount: amount,
        legs: [leg(available, held, currency, amount)],
      },
    );
    this.push(
      { type: "CaptureHold", holdId, amount: { currency, amount }, final: true },
      inFlow(flow, [leg(held, escrow, currency, amount)]),
    );
    if (ending === "dispute") {
      const disputeId = `${orderId}d`;
      this.push(
        { type: "OpenDispute", disputeId, orderId, reason: "item not received" },
        inFlow(flow, []),
      );
      this.push(
        {
          type: "ResolveDisputeForBuyer",
          disputeId,
          refundId: `${orderId}r`,
          amount: { currency, amount },
        },
        inFlow(flow, [leg(escrow, available, currency, amount)]),
      );
      return;
    }
    // Amounts are whole multiples of 100 minor units and the fee is 3%: no rounding happens.
    const fee = (amount * BigInt(CHECKOUT_FEE_BASIS_POINTS)) / BASIS_POINTS_PER_UNIT;
    this.push(
      { type: "ConfirmReceipt", orderId },
      inFlow(flow, [
        leg(escrow, merchant, currency, amount),
        leg(merchant, feeRevenueAccount("checkout"), currency, fee),
      ]),
    );
    if (ending === "partial-refund") {
      const refund = amount / 2n;
      this.push(
        {
          type: "RefundOrder",
          refundId: `${orderId}r`,
          orderId,
          amount: { currency, amount: refund },
        },
        {
          flow,
          opensFlow: false,
          checkKey: balanceKey(merchant, currency),
          checkAmount: refund,
          legs: [leg(merchant, available, currency, refund)],
        },
      );
    }
  }

  quote(quoteId: string, rate: FxRate): void {
    this.push(
      {
        type: "QuoteFx",
        quoteId,
        sourceCurrency: rate.source,
        targetCurrency: rate.target,
        rate: rate.text,
        feeBasisPoints: FX_FEE_BASIS_POINTS,
        expiresAt: FAR_FUTURE_MS,
      },
      undefined,
    );
  }

  /** Converts `gross` of the quote's source currency: fee rounded up, target rounded down. */
  convert(walletId: string, quoteId: string, rate: FxRate, gross: bigint): void {
    const wallet = walletAvailableAccount(walletId);
    const fee = ceilDiv(gross * BigInt(FX_FEE_BASIS_POINTS), BASIS_POINTS_PER_UNIT);
    const net = gross - fee;
    const [rateNumerator, rateDenominator] = decimalFraction(rate.text);
    const target =
      (net * rateNumerator * 10n ** BigInt(rate.targetExponent)) /
      (rateDenominator * 10n ** BigInt(rate.sourceExponent));
    const legs: Leg[] = [leg(wallet, fxLiquidityAccount(rate.source), rate.source, net)];
    if (fee > 0n) legs.push(leg(wallet, feeRevenueAccount("fx"), rate.source, fee));
    legs.push(leg(fxLiquidityAccount(rate.target), wallet, rate.target, target));
    this.push(
      {
        type: "ConvertCurrency",
        conversionId: this.id("x"),
        walletId,
        quoteId,
        amount: { currency: rate.source, amount: gross },
      },
      checkedOp(wallet, rate.source, gross, legs),
    );
  }
}

const plain = (legs: readonly Leg[]): CeilingOp => ({
  flow: -1,
  opensFlow: false,
  checkKey: undefined,
  checkAmount: 0n,
  legs,
});
const inFlow = (flow: number, legs: readonly Leg[]): CeilingOp => ({
  flow,
  opensFlow: false,
  checkKey: undefined,
  checkAmount: 0n,
  legs,
});
const checkedOp = (
  account: string,
  currency: string,
  amount: bigint,
  legs: readonly Leg[],
): CeilingOp => ({
  flow: -1,
  opensFlow: false,
  checkKey: balanceKey(account, currency),
  checkAmount: amount,
  legs,
});

const ceilDiv = (numerator: bigint, denominator: bigint): bigint =>
  (numerator + denominator - 1n) / denominator;

/** "0.307" → [307n, 1000n]. */
function decimalFraction(text: string): [bigint, bigint] {
  const [whole = "0", fraction = ""] = text.split(".");
  return [BigInt(whole + fraction), 10n ** BigInt(fraction.length)];
}

/** The world every workload starts from: funded wallets and fee-paying merchants. */
export function worldSetup(
  wallets: number,
  merchants: number,
  currency: string,
  depositEach: bigint,
  extraDeposits: readonly { currency: string; amount: bigint }[] = [],
): Segment {
  const builder = new SegmentBuilder("setup-");
  for (let index = 0; index < wallets; index += 1) {
    builder.openWallet(walletName(index));
    builder.deposit(walletName(index), currency, depositEach);
    for (const extra of extraDeposits)
      builder.deposit(walletName(index), extra.currency, extra.amount);
  }
  for (let index = 0; index < merchants; index += 1)
    builder.registerMerchant(merchantName(index), currency);
  return builder.done();
}

/**
 * A workload's segments: `size.segments` of them, each begun by `begin(prefix)` (its builder,
 * with any set-up it issues first) and filled one drawn action at a time until it holds
 * `size.commandsPerSegment` commands (a checkout's several commands may take it past).
 */
export function drawnSegments(
  size: WorkloadSize,
  begin: (prefix: string) => SegmentBuilder,
  drawAction: (builder: SegmentBuilder, prefix: string) => void,
): Segment[] {
  const segments: Segment[] = [];
  for (let segment = 0; segment < size.segments; segment += 1) {
    const prefix = `s${segment}-`;
    const builder = begin(prefix);
    while (builder.commands.length < size.commandsPerSegment) drawAction(builder, prefix);
    segments.push(builder.done());
  }
  return segments;
}

export const walletName = (index: number): string => `w${index}`;
export const merchantName = (index: number): string => `m${index}`;
