/**
 * From a decision to an HTTP answer. The status follows the result (docs/reference/http-api.md):
 *
 *   accepted, first time                 201  { status: "accepted", events }
 *   accepted, a retry of the same key    200  the same body, header Idempotent-Replayed: true
 *   rejected, retryable                  409  { status: "rejected", rejection, retryable: true }
 *   rejected, permanent                  422  { status: "rejected", rejection, retryable: false }
 *   invalid (does not decode)            400  { status: "invalid", issues }
 *   store unavailable, or no decision    503  { status: "unavailable", message }, Retry-After
 *
 * 409 says "the ledger's state conflicts with this now; the same request may succeed later"
 * (funds arrive, a wallet is unfrozen); 422 says "this request can never succeed as it is".
 * The split is the core's own `isRetryable`, so it cannot disagree with `pacioli apply`.
 */
import type { CurrencyRegistry } from "@pacioli/core";
import { executeResultJson, type ExecuteResult, type ExecuteResultJson } from "@pacioli/engine";
import type { GatewayOutcome } from "./command-gateway.js";

export interface CommandResponse {
  readonly statusCode: 200 | 201 | 400 | 409 | 422 | 503;
  /** The label of the outcome in metrics and logs. */
  readonly outcome: "accepted" | "repeated" | "rejected" | "invalid" | "unavailable";
  readonly body: Readonly<Record<string, unknown>>;
  readonly replayed: boolean;
}

/** The body of `pacioli apply`'s result line (`executeResultJson`), without `repeated`: the status code says it. */
export function resultBody(
  registry: CurrencyRegistry,
  result: ExecuteResult,
): Readonly<Record<string, unknown>> {
  const { repeated: _repeated, ...body } = executeResultJson(
    result,
    registry,
  ) as ExecuteResultJson & { readonly repeated?: boolean };
  return body;
}

export function commandResponse(
  registry: CurrencyRegistry,
  outcome: Exclude<GatewayOutcome, { _tag: "Abandoned" }>,
): CommandResponse {
  if (outcome._tag === "Unavailable")
    return {
      statusCode: 503,
      outcome: "unavailable",
      body: { status: "unavailable", message: outcome.reason },
      replayed: false,
    };
  const result = outcome.result;
  const body = resultBody(registry, result);
  switch (result._tag) {
    case "Accepted":
      return result.repeated
        ? { statusCode: 200, outcome: "repeated", body, replayed: true }
        : { statusCode: 201, outcome: "accepted", body, replayed: false };
    case "Rejected":
      return {
        statusCode: result.retryable ? 409 : 422,
        outcome: "rejected",
        body,
        replayed: false,
      };
    case "Invalid":
      return { statusCode: 400, outcome: "invalid", body, replayed: false };
  }
}
