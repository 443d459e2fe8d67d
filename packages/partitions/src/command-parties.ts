/**
 * The parties of a command: every entity it reads or creates, and how the partitioned ledger
 * finds where each one lives (ADR 0028).
 *
 * - **placed** entities live where the placement puts their id (FNV-1a of the id mod N, or the
 *   overrides directory): wallets, merchants, promotions, settlements, and adjustments that
 *   name no wallet or merchant account. Their partition is known without asking anyone.
 * - **named** entities were created by an earlier command, in the partition of the parties of
 *   that command, and are named here by id only (a hold, an order, a dispute, an agreement, a
 *   funding source, a payout, an adjustment, an FX quote). Their partition is found by asking
 *   every partition at once whether it holds the id (the ids are unique across partitions, see
 *   `created`); one that no partition holds does not exist, and the command goes where its
 *   other parties are, whose decision refuses it (`HoldNotFound`, …) in its own precedence.
 * - **created** ids must be unique across the whole ledger, as in one ledger: a command whose
 *   new id some partition already holds is sent to that partition, whose decision refuses it
 *   (`HoldAlreadyExists`, …: every decision checks its new id right after the amount's shape,
 *   so the answer is one ledger's).
 *
 * `settings` are ledger-wide configuration that every partition's payments read (FX quotes,
 * verification tiers, the velocity rule, the strong-authentication threshold). With one
 * partition they go to it; with several they are not partitioned yet (ADR 0028: to be
 * replicated to every partition by the process manager), so they are `Unsupported` and no
 * partition ever holds one — every payment is then decided as one ledger without them would.
 */
import type { CommandOf, LedgerCommand, LedgerCommandType } from "@pacioli/core";

// ---------------------------------------------------------------------------------------------
// model

export type PlacedEntity = "wallet" | "merchant" | "promotion" | "settlement" | "adjustment";
export type NamedEntity =
  | "hold"
  | "order"
  | "dispute"
  | "agreement"
  | "funding-source"
  | "payout"
  | "adjustment"
  | "fx-quote"
  | "conversion";

export interface Party<E extends string> {
  readonly entity: E;
  readonly id: string;
}

export interface CommandParties {
  readonly placed: readonly Party<PlacedEntity>[];
  readonly named: readonly Party<NamedEntity>[];
  readonly created: readonly Party<NamedEntity>[];
}

export type PartiesOf =
  | { readonly _tag: "Parties"; readonly parties: CommandParties }
  /** Ledger-wide configuration: every partition's payments read it. */
  | { readonly _tag: "Setting" };

/** Commands that set ledger-wide configuration (not partitioned on more than one partition). */
export const SETTING_COMMAND_TYPES = [
  "QuoteFx",
  "DefineVerificationTier",
  "SetVelocityRule",
  "SetStrongAuthenticationThreshold",
] as const satisfies readonly LedgerCommandType[];

// ---------------------------------------------------------------------------------------------
// constructors

const wallet = (id: string): Party<"wallet"> => ({ entity: "wallet", id });
const merchant = (id: string): Party<"merchant"> => ({ entity: "merchant", id });
const entity = <E extends NamedEntity>(kind: E, id: string): Party<E> => ({ entity: kind, id });
const optional = <E extends NamedEntity>(kind: E, id: string | undefined): Party<E>[] =>
  id === undefined ? [] : [entity(kind, id)];

const parties = (
  placed: readonly Party<PlacedEntity>[],
  named: readonly Party<NamedEntity>[] = [],
  created: readonly Party<NamedEntity>[] = [],
): PartiesOf => ({ _tag: "Parties", parties: { placed, named, created } });

// ---------------------------------------------------------------------------------------------
// functions

