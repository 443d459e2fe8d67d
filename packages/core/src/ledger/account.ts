/**
 * The chart of accounts.
 *
 * An account is addressed by a colon-separated path whose first segment is its accounting
 * type, so the addresses read the same in Pacioli, hledger and ledger-cli:
 *
 * | address                                   | type      | what it holds                                   |
 * |-------------------------------------------|-----------|-------------------------------------------------|
 * | `liabilities:wallets:{wallet}:available`  | liability | what the platform owes a wallet, spendable      |
 * | `liabilities:wallets:{wallet}:held`       | liability | what the platform owes a wallet, under holds    |
 * | `liabilities:merchants:{merchant}`        | liability | what the platform owes a merchant (settled)     |
 * | `liabilities:escrow:{order}`              | liability | captured money waiting for buyer protection     |
 * | `liabilities:reserves:{merchant}`         | liability | a merchant's payouts held back for disputes     |
 * | `assets:clearing:{channel}`               | asset     | money in flight with a card network or bank     |
 * | `assets:fx-liquidity:{currency}`          | asset     | the house's inventory of a currency for FX      |
 * | `income:fees:{kind}`                      | income    | platform fee revenue (checkout, fx, withdrawal) |
 * | `expenses:promotions:{promotion}`         | expense   | platform-funded discounts                       |
 * | `equity:partitions:{partition}`           | equity    | inter-partition clearing (nets to zero)         |
 *
 * Amounts follow the accounting sign convention: a debit is positive, a credit negative, and
 * every entry sums to zero per currency. Liability, income and equity accounts therefore
 * carry negative balances; `normalBalance` turns them into the positive figure a person
 * expects ("the wallet has 12.34").
 */
import { AssertionFailure } from "../assertion.js";

/** A validated account address. */
export type Account = string;

export type AccountType = "assets" | "liabilities" | "equity" | "income" | "expenses";

export const walletAvailableAccount = (walletId: string): Account =>
  `liabilities:wallets:${walletId}:available`;
export const walletHeldAccount = (walletId: string): Account =>
  `liabilities:wallets:${walletId}:held`;
export const merchantAccount = (merchantId: string): Account =>
  `liabilities:merchants:${merchantId}`;
export const escrowAccount = (orderId: string): Account => `liabilities:escrow:${orderId}`;
export const merchantReserveAccount = (merchantId: string): Account =>
  `liabilities:reserves:${merchantId}`;
export const clearingAccount = (channel: string): Account => `assets:clearing:${channel}`;
export const fxLiquidityAccount = (currency: string): Account => `assets:fx-liquidity:${currency}`;
export const feeRevenueAccount = (kind: string): Account => `income:fees:${kind}`;
export const promotionExpenseAccount = (promotionId: string): Account =>
  `expenses:promotions:${promotionId}`;
export const partitionClearingAccount = (partition: string): Account =>
  `equity:partitions:${partition}`;

const ACCOUNT_TYPES: ReadonlySet<string> = new Set<AccountType>([
  "assets",
  "liabilities",
  "equity",
  "income",
  "expenses",
]);

export function accountType(account: Account): AccountType {
  const head = account.slice(0, account.indexOf(":"));
  if (!ACCOUNT_TYPES.has(head))
    throw new AssertionFailure(`account ${account} has no accounting type`);
  return head as AccountType;
}

/** +1 for debit-normal accounts (assets, expenses), -1 for credit-normal ones. */
export function normalSign(account: Account): 1n | -1n {
  const type = accountType(account);
  return type === "assets" || type === "expenses" ? 1n : -1n;
}

/** The balance as its holder reads it: positive when the account holds what its type says. */
export function normalBalance(account: Account, signedBalance: bigint): bigint {
  return normalSign(account) * signedBalance;
}

/** Whether an account is the escrow of a checkout order. */
export const isEscrowAccount = (account: Account): boolean =>
  account.startsWith("liabilities:escrow:");

/** The wallet an account belongs to, if it is a wallet account. */
export function walletOfAccount(account: Account): string | undefined {
  if (!account.startsWith("liabilities:wallets:")) return undefined;
  const rest = account.slice("liabilities:wallets:".length);
  return rest.slice(0, rest.indexOf(":"));
}
