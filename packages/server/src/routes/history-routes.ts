/**
 * The history projection's queries over HTTP (docs/reference/history-queries.md, ADR 0018):
 *
 * - `GET /accounts/{account}/history`: any account of the chart, newest first, a page at a
 *   time (`limit`, `cursor`, `currency`), each line with the command's id, key, actor and
 *   metadata and the account on the other side;
 * - `GET /accounts/{account}/balance`: its balance in a currency now, just after a
 *   `sequence`, or at an instant (`at`);
 * - `GET /events/lookup`: the recorded events of a command found by `idempotencyKey`,
 *   `commandId` or a metadata pair (`metadataKey` and `metadataValue`), oldest first.
 *
 * Lines are written by the engine's `accountHistoryLineJson`, the CLI's format too. An
 * account is any name of the chart's shape: one that never moved has no lines and balance 0.
 */
import {
  ACCOUNT_PATTERN,
  CURRENCY_PATTERN,
  formatTimestamp,
  ID_PATTERN,
  lookupCurrency,
  METADATA_KEY_LENGTH_MAX,
  METADATA_VALUE_LENGTH_MAX,
  parseTimestamp,
  recordedEventCodec,
  type CurrencyRegistry,
} from "@pacioli/core";
import {
  accountHistoryLineJson,
  amountText,
  HISTORY_LOOKUP_LIMIT_MAX,
  type EventLookup,
} from "@pacioli/engine";
import type { FastifyInstance, FastifyReply } from "fastify";
import { sendJson, sendProblem } from "../http/problem.js";
import {
  integerParameter,
  pageParameters,
  textParameter,
  type QueryValue,
} from "../http/query-values.js";
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from "../limits.js";
import type { ServerContext } from "../server-context.js";

