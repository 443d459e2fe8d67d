/**
 * The bad-input run: 10,000 generated malformed requests (bad JSON, wrong types, broken
 * money, wrong content types, random routes, methods and queries, oversize bodies), sent in
 * process with `app.inject`, plus a sample over a real socket. Every answer is below 500,
 * every POST is a 4xx, the server keeps answering, and the stored ledger is byte for byte
 * what it was before.
 */
import { iso4217 } from "@pacioli/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiDescription } from "./openapi/openapi-document.js";
import {
  depositRequest,
  openRequest,
  postCommand,
  startServer,
  storedText,
  type RunningServer,
} from "./testing/test-server.js";

const RUNS = 10_000;
const SOCKET_SAMPLE = 300;

interface Malformed {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  readonly url: string;
  readonly contentType: string | undefined;
  readonly idempotencyHeader: string | undefined;
  readonly payload: string | undefined;
}

const examples = [...apiDescription(iso4217).commandExamples.values()] as {
  idempotencyKey: string;
  command: Record<string, unknown>;
}[];
const invalidKey = fc.constantFrom("", " ", "with space", "é", "x".repeat(256), "tab\tkey");
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A real command whose idempotency key is broken, with one field replaced by anything: never valid, decoded deep. */
const brokenCommand = fc
  .tuple(
    fc.constantFrom(...examples),
    invalidKey,
    fc.option(fc.tuple(fc.string({ maxLength: 12 }), anyJson)),
  )
  .map(([example, key, replacement]) => {
    const command =
      replacement === null
        ? example.command
        : {
            ...example.command,
            [replacement[0] === "" ? "amount" : replacement[0]]: replacement[1],
          };
    return JSON.stringify({ ...example, idempotencyKey: key, command });
  });
const keylessCommand = fc
  .constantFrom(...examples)
  .map(({ command }) => JSON.stringify({ command, effectiveAt: 12 }));
const payload = fc.oneof(
  brokenCommand,
  keylessCommand,
  anyJson.map((value) => JSON.stringify(value)).filter((text) => !text.includes("idempotencyKey")),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    "{",
    "[",
    '{"idempotencyKey":',
    "nul",
    '{"a":1}}',
    "\u0000",
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
  ),
  fc.array(brokenCommand, { maxLength: 5 }).map((items) => `[${items.join(",")}]`),
);
const path = fc.oneof(
  fc.constantFrom(
    "/commands",
    "/commands:batch",
    "/commands::batch",
    "/wallets/w1/balances",
    "/wallets/w1/history",
    "/accounts/assets:clearing:card/history",
    "/accounts/assets:clearing:card/balance",
    "/events/lookup",
    "/audit",
    "/events",
    "/healthz",
    "/readyz",
    "/openapi.json",
  ),
  fc.webPath().map((text) => (text.startsWith("/") ? text : `/${text}`)),
  fc
    .tuple(
      fc.constantFrom("/wallets/", "/commands/", "/events/", "/accounts/"),
      fc.string({ maxLength: 80 }),
    )
    .map(([head, tail]) => head + encodeURIComponent(tail)),
);
const query = fc.oneof(
  fc.constant(""),
  fc.webQueryParameters().map((text) => `?${text}`),
  fc
    .tuple(
      fc.constantFrom(
        "limit",
        "cursor",
        "after",
        "wait",
        "currency",
        "sequence",
        "at",
        "idempotencyKey",
        "commandId",
        "metadataKey",
        "metadataValue",
      ),
      fc.string({ maxLength: 20 }),
    )
    .map(([name, value]) => `?${name}=${encodeURIComponent(value)}`),
);
const malformed: fc.Arbitrary<Malformed> = fc.record({
  method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH"),
  url: fc.tuple(path, query).map(([head, tail]) => head + tail),
  contentType: fc.option(
    fc.constantFrom(
      "application/json",
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/xml",
      "multipart/form-data",
      "application/x-www-form-urlencoded",
      "application/json; charset=latin1",
      "*/*",
    ),
    { nil: undefined },
  ),
  idempotencyHeader: fc.option(fc.oneof(invalidKey, fc.string({ maxLength: 20 })), {
    nil: undefined,
  }),
  payload: fc.option(payload, { nil: undefined }),
});

function headersOf(request: Malformed): Record<string, string> {
  return {
    ...(request.contentType === undefined ? {} : { "content-type": request.contentType }),
    ...(request.idempotencyHeader === undefined
      ? {}
      : { "idempotency-key": request.idempotencyHeader }),
  };
}

/** A readable header value: the generators may produce characters HTTP forbids in headers. */
const sendable = (request: Malformed): boolean =>
  request.idempotencyHeader === undefined || /^[\x20-\x7e]*$/.test(request.idempotencyHeader);

/**
 * Below 500 always; a POST is refused: a 4xx, or for a batch (a multi-status answer, 200)
 * a result per request that is itself a 4xx — none accepted.
 */
function expectRefused(request: Malformed, status: number, body: string): void {
  const label = `${request.method} ${request.url} ${request.payload?.slice(0, 200) ?? ""} → ${status} ${body.slice(0, 300)}`;
  expect(status, label).toBeLessThan(500);
  if (request.method !== "POST") return;
  if (status === 200 && request.url.startsWith("/commands:batch")) {
    const codes = (JSON.parse(body) as { results: { code: number }[] }).results.map(
      (result) => result.code,
    );
    expect(
      codes.every((code) => code >= 400 && code < 500),
      label,
    ).toBe(true);
    return;
  }
  expect(status, label).toBeGreaterThanOrEqual(400);
}

describe("the bad-input run", () => {
  let running: RunningServer;
  let before: string;

  beforeAll(async () => {
    running = await startServer();
    await postCommand(running.base, openRequest("w1"));
    await postCommand(running.base, depositRequest("w1", "50.00", "dep-1"));
    before = await storedText(running.server.ledger.store);
  });
  afterAll(async () => running.server.close());

  it(`answers ${RUNS} generated malformed requests with 4xx (never 5xx) and changes nothing`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(malformed, async (request) => {
        fc.pre(sendable(request));
        const answer = await running.server.app.inject({
          method: request.method,
          url: request.url,
          headers: headersOf(request),
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        });
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        expectRefused(request, answer.statusCode, answer.body);
      }),
      { numRuns: RUNS, seed: 20261203 },
    );
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 404, 415]));
    expect(await storedText(running.server.ledger.store)).toBe(before);
    expect((await running.server.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(
      200,
    );
  });

  it(`answers a sample of ${SOCKET_SAMPLE} over a real socket the same way`, async () => {
    const sample = fc.sample(malformed.filter(sendable), { numRuns: SOCKET_SAMPLE, seed: 7 });
    for (const request of sample) {
      const init: RequestInit = { method: request.method, headers: headersOf(request) };
      if (request.payload !== undefined && request.method !== "GET") init.body = request.payload;
      const response = await fetch(`${running.base}${request.url}`, init);
      expectRefused(request, response.status, await response.text());
    }
    const oversize = await fetch(`${running.base}/commands`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `[${'"x",'.repeat(400_000)}"x"]`,
    });
    expect(oversize.status).toBe(413);
    expect(await storedText(running.server.ledger.store)).toBe(before);
  });
});
