/**
 * The schemas of the HTTP API's answers that are not generated from the core's codecs:
 * command outcomes, problems, balances, history pages and lines, lookups, the audit reading
 * and the change feed. History lines mirror the engine's `history-json.ts` key for key (a
 * test compares them with it and with docs/reference/history-queries.md).
 */
import type { JsonSchema } from "./named-schemas.js";

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const decimalText = { type: "string", pattern: "^-?[0-9]+(\\.[0-9]+)?$" };

/**
 * A history line: the event, the fields of its kind (wallet or account), then what the
 * command carried and the other side of the entry; every key always present (null when the
 * command did not carry it), no other key (the engine's `history-json.ts`).
 */
function historyLine(description: string, fields: Readonly<Record<string, JsonSchema>>) {
  const properties: Readonly<Record<string, JsonSchema>> = {
    sequence: { type: "integer", minimum: 1 },
    recordedAt: ref("Timestamp"),
    type: { type: "string" },
    ...fields,
    counterparty: {
      type: ["string", "null"],
      description: "the account on the other side (the largest posting of the other sign)",
    },
    commandId: { type: "string" },
    idempotencyKey: ref("IdempotencyKey"),
    actor: { type: ["string", "null"] },
    metadata: { type: ["object", "null"], additionalProperties: { type: "string" } },
  };
  return {
    type: "object",
    description,
    required: Object.keys(properties),
    properties,
    additionalProperties: false,
  };
}
export const responseSchemas: Readonly<Record<string, JsonSchema>> = {
  RecordedEvent: {
    type: "object",
    required: [
      "sequence",
      "recordedAt",
      "commandId",
      "idempotencyKey",
      "digest",
      "indexInCommand",
      "eventsInCommand",
      "event",
    ],
    properties: {
      sequence: { type: "integer", minimum: 1 },
      recordedAt: ref("Timestamp"),
      effectiveAt: ref("Timestamp"),
      commandId: { type: "string" },
      idempotencyKey: ref("IdempotencyKey"),
      digest: { type: "string" },
      actor: { type: "string" },
      metadata: { type: "object", additionalProperties: { type: "string" } },
      indexInCommand: { type: "integer", minimum: 0 },
      eventsInCommand: { type: "integer", minimum: 1 },
      event: ref("LedgerEvent"),
    },
  },
  Accepted: {
    type: "object",
    required: ["status", "events"],
    properties: {
      status: { const: "accepted" },
      events: { type: "array", items: ref("RecordedEvent") },
    },
  },
  Rejected: {
    type: "object",
    required: ["status", "rejection", "retryable"],
    properties: {
      status: { const: "rejected" },
      rejection: {
        type: "object",
        required: ["_tag"],
        properties: {
          _tag: {
            type: "string",
            description:
              "the rule broken (docs/reference/rejections.md); amounts are minor units as strings",
          },
        },
      },
      retryable: { type: "boolean" },
    },
  },
  Invalid: {
    type: "object",
    required: ["status", "issues"],
    properties: {
      status: { const: "invalid" },
      issues: {
        type: "array",
        items: {
          type: "object",
          required: ["path", "expected"],
          properties: { path: { type: "string" }, expected: { type: "string" }, actual: {} },
        },
      },
    },
  },
  Unavailable: {
    type: "object",
    required: ["status", "message"],
    properties: { status: { const: "unavailable" }, message: { type: "string" } },
  },
  Problem: {
    type: "object",
    required: ["status", "message"],
    properties: {
      status: { enum: ["malformed", "not-found", "unavailable", "error"] },
      message: { type: "string" },
      code: { type: "string" },
    },
  },
  BatchResults: {
    type: "object",
    required: ["results"],
    properties: {
      results: {
        type: "array",
        items: {
          type: "object",
          required: ["code", "status"],
          properties: {
            code: { enum: [200, 201, 400, 409, 422, 503] },
            status: { enum: ["accepted", "rejected", "invalid", "unavailable"] },
            repeated: { type: "boolean" },
          },
        },
      },
    },
  },
  WalletBalances: {
    type: "object",
    required: ["walletId", "sequence", "balances"],
    properties: {
      walletId: ref("EntityId"),
      sequence: { type: "integer", minimum: 0 },
      balances: {
        type: "array",
        items: {
          type: "object",
          required: ["currency", "available", "held", "total"],
          properties: {
            currency: { type: "string" },
            available: decimalText,
            held: decimalText,
            total: decimalText,
          },
        },
      },
    },
  },
  WalletHistoryLine: historyLine(
    "a wallet's line in the holder's sense (+ means more money for the holder)",
    {
      currency: { type: "string" },
      availableChange: decimalText,
      heldChange: decimalText,
      available: decimalText,
      held: decimalText,
    },
  ),
  HistoryPage: {
    type: "object",
    required: ["walletId", "lines", "nextCursor"],
    properties: {
      walletId: ref("EntityId"),
      lines: { type: "array", items: ref("WalletHistoryLine") },
      nextCursor: { type: ["integer", "null"] },
    },
  },
  AccountHistoryLine: historyLine(
    "any account's line, signed as the ledger signs it: debit positive, credit negative",
    {
      account: { type: "string" },
      currency: { type: "string" },
      amount: decimalText,
      balance: decimalText,
    },
  ),
  AccountHistoryPage: {
    type: "object",
    required: ["account", "lines", "nextCursor"],
    properties: {
      account: { type: "string" },
      lines: { type: "array", items: ref("AccountHistoryLine") },
      nextCursor: { type: ["integer", "null"] },
    },
  },
  AccountBalance: {
    type: "object",
    required: ["account", "currency", "balance", "sequence", "at"],
    properties: {
      account: { type: "string" },
      currency: { type: "string" },
      balance: { ...decimalText, description: "signed: debit positive, credit negative" },
      sequence: { type: ["integer", "null"], description: "as of just after this event" },
      at: {
        type: ["string", "null"],
        description: "as of every event recorded at or before this instant",
      },
    },
    additionalProperties: false,
  },
  FoundEvents: {
    type: "object",
    required: ["events", "nextCursor"],
    properties: {
      events: { type: "array", items: ref("RecordedEvent") },
      nextCursor: { type: ["integer", "null"], description: "pass as `after` for the next page" },
    },
  },
  AuditReading: {
    type: "object",
    required: ["stream", "sequence", "headHash", "trialBalance", "trialBalanceIsZero"],
    properties: {
      stream: { type: "string" },
      sequence: { type: "integer", minimum: 0 },
      headHash: { type: "string", pattern: "^[0-9a-f]{64}$" },
      trialBalance: {
        type: "array",
        items: {
          type: "object",
          required: ["currency", "total"],
          properties: { currency: { type: "string" }, total: decimalText },
        },
      },
      trialBalanceIsZero: { type: "boolean" },
    },
  },
  EventsPage: {
    type: "object",
    required: ["events", "last"],
    properties: {
      events: {
        type: "array",
        items: {
          type: "object",
          required: ["position", "event"],
          properties: { position: { type: "string" }, event: ref("RecordedEvent") },
        },
      },
      last: { type: ["string", "null"] },
    },
  },
};
