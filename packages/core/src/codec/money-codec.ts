/**
 * Money on the wire: `{ "currency": "USD", "amount": "12.34" }`, the amount a decimal
 * string with at most the currency's exponent of decimals (never a JSON number). In memory:
 * `{ currency: "USD", amount: 1234n }`, bigint minor units.
 *
 * The exponent of a currency comes from a registry (ISO 4217 plus the ledger's custom
 * assets), so these codecs are built for a registry; `codecsFor` in the event and command
 * modules caches one set of codecs per registry.
 */
import * as t from "io-ts";
import {
  formatAmount,
  lookupCurrency,
  parseAmount,
  type CurrencyRegistry,
} from "../money/index.js";
import type { Posting } from "../ledger/posting.js";
import { AssertionFailure } from "../assertion.js";

export interface Money {
  readonly currency: string;
  /** Minor units. */
  readonly amount: bigint;
}

export interface MoneyJson {
  readonly currency: string;
  readonly amount: string;
}

export interface PostingJson {
  readonly account: string;
  readonly currency: string;
  readonly amount: string;
}

export const CURRENCY_PATTERN = /^[A-Z][A-Z0-9_]{2,15}$/;
export const ACCOUNT_PATTERN = /^(assets|liabilities|equity|income|expenses)(:[A-Za-z0-9_.-]+)+$/;

type Sign = "positive" | "non-negative" | "signed";

function amountValidator(registry: CurrencyRegistry, sign: Sign) {
  return (
    currencyCode: unknown,
    amount: unknown,
    _object: unknown,
    c: t.Context,
  ): t.Validation<bigint> => {
    // Failures name the field inside the money or posting object: `amount.currency`, `amount.amount`.
    const atCurrency = t.appendContext(c, "currency", t.string, currencyCode);
    const atAmount = t.appendContext(c, "amount", t.string, amount);
    if (typeof currencyCode !== "string")
      return t.failure(currencyCode, atCurrency, "a currency code");
    const currency = lookupCurrency(registry, currencyCode);
    if (currency._tag === "Left")
      return t.failure(
        currencyCode,
        atCurrency,
        `a currency known to this ledger (${currencyCode} is not)`,
      );
    if (typeof amount !== "string")
      return t.failure(amount, atAmount, 'an amount as a decimal string such as "12.34"');
    const parsed = parseAmount(amount, currency.right, sign);
    return parsed._tag === "Left"
      ? t.failure(amount, atAmount, `an amount in ${currencyCode}: ${parsed.left._tag}`)
      : t.success(parsed.right);
  };
}

function encodeAmount(registry: CurrencyRegistry, currencyCode: string, amount: bigint): string {
  const currency = lookupCurrency(registry, currencyCode);
  if (currency._tag === "Left")
    throw new AssertionFailure(`encoding an amount in unknown currency ${currencyCode}`);
  return formatAmount(amount, currency.right);
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/** Money with a strictly positive amount (or `sign` as given). */
export function moneyCodec(
  registry: CurrencyRegistry,
  sign: Sign = "positive",
): t.Type<Money, MoneyJson, unknown> {
  const validateAmount = amountValidator(registry, sign);
  return new t.Type<Money, MoneyJson, unknown>(
    sign === "positive" ? "Money" : `Money(${sign})`,
    (u): u is Money =>
      isRecord(u) && typeof u["currency"] === "string" && typeof u["amount"] === "bigint",
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, "money as { currency, amount }");
      // Strict like requests: a money object has exactly these two fields.
      const extra = Object.keys(u).find((key) => key !== "currency" && key !== "amount");
      if (extra !== undefined)
        return t.failure(
          u[extra],
          t.appendContext(c, extra, t.unknown, u[extra]),
          `no field named "${extra}" here (known fields: currency, amount)`,
        );
      const amount = validateAmount(u["currency"], u["amount"], u, c);
      return amount._tag === "Left"
        ? amount
        : t.success({ currency: u["currency"] as string, amount: amount.right });
    },
    (money) => ({
      currency: money.currency,
      amount: encodeAmount(registry, money.currency, money.amount),
    }),
  );
}

/** A posting: signed amount (debit positive, credit negative), never zero. */
export function postingCodec(registry: CurrencyRegistry): t.Type<Posting, PostingJson, unknown> {
  const validateAmount = amountValidator(registry, "signed");
  return new t.Type<Posting, PostingJson, unknown>(
    "Posting",
    (u): u is Posting =>
      isRecord(u) && typeof u["account"] === "string" && typeof u["amount"] === "bigint",
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, "a posting as { account, currency, amount }");
      const account = u["account"];
      if (typeof account !== "string" || !ACCOUNT_PATTERN.test(account)) {
        return t.failure(
          account,
          t.appendContext(c, "account", t.string, account),
          "an account address such as liabilities:wallets:w1:available",
        );
      }
      const amount = validateAmount(u["currency"], u["amount"], u, c);
      if (amount._tag === "Left") return amount;
      if (amount.right === 0n)
        return t.failure(
          u["amount"],
          t.appendContext(c, "amount", t.string, u["amount"]),
          "a non-zero posting amount",
        );
      return t.success({ account, currency: u["currency"] as string, amount: amount.right });
    },
    (posting) => ({
      account: posting.account,
      currency: posting.currency,
      amount: encodeAmount(registry, posting.currency, posting.amount),
    }),
  );
}
