/**
 * `POST /commands` (one command) and `POST /commands:batch` (many, answered in order). The
 * request is exactly a line of `pacioli apply` (docs/reference/jsonl-formats.md); the
 * idempotency key may come in the `Idempotency-Key` header instead of the body.
 *
 * A batch's commands are sent to the engine together, so they share group commits, and each
 * gets the answer `POST /commands` would have given it (`code`), in input order.
 */
import { setMaxListeners } from "node:events";
import type { FastifyInstance, FastifyReply } from "fastify";
import { sendCommand } from "../command-gateway.js";
import { commandResponse, type CommandResponse } from "../command-response.js";
import { sendJson, sendProblem } from "../http/problem.js";
import { BATCH_REQUESTS_MAX } from "../limits.js";
import { inSpan } from "../observability/tracing.js";
import type { ServerContext } from "../server-context.js";

export function registerCommandRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post("/commands", async (request, reply) => {
    const input = withHeaderKey(request.body, request.headers["idempotency-key"]);
    if (input._tag === "Conflict")
      return sendJson(reply, 400, { status: "invalid", issues: [input.issue] });
    const response = await decide(context, input.value, callerGone(reply));
    if (response === undefined) return reply; // the caller left: nothing to write
    if (response.replayed) void reply.header("idempotent-replayed", "true");
    if (response.statusCode === 503)
      void reply.header("retry-after", String(context.retryAfterSeconds));
    return sendJson(reply, response.statusCode, response.body);
  });

  // "::" is the router's escape for a literal ":" (Google's custom-method style, `/commands:batch`).
  app.post("/commands::batch", async (request, reply) => {
    const requests = request.body;
    if (!Array.isArray(requests))
      return sendProblem(
        reply,
        400,
        "malformed",
        "the body of /commands:batch is a JSON array of command requests",
      );
    if (requests.length === 0 || requests.length > BATCH_REQUESTS_MAX)
      return sendProblem(
        reply,
        400,
        "malformed",
        `a batch holds 1 to ${BATCH_REQUESTS_MAX} command requests, not ${requests.length}`,
      );
    const signal = callerGone(reply);
    const responses = await Promise.all(
      requests.map((item: unknown) => decide(context, item, signal)),
    );
    if (signal.aborted) return reply;
    const results = responses.map((response) =>
      response === undefined
        ? { code: 503, status: "unavailable" }
        : {
            code: response.statusCode,
            ...response.body,
            ...(response.replayed ? { repeated: true } : {}),
          },
    );
    return sendJson(reply, 200, { results });
  });
}

/** Sends one command, records its metrics and log line; undefined when the caller left. */
async function decide(
  context: ServerContext,
  input: unknown,
  signal: AbortSignal,
): Promise<CommandResponse | undefined> {
  const started = process.hrtime.bigint();
  const type = commandType(context, input);
  const outcome = await inSpan(
    "pacioli.command",
    { "pacioli.command.type": type },
    async (span) => {
      const sent = await sendCommand(context.ledger, input, context.commandWaitMs, signal);
      span.setAttribute("pacioli.outcome", sent._tag === "Decided" ? sent.result._tag : sent._tag);
      return sent;
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const key = idempotencyKeyOf(input);
  if (outcome._tag === "Abandoned") {
    context.metrics.commands.inc({ type, status: "abandoned" });
    context.logger.info(
      { type, idempotencyKey: key, outcome: "abandoned" },
      "caller left before the decision; the command completes and stays idempotent",
    );
    return undefined;
  }
  const response = commandResponse(context.ledger.registry, outcome);
  context.metrics.commands.inc({ type, status: response.outcome });
  context.metrics.commandSeconds.observe({ status: response.outcome }, seconds);
  const fields = {
    type,
    idempotencyKey: key,
    outcome: response.outcome,
    code: response.statusCode,
    ms: Math.round(seconds * 1e6) / 1e3,
  };
  if (response.outcome === "unavailable") context.logger.warn(fields, "command not decided");
  else context.logger.info(fields, "command");
  return response;
}

type KeyedInput =
  | { readonly _tag: "Ok"; readonly value: unknown }
  | { readonly _tag: "Conflict"; readonly issue: Readonly<Record<string, unknown>> };

/** The header's key goes into the body when the body has none; two different keys are refused. */
function withHeaderKey(body: unknown, header: string | string[] | undefined): KeyedInput {
  if (header === undefined || !isPlainObject(body)) return { _tag: "Ok", value: body };
  const key = Array.isArray(header) ? header.join(",") : header;
  const inBody = body["idempotencyKey"];
  if (inBody === undefined) return { _tag: "Ok", value: { ...body, idempotencyKey: key } };
  if (inBody === key) return { _tag: "Ok", value: body };
  return {
    _tag: "Conflict",
    issue: {
      path: "idempotencyKey",
      expected: "the same key as the Idempotency-Key header",
      actual: inBody,
    },
  };
}

/** Aborted when the client closes the connection before the answer is written. */
function callerGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(BATCH_REQUESTS_MAX + 1, controller.signal); // one listener per command of a batch
  // `writableEnded`: the answer was handed to the socket (an injected request never "finishes").
  reply.raw.once("close", () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  return controller.signal;
}

function commandType(context: ServerContext, input: unknown): string {
  const command = isPlainObject(input) ? input["command"] : undefined;
  const type = isPlainObject(command) ? command["type"] : undefined;
  return typeof type === "string" && context.commandTypes.has(type) ? type : "unknown";
}

function idempotencyKeyOf(input: unknown): string | undefined {
  const key = isPlainObject(input) ? input["idempotencyKey"] : undefined;
  return typeof key === "string" ? key.slice(0, 255) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
