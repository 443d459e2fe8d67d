/**
 * JSON Schemas of the core's hand-written codecs (those built with `new t.Type`, which io-ts
 * cannot describe structurally), by codec name, each with an example the codec accepts. A
 * codec the core adds without an entry here makes the document generation throw, so the
 * OpenAPI test fails until it is described: the document cannot silently lag the codecs.
 */
import {
  ACCOUNT_PATTERN,
  ACTOR_LENGTH_MAX,
  CURRENCY_PATTERN,
  ID_PATTERN,
  METADATA_ENTRIES_MAX,
  METADATA_KEY_LENGTH_MAX,
  METADATA_VALUE_LENGTH_MAX,
  RESERVE_DAYS_MAX,
  ROUNDING_MODES,
} from "@pacioli/core";

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface NamedSchema {
  /** Component name in `#/components/schemas`. */
  readonly component: string;
  readonly schema: JsonSchema;
  readonly example: unknown;
}

const decimal = "^-?[0-9]+(\\.[0-9]+)?$";
const unsignedDecimal = "^[0-9]+(\\.[0-9]+)?$";

const money = (component: string, description: string): NamedSchema => ({
  component,
  schema: {
    type: "object",
    description,
    required: ["currency", "amount"],
    properties: {
      currency: {
        type: "string",
        pattern: CURRENCY_PATTERN.source,
        description: "a currency known to the ledger (ISO 4217 or a custom asset)",
      },
      amount: {
        type: "string",
        pattern: unsignedDecimal,
        description: "a decimal string with at most the currency's decimals; never a JSON number",
      },
    },
    additionalProperties: false,
  },
  example: { currency: "USD", amount: "12.34" },
});

export const NAMED_SCHEMAS: Readonly<Record<string, NamedSchema>> = {
  EntityId: {
    component: "EntityId",
    schema: {
      type: "string",
      pattern: ID_PATTERN.source,
      description: "1-64 letters, digits, '_', '.', '-'",
    },
    example: "w1",
  },
  IdempotencyKey: {
    component: "IdempotencyKey",
    schema: {
      type: "string",
      pattern: "^[\\x21-\\x7e]{1,255}$",
      description: "1-255 printable ASCII characters",
    },
    example: "order-A17-pay",
  },
  Timestamp: {
    component: "Timestamp",
    schema: {
      type: "string",
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$",
      description: "ISO-8601 UTC",
    },
    example: "2026-12-01T00:00:00Z",
  },
  Actor: {
    component: "Actor",
    schema: {
      type: "string",
      minLength: 1,
      maxLength: ACTOR_LENGTH_MAX,
      description: "who sent the command, recorded on its events",
    },
    example: "checkout-service",
  },
  RequestMetadata: {
    component: "RequestMetadata",
    schema: {
      type: "object",
      description: "string metadata recorded on the command's events",
      maxProperties: METADATA_ENTRIES_MAX,
      propertyNames: { minLength: 1, maxLength: METADATA_KEY_LENGTH_MAX },
      additionalProperties: { type: "string", maxLength: METADATA_VALUE_LENGTH_MAX },
    },
    example: { order: "A-17" },
  },
  Reason: {
    component: "Reason",
    schema: { type: "string", minLength: 1, maxLength: 500 },
    example: "suspected fraud",
  },
  Money: money("Money", "money with a positive amount"),
  "Money(non-negative)": money("MoneyOrZero", "money whose amount may be zero"),
  Posting: {
    component: "Posting",
    schema: {
      type: "object",
      description: "one leg of an entry: debit positive, credit negative, never zero",
      required: ["account", "currency", "amount"],
      properties: {
        account: { type: "string", pattern: ACCOUNT_PATTERN.source },
        currency: { type: "string", pattern: CURRENCY_PATTERN.source },
        amount: { type: "string", pattern: decimal },
      },
      additionalProperties: false,
    },
    example: { account: "liabilities:wallets:w1:available", currency: "USD", amount: "-12.34" },
  },
  Rate: {
    component: "Rate",
    schema: {
      type: "string",
      pattern: unsignedDecimal,
      description: "a positive decimal rate, target units per source unit",
    },
    example: "1.0825",
  },
  CurrencyCode: {
    component: "CurrencyCode",
    schema: {
      type: "string",
      pattern: CURRENCY_PATTERN.source,
      description: "a currency known to the ledger",
    },
    example: "EUR",
  },
  BasisPoints: {
    component: "BasisPoints",
    schema: { type: "integer", minimum: 0, maximum: 10000 },
    example: 290,
  },
  ReserveDays: {
    component: "ReserveDays",
    schema: { type: "integer", minimum: 0, maximum: RESERVE_DAYS_MAX },
    example: 30,
  },
  RoundingMode: {
    component: "RoundingMode",
    schema: { type: "string", enum: [...ROUNDING_MODES] },
    example: ROUNDING_MODES[0],
  },
  MaskedNumber: {
    component: "MaskedNumber",
    schema: {
      type: "string",
      pattern: "^[*•xX .-]{0,24}[0-9]{4}$",
      description: "at most the last 4 digits",
    },
    example: "**** 4242",
  },
  PositiveInteger: {
    component: "PositiveInteger",
    schema: { type: "integer", minimum: 1 },
    example: 3,
  },
  NonNegativeInteger: {
    component: "NonNegativeInteger",
    schema: { type: "integer", minimum: 0 },
    example: 0,
  },
};
