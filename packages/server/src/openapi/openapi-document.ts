/**
 * The OpenAPI 3.1 document of the HTTP API, served at `/openapi.json`. Request bodies and the
 * recorded events in answers are generated from the core's io-ts codecs (`codec-schema.ts`),
 * so the document cannot drift from what the server decodes; the paths, status codes and the
 * other answers are written here, next to the routes, and tested against the server.
 */
import {
  ACCOUNT_PATTERN,
  commandRequestCodec,
  CURRENCY_PATTERN,
  ledgerCommandCodec,
  ledgerEventCodec,
  type CurrencyRegistry,
} from "@pacioli/core";
import type * as t from "io-ts";
import {
  BATCH_REQUESTS_MAX,
  BODY_BYTES_MAX,
  EVENTS_PAGE_MAX,
  EVENTS_WAIT_MS_MAX,
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
} from "../limits.js";
import { HISTORY_LOOKUP_LIMIT_MAX } from "@pacioli/engine";
import { describeCodec, type Components } from "./codec-schema.js";
import type { JsonSchema } from "./named-schemas.js";
import { ref, responseSchemas } from "./response-schemas.js";
import { AssertionFailure } from "@pacioli/core";

export interface ApiDescription {
  readonly document: JsonSchema;
  /** A request the codecs accept, for every command type (in the document's examples too). */
  readonly commandExamples: ReadonlyMap<string, unknown>;
  readonly commandTypes: readonly string[];
}

const json = (schema: JsonSchema, example?: unknown) => ({
  content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } },
});
const answer = (description: string, schema: JsonSchema, headers?: JsonSchema) => ({
  description,
  ...json(schema),
  ...(headers === undefined ? {} : { headers }),
});
const retryAfter = {
  "Retry-After": { description: "seconds to wait before retrying", schema: { type: "integer" } },
};