/** Who a command's decision reads or creates, by kind (wallet commands included). */
export function partiesOf(command: LedgerCommand): PartiesOf {
  switch (command.type) {
    case "OpenWallet":
    case "FreezeWallet":
    case "UnfreezeWallet":
    case "CloseWallet":
    case "SetOverdraftLimit":
    case "DepositFunds":
    case "WithdrawFunds":
    case "AssignVerificationTier":
      return parties([wallet(command.walletId)]);
    case "TransferFunds":
      return parties([wallet(command.fromWalletId), wallet(command.toWalletId)]);
    case "PlaceHold":
      // The merchant too: a capture credits its balance, which must be in one partition.
      return parties(
        [wallet(command.walletId), merchant(command.merchantId)],
        [],
        [entity("hold", command.holdId)],
      );
    case "IncreaseHold":
    case "CaptureHold":
    case "ReleaseHold":
    case "ExpireHold":
    case "RefundCapture":
      return parties([], [entity("hold", command.holdId)]);
    case "RegisterMerchant":
    case "SetMerchantNegativeBalance":
    case "SetFeeSchedule":
    case "SetPayoutSchedule":
      return parties([merchant(command.merchantId)]);
    case "AuthorizeMerchant":
      return parties(
        [wallet(command.walletId), merchant(command.merchantId)],
        [],
        [entity("agreement", command.agreementId)],
      );
    case "RevokeAuthorization":
      return parties([], [entity("agreement", command.agreementId)]);
    case "Checkout":
      return checkoutParties(command);
    case "ShipOrder":
    case "ConfirmReceipt":
    case "ReleaseEscrow":
      return parties([], [entity("order", command.orderId)]);
    case "RefundOrder":
      return parties(
        [],
        [entity("order", command.orderId), ...optional("fx-quote", command.quoteId)],
      );
    case "OpenDispute":
      return parties(
        [],
        [entity("order", command.orderId)],
        [entity("dispute", command.disputeId)],
      );
    case "ResolveDisputeForBuyer":
    case "ResolveDisputeForMerchant":
      return parties([], [entity("dispute", command.disputeId)]);
    case "LinkCard":
    case "LinkBankAccount":
      return parties([wallet(command.walletId)], [], [entity("funding-source", command.sourceId)]);
    case "VerifyCard":
    case "SendMicroDeposits":
    case "ConfirmMicroDeposits":
    case "RemoveFundingSource":
      return parties([], [entity("funding-source", command.sourceId)]);
    case "TopUpWallet":
    case "WithdrawToFundingSource":
      return parties([wallet(command.walletId)], [entity("funding-source", command.sourceId)]);
    case "ConvertCurrency":
      return parties(
        [wallet(command.walletId)],
        [entity("fx-quote", command.quoteId)],
        [entity("conversion", command.conversionId)],
      );
    case "CreatePromotion":
      return parties([{ entity: "promotion", id: command.promotionId }]);
    case "PayOutMerchant":
      return parties([merchant(command.merchantId)], [], [entity("payout", command.payoutId)]);
    case "ReleasePayoutReserve":
    case "ReturnPayout":
      return parties([], [entity("payout", command.payoutId)]);
    case "ProposeAdjustment":
      return adjustmentParties(command);
    case "ApproveAdjustment":
    case "ReverseAdjustment":
      return parties([], [entity("adjustment", command.adjustmentId)]);
    case "RecordSettlement":
      return parties([{ entity: "settlement", id: command.settlementId }]);
    case "QuoteFx":
    case "DefineVerificationTier":
    case "SetVelocityRule":
    case "SetStrongAuthenticationThreshold":
      return { _tag: "Setting" };
  }
}

/** The buyer, the merchant, the promotion; the agreement and quote it names; its new order and hold. */
function checkoutParties(command: CommandOf<"Checkout">): PartiesOf {
  return parties(
    [
      wallet(command.walletId),
      merchant(command.merchantId),
      ...(command.promotionId === undefined
        ? []
        : [{ entity: "promotion", id: command.promotionId } as const]),
    ],
    [...optional("agreement", command.agreementId), ...optional("fx-quote", command.quoteId)],
    [entity("order", command.orderId), entity("hold", command.holdId)],
  );
}

const WALLET_AVAILABLE = /^liabilities:wallets:([^:]+):available$/;
const MERCHANT_BALANCE = /^liabilities:merchants:([^:]+)$/;

/**
 * An adjustment lives with the wallets and merchants whose accounts it posts to (the only
 * liability accounts it may name); one that names none (platform accounts only) is placed
 * by the hash of its id, as a settlement is.
 */
function adjustmentParties(command: CommandOf<"ProposeAdjustment">): PartiesOf {
  const owners = command.postings.flatMap((line): Party<PlacedEntity>[] => {
    const walletId = WALLET_AVAILABLE.exec(line.account)?.[1];
    if (walletId !== undefined) return [wallet(walletId)];
    const merchantId = MERCHANT_BALANCE.exec(line.account)?.[1];
    return merchantId === undefined ? [] : [merchant(merchantId)];
  });
  const created = [entity("adjustment", command.adjustmentId)];
  return owners.length > 0
    ? parties(owners, [], created)
    : parties([{ entity: "adjustment", id: command.adjustmentId }], [], created);
}