interface AccountParams {
  readonly account: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const METADATA_KEY_PATTERN = new RegExp(`^[^\\u0000]{1,${METADATA_KEY_LENGTH_MAX}}$`);
const METADATA_VALUE_PATTERN = new RegExp(`^[^\\u0000]{0,${METADATA_VALUE_LENGTH_MAX}}$`);
const TIMESTAMP_SHAPE = /^[0-9T:.Z-]{1,40}$/;

export function registerHistoryRoutes(app: FastifyInstance, context: ServerContext): void {
  const { ledger } = context;

  app.get<{ Params: AccountParams }>("/accounts/:account/history", async (request, reply) => {
    const account = accountOf(reply, request.params.account);
    if (account === undefined) return reply;
    const page = pageParameters(request.query, HISTORY_PAGE_MAX, HISTORY_PAGE_DEFAULT);
    if (page._tag === "Bad") return sendProblem(reply, 400, "malformed", page.message);
    const currency = currencyParameter(ledger.registry, request.query, false);
    if (currency._tag === "Bad") return sendProblem(reply, 400, "malformed", currency.message);
    const history = await ledger.accountHistory(account, {
      ...page.value,
      ...(currency.value === undefined ? {} : { currency: currency.value }),
    });
    const lines = history.lines.map((line) => accountHistoryLineJson(ledger.registry, line));
    return sendJson(reply, 200, { account, lines, nextCursor: history.nextCursor ?? null });
  });

  app.get<{ Params: AccountParams }>("/accounts/:account/balance", async (request, reply) => {
    const account = accountOf(reply, request.params.account);
    if (account === undefined) return reply;
    const currency = currencyParameter(ledger.registry, request.query, true);
    if (currency._tag === "Bad") return sendProblem(reply, 400, "malformed", currency.message);
    const sequence = integerParameter(
      request.query,
      "sequence",
      0,
      Number.MAX_SAFE_INTEGER,
      undefined,
    );
    if (sequence._tag === "Bad") return sendProblem(reply, 400, "malformed", sequence.message);
    const at = textParameter(request.query, "at", TIMESTAMP_SHAPE, "an ISO-8601 UTC time");
    if (at._tag === "Bad") return sendProblem(reply, 400, "malformed", at.message);
    const instant = at.value === undefined ? undefined : parseTimestamp(at.value);
    if (at.value !== undefined && instant === undefined)
      return sendProblem(reply, 400, "malformed", "at must be an ISO-8601 UTC time");
    if (sequence.value !== undefined && instant !== undefined)
      return sendProblem(reply, 400, "malformed", "give sequence or at, not both");
    const code = currency.value ?? "";
    // Without either: just after the last acknowledged event.
    if (sequence.value !== undefined && sequence.value > ledger.sequence)
      return sendProblem(
        reply,
        400,
        "malformed",
        `sequence ${sequence.value} is beyond the ledger's last event (${ledger.sequence})`,
      );
    const asOf = sequence.value ?? (instant === undefined ? ledger.sequence : undefined);
    const point = asOf === undefined ? { at: Number(instant) } : { sequence: asOf };
    const balance = await ledger.accountBalanceAsOf(account, code, point);
    return sendJson(reply, 200, {
      account,
      currency: code,
      balance: amountText(ledger.registry, balance, code),
      sequence: asOf ?? null,
      at: instant === undefined ? null : formatTimestamp(instant),
    });
  });

  app.get("/events/lookup", async (request, reply) => {
    const lookup = lookupOf(request.query);
    if (lookup._tag === "Bad") return sendProblem(reply, 400, "malformed", lookup.message);
    const limit = integerParameter(request.query, "limit", 1, HISTORY_LOOKUP_LIMIT_MAX, 100);
    if (limit._tag === "Bad") return sendProblem(reply, 400, "malformed", limit.message);
    const after = integerParameter(request.query, "after", 0, Number.MAX_SAFE_INTEGER, undefined);
    if (after._tag === "Bad") return sendProblem(reply, 400, "malformed", after.message);
    const found = await ledger.findEvents(lookup.value, {
      limit: limit.value ?? 100,
      ...(after.value === undefined ? {} : { after: after.value }),
    });
    const codec = recordedEventCodec(ledger.registry);
    return sendJson(reply, 200, {
      events: found.events.map((event) => codec.encode(event)),
      nextCursor: found.nextCursor ?? null,
    });
  });
}

/** The account of the path, or undefined once a 400 is sent. */
function accountOf(reply: FastifyReply, account: string): string | undefined {
  if (ACCOUNT_PATTERN.test(account)) return account;
  void sendProblem(
    reply,
    400,
    "malformed",
    `${JSON.stringify(account.slice(0, 200))} is not an account of the chart (e.g. income:fees:checkout)`,
  );
  return undefined;
}

function currencyParameter(
  registry: CurrencyRegistry,
  query: unknown,
  required: boolean,
): QueryValue<string | undefined> {
  const currency = textParameter(query, "currency", CURRENCY_PATTERN, "a currency code, e.g. USD");
  if (currency._tag === "Bad") return currency;
  if (currency.value === undefined)
    return required ? { _tag: "Bad", message: "currency is required, e.g. USD" } : currency;
  return lookupCurrency(registry, currency.value)._tag === "Right"
    ? currency
    : { _tag: "Bad", message: `currency ${currency.value} is not known to this ledger` };
}

/** Exactly one of idempotencyKey, commandId, or metadataKey with metadataValue. */
function lookupOf(query: unknown): QueryValue<EventLookup> {
  const key = textParameter(query, "idempotencyKey", KEY_PATTERN, "1-255 printable ASCII");
  if (key._tag === "Bad") return key;
  const command = textParameter(
    query,
    "commandId",
    ID_PATTERN,
    "an id of 1-64 letters, digits, '_', '.', '-'",
  );
  if (command._tag === "Bad") return command;
  const metadataKey = textParameter(
    query,
    "metadataKey",
    METADATA_KEY_PATTERN,
    `1-${METADATA_KEY_LENGTH_MAX} characters`,
  );
  if (metadataKey._tag === "Bad") return metadataKey;
  const metadataValue = textParameter(
    query,
    "metadataValue",
    METADATA_VALUE_PATTERN,
    `at most ${METADATA_VALUE_LENGTH_MAX} characters`,
  );
  if (metadataValue._tag === "Bad") return metadataValue;
  const metadata =
    metadataKey.value !== undefined || metadataValue.value !== undefined
      ? { key: metadataKey.value, value: metadataValue.value }
      : undefined;
  const given = [key.value, command.value, metadata].filter((value) => value !== undefined);
  if (given.length !== 1)
    return {
      _tag: "Bad",
      message: "give exactly one of idempotencyKey, commandId, or metadataKey with metadataValue",
    };
  if (key.value !== undefined) return { _tag: "Ok", value: { idempotencyKey: key.value } };
  if (command.value !== undefined) return { _tag: "Ok", value: { commandId: command.value } };
  if (metadata?.key === undefined || metadata.value === undefined)
    return { _tag: "Bad", message: "metadataKey and metadataValue go together" };
  return { _tag: "Ok", value: { metadata: { key: metadata.key, value: metadata.value } } };
}