export function apiDescription(registry: CurrencyRegistry): ApiDescription {
  const components: Components = {
    schemas: new Map(),
    unions: new Map<string, { component: string; codec: t.Mixed }>([
      [
        ledgerCommandCodec(registry).name,
        { component: "LedgerCommand", codec: ledgerCommandCodec(registry) },
      ],
      [
        ledgerEventCodec(registry).name,
        { component: "LedgerEvent", codec: ledgerEventCodec(registry) },
      ],
    ]),
    probed: new Map<string, t.Mixed>([
      [commandRequestCodec(registry).name, commandRequestCodec(registry)],
    ]),
    examples: new Map(),
  };
  const request = describeCodec(commandRequestCodec(registry), components);
  describeCodec(ledgerEventCodec(registry), components);
  components.schemas.set("CommandRequest", request.schema);
  const discriminator = components.schemas.get("LedgerCommand")?.["discriminator"] as
    { readonly mapping: Readonly<Record<string, string>> } | undefined;
  if (discriminator === undefined)
    throw new AssertionFailure("the command union was not described");
  const commandTypes = Object.keys(discriminator.mapping);
  const commandExamples = new Map(
    commandTypes.map((type) => [
      type,
      { idempotencyKey: `example-${type}`, command: components.examples.get(type) },
    ]),
  );
  for (const [name, schema] of Object.entries(responseSchemas))
    components.schemas.set(name, schema);
  const document = {
    openapi: "3.1.0",
    info: {
      title: "Pacioli ledger",
      version: "0.1.0",
      description:
        "An event-sourced double-entry ledger for digital wallets. Money is a decimal string in the currency's exponent, never a JSON number; " +
        "rejection amounts are minor units as strings. Every command carries an idempotency key: a retry returns the original result. " +
        `Bodies are at most ${BODY_BYTES_MAX} bytes. See docs/reference/http-api.md.`,
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    paths: paths(commandExamples),
    components: {
      schemas: Object.fromEntries(
        [...components.schemas.entries()].sort(([left], [right]) => (left < right ? -1 : 1)),
      ),
    },
  };
  return { document, commandExamples, commandTypes };
}

const commandAnswers = {
  "200": answer(
    "a retry of an idempotency key already accepted: the original body (header Idempotent-Replayed: true)",
    ref("Accepted"),
    { "Idempotent-Replayed": { schema: { const: "true" } } },
  ),
  "201": answer("accepted: the events are durable", ref("Accepted")),
  "400": answer(
    "invalid: the request does not decode, or it is malformed (bad JSON); nothing was decided",
    { oneOf: [ref("Invalid"), ref("Problem")] },
  ),
  "409": answer(
    "rejected, retryable: the ledger's state refuses it now, the same request may succeed later",
    ref("Rejected"),
  ),
  "413": answer("the body is larger than the limit", ref("Problem")),
  "415": answer("the content type is not application/json", ref("Problem")),
  "422": answer("rejected, permanent: the request can never succeed as it is", ref("Rejected")),
  "503": answer(
    "the store is unavailable, the server is shutting down, or no decision came in time: retry with the same key",
    ref("Unavailable"),
    retryAfter,
  ),
};

function paths(examples: ReadonlyMap<string, unknown>) {
  const walletId = { name: "walletId", in: "path", required: true, schema: ref("EntityId") };
  const notFound = { "404": answer("no such wallet", ref("Problem")) };
  const malformed = { "400": answer("a query parameter out of shape", ref("Problem")) };
  const pathOrQueryMalformed = {
    "400": answer("a path or query parameter out of shape", ref("Problem")),
  };
  const account = {
    name: "account",
    in: "path",
    required: true,
    schema: { type: "string", pattern: ACCOUNT_PATTERN.source },
    description: "an account of the chart, e.g. income:fees:checkout",
  };
  const currencyParameter = {
    name: "currency",
    in: "query",
    schema: { type: "string", pattern: CURRENCY_PATTERN.source },
  };
  const limitParameter = {
    name: "limit",
    in: "query",
    schema: {
      type: "integer",
      minimum: 1,
      maximum: HISTORY_PAGE_MAX,
      default: HISTORY_PAGE_DEFAULT,
    },
  };
  const cursorParameter = {
    name: "cursor",
    in: "query",
    schema: { type: "integer", minimum: 1 },
    description: "a previous page's nextCursor",
  };
  return {
    "/commands": {
      post: {
        operationId: "executeCommand",
        summary: "Execute one command",
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: ref("IdempotencyKey"),
            description: "instead of the body's idempotencyKey (both: they must be equal)",
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("CommandRequest"),
              examples: Object.fromEntries([...examples].map(([type, value]) => [type, { value }])),
            },
          },
        },
        responses: commandAnswers,
      },
    },
    "/commands:batch": {
      post: {
        operationId: "executeCommands",
        summary: `Execute 1 to ${BATCH_REQUESTS_MAX} commands; one result each, in order`,
        requestBody: {
          required: true,
          ...json({
            type: "array",
            minItems: 1,
            maxItems: BATCH_REQUESTS_MAX,
            items: ref("CommandRequest"),
          }),
        },
        responses: {
          "200": answer(
            "one result per request, in order; `code` is what POST /commands would have answered",
            ref("BatchResults"),
          ),
          "400": answer("not an array, or too many requests", ref("Problem")),
          "413": commandAnswers["413"],
          "415": commandAnswers["415"],
        },
      },
    },
    "/wallets/{walletId}/balances": {
      get: {
        operationId: "walletBalances",
        summary: "A wallet's available, held and total money per currency",
        parameters: [walletId],
        responses: { "200": answer("the balances", ref("WalletBalances")), ...notFound },
      },
    },
    "/wallets/{walletId}/history": {
      get: {
        operationId: "walletHistory",
        summary: "A wallet's entries, newest first, a page at a time",
        parameters: [walletId, limitParameter, cursorParameter],
        responses: { "200": answer("one page", ref("HistoryPage")), ...malformed, ...notFound },
      },
    },
    "/accounts/{account}/history": {
      get: {
        operationId: "accountHistory",
        summary: "Any account's lines (merchant, fee, escrow, clearing…), newest first",
        parameters: [
          account,
          limitParameter,
          cursorParameter,
          { ...currencyParameter, description: "only this currency's lines" },
        ],
        responses: {
          "200": answer("one page", ref("AccountHistoryPage")),
          ...pathOrQueryMalformed,
        },
      },
    },
    "/accounts/{account}/balance": {
      get: {
        operationId: "accountBalance",
        summary: "An account's balance in a currency: now, just after a sequence, or at a time",
        parameters: [
          account,
          { ...currencyParameter, required: true },
          {
            name: "sequence",
            in: "query",
            schema: { type: "integer", minimum: 0 },
            description: "just after this event (at most the ledger's last); not with `at`",
          },
          {
            name: "at",
            in: "query",
            schema: ref("Timestamp"),
            description: "every event recorded at or before this instant; not with `sequence`",
          },
        ],
        responses: {
          "200": answer("the balance", ref("AccountBalance")),
          ...pathOrQueryMalformed,
        },
      },
    },
    "/events/lookup": {
      get: {
        operationId: "findEvents",
        summary:
          "The recorded events of a command, by idempotency key, command id or metadata pair (exactly one)",
        parameters: [
          { name: "idempotencyKey", in: "query", schema: ref("IdempotencyKey") },
          { name: "commandId", in: "query", schema: ref("EntityId") },
          {
            name: "metadataKey",
            in: "query",
            schema: { type: "string", minLength: 1 },
            description: "with metadataValue: events whose metadata holds this pair",
          },
          { name: "metadataValue", in: "query", schema: { type: "string" } },
          {
            name: "limit",
            in: "query",
            schema: {
              type: "integer",
              minimum: 1,
              maximum: HISTORY_LOOKUP_LIMIT_MAX,
              default: 100,
            },
          },
          {
            name: "after",
            in: "query",
            schema: { type: "integer", minimum: 0 },
            description: "a previous answer's nextCursor",
          },
        ],
        responses: {
          "200": answer("the events, oldest first", ref("FoundEvents")),
          ...malformed,
        },
      },
    },
    "/audit": {
      get: {
        operationId: "auditReading",
        summary:
          "Chain head and trial balance of the live ledger (no verdict: `pacioli audit` verifies)",
        responses: { "200": answer("the reading", ref("AuditReading")) },
      },
    },
    "/events": {
      get: {
        operationId: "changeFeed",
        summary: "Recorded events after a position (long poll)",
        parameters: [
          {
            name: "after",
            in: "query",
            schema: { type: "string" },
            description: "the `last` of the previous answer; none = from the start",
          },
          {
            name: "limit",
            in: "query",
            schema: { type: "integer", minimum: 1, maximum: EVENTS_PAGE_MAX, default: 100 },
          },
          {
            name: "wait",
            in: "query",
            schema: { type: "integer", minimum: 0, maximum: EVENTS_WAIT_MS_MAX, default: 0 },
            description: "ms to wait for a new event when there is none",
          },
        ],
        responses: { "200": answer("events in commit order", ref("EventsPage")), ...malformed },
      },
    },
    "/healthz": {
      get: {
        operationId: "health",
        summary: "The process answers",
        responses: { "200": answer("alive", { type: "object" }) },
      },
    },
    "/readyz": {
      get: {
        operationId: "readiness",
        summary: "The server takes commands",
        responses: {
          "200": answer("ready", { type: "object" }),
          "503": answer("shutting down", ref("Unavailable"), retryAfter),
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "metrics",
        summary: "Prometheus metrics (text exposition format)",
        responses: {
          "200": {
            description: "metrics",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openapi",
        summary: "This document",
        responses: { "200": answer("the document", { type: "object" }) },
      },
    },
  };
}
