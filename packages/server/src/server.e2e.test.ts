/**
 * The server on a loopback port, driven with Node's fetch: every command type decides as the
 * embedded engine decides it, every status code of docs/reference/http-api.md, idempotent
 * retries, concurrent clients on one wallet, the change feed, metrics, callers who give up,
 * and the graceful shutdown.
 */
import { iso4217 } from "@pacioli/core";
import { MemoryEventStore, openLedger, TestClock } from "@pacioli/engine";
import { afterEach, describe, expect, it } from "vitest";
import { resultBody } from "./command-response.js";
import { jsonBody } from "./http/json-body.js";
import { BODY_BYTES_MAX } from "./limits.js";
import { apiDescription } from "./openapi/openapi-document.js";
import {
  ControlledStore,
  depositRequest,
  openRequest,
  postCommand,
  send,
  startServer,
  TEST_START,
  withdrawRequest,
  type RunningServer,
} from "./testing/test-server.js";

const running: RunningServer[] = [];
async function start(...args: Parameters<typeof startServer>): Promise<RunningServer> {
  const server = await startServer(...args);
  running.push(server);
  return server;
}
afterEach(async () => {
  for (const item of running.splice(0)) await item.server.close();
});

const statusOf = (answer: { body: Record<string, unknown> }) => answer.body["status"];

describe("POST /commands", () => {
  it("decides every command type exactly as the embedded engine does, in the same order", async () => {
    const { base } = await start();
    const embedded = await openLedger({
      store: new MemoryEventStore(),
      clock: new TestClock(TEST_START),
    });
    const { commandExamples } = apiDescription(iso4217);
    const seen = new Set<number>();
    for (const [type, example] of commandExamples) {
      const answer = await postCommand(base, example);
      const expected = await embedded.executeWire(example);
      expect(answer.text, type).toBe(jsonBody(resultBody(iso4217, expected)));
      expect([201, 409, 422], type).toContain(answer.status);
      seen.add(answer.status);
    }
    expect(commandExamples.size).toBeGreaterThanOrEqual(42);
    expect([...seen].sort()).toEqual([201, 409, 422]); // the examples reach all three outcomes
    await embedded.close();
  });

  it("answers 201 once, then 200 with the original body for a retry (key in the header or the body)", async () => {
    const { base } = await start();
    const first = await postCommand(base, openRequest("w1"));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const { idempotencyKey, ...withoutKey } = openRequest("w1");
    const retry = await postCommand(base, withoutKey, { "Idempotency-Key": idempotencyKey });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.text).toBe(first.text);
  });

  it("answers 409 for a retryable rejection and 422 for a permanent one, with the rejection's tag and data", async () => {
    const { base } = await start();
    await postCommand(base, openRequest("w1"));
    const short = await postCommand(base, withdrawRequest("w1", "1.00", "wd-1"));
    expect(short.status).toBe(409);
    expect(short.body).toEqual({
      status: "rejected",
      retryable: true,
      rejection: {
        _tag: "InsufficientFunds",
        walletId: "w1",
        currency: "USD",
        available: "0",
        overdraftLimit: "0",
        requested: "100",
      },
    });
    const again = await postCommand(base, { ...openRequest("w1"), idempotencyKey: "open-again" });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({
      status: "rejected",
      retryable: false,
      rejection: { _tag: "WalletAlreadyExists", walletId: "w1" },
    });
  });

  it("answers 400 with the decode issues for a request that does not decode, and for two different keys", async () => {
    const { base } = await start();
    const floatAmount = await postCommand(base, {
      idempotencyKey: "d",
      command: {
        type: "DepositFunds",
        walletId: "w1",
        amount: { currency: "USD", amount: 12.5 },
        channel: "card",
      },
    });
    expect(floatAmount.status).toBe(400);
    expect(floatAmount.body["issues"]).toEqual([
      {
        path: "command.amount.amount",
        expected: 'an amount as a decimal string such as "12.34"',
        actual: 12.5,
      },
    ]);
    const twoKeys = await postCommand(base, openRequest("w1"), { "Idempotency-Key": "another" });
    expect(twoKeys.status).toBe(400);
    expect(statusOf(twoKeys)).toBe("invalid");
  });

  it("answers 503 with Retry-After while the store fails, and the retry succeeds once it is back", async () => {
    const store = new ControlledStore();
    const { base } = await start({ store });
    store.failing = true;
    const down = await postCommand(base, openRequest("w1"));
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("1");
    expect(statusOf(down)).toBe("unavailable");
    store.failing = false;
    expect((await postCommand(base, openRequest("w1"))).status).toBe(201);
  });

  it("answers 503 when no decision comes within the wait; the command completes and its retry gets 200", async () => {
    const store = new ControlledStore();
    const { base } = await start({ store, commandWaitMs: 50 });
    store.hold();
    const slow = await postCommand(base, openRequest("w1"));
    expect(slow.status).toBe(503);
    store.release();
    const retry = await postCommand(base, openRequest("w1"));
    expect([200, 201]).toContain(retry.status);
    expect(retry.status).toBe(200); // the first attempt was recorded: this is its original result
  });

  it("completes a command whose caller gave up, and keeps it idempotent", async () => {
    const store = new ControlledStore();
    const { base, server } = await start({ store });
    store.hold();
    const caller = new AbortController();
    const abandoned = postCommand(base, openRequest("w1"), {}, caller.signal).catch(
      (error: unknown) => error,
    );
    while (store.appendsStarted === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    caller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    store.release();
    const retry = await postCommand(base, openRequest("w1"));
    expect(retry.status).toBe(200);
    expect(server.ledger.sequence).toBe(1);
  });

  it("lets concurrent clients spend a wallet's money exactly once", async () => {
    const { base, server } = await start();
    await postCommand(base, openRequest("w1"));
    await postCommand(base, depositRequest("w1", "100.00", "dep-1"));
    const clients = Array.from({ length: 5 }, (_unused, client) =>
      Promise.all(
        Array.from({ length: 10 }, (_item, index) =>
          postCommand(base, withdrawRequest("w1", "10.00", `wd-${client}-${index}`)),
        ),
      ),
    );
    const answers = (await Promise.all(clients)).flat();
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(40);
    const balances = await send(base, "GET", "/wallets/w1/balances");
    expect(balances.body).toEqual({
      walletId: "w1",
      sequence: server.ledger.sequence,
      balances: [{ currency: "USD", available: "0.00", held: "0.00", total: "0.00" }],
    });
  });

  it("records one command once when twenty copies arrive at the same time", async () => {
    const { base, server } = await start();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postCommand(base, openRequest("w1"))),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(19);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(server.ledger.sequence).toBe(1);
  });
});

describe("POST /commands:batch", () => {
  it("answers every request in order with the code POST /commands would give", async () => {
    const { base } = await start();
    const batch = await send(base, "POST", "/commands:batch", [
      openRequest("w1"),
      openRequest("w1"),
      withdrawRequest("w1", "5.00", "wd"),
      { nonsense: true },
    ]);
    expect(batch.status).toBe(200);
    const results = batch.body["results"] as { code: number; status: string; repeated?: boolean }[];
    expect(results.map((result) => [result.code, result.status])).toEqual([
      [201, "accepted"],
      [200, "accepted"],
      [409, "rejected"],
      [400, "invalid"],
    ]);
    expect(results[1]?.repeated).toBe(true);
  });

  it("refuses a body that is not a non-empty array of at most 1,000 requests", async () => {
    const { base } = await start();
    expect((await send(base, "POST", "/commands:batch", openRequest("w1"))).status).toBe(400);
    expect((await send(base, "POST", "/commands:batch", [])).status).toBe(400);
    expect(
      (
        await send(
          base,
          "POST",
          "/commands:batch",
          Array.from({ length: 1001 }, () => ({})),
        )
      ).status,
    ).toBe(400);
  });
});

describe("malformed requests get a clear 4xx", () => {
  it("bad JSON 400, wrong content type 415, oversize 413, unknown route 404, wrong method 404", async () => {
    const { base } = await start();
    const cases: [string, string, string | undefined, Record<string, string>, number][] = [
      ["POST", "/commands", "{not json", { "content-type": "application/json" }, 400],
      ["POST", "/commands", '{"__proto__":{"x":1}}', { "content-type": "application/json" }, 400],
      [
        "POST",
        "/commands",
        "idempotencyKey=k",
        { "content-type": "application/x-www-form-urlencoded" },
        415,
      ],
      ["POST", "/commands", "{}", { "content-type": "text/plain" }, 415],
      [
        "POST",
        "/commands",
        `{"idempotencyKey":"${"x".repeat(BODY_BYTES_MAX)}"}`,
        { "content-type": "application/json" },
        413,
      ],
      ["GET", "/nowhere", undefined, {}, 404],
      ["DELETE", "/commands", undefined, {}, 404],
      ["GET", "/wallets/nobody/balances", undefined, {}, 404],
      ["GET", "/wallets/w1/history?limit=0", undefined, {}, 400],
      ["GET", "/wallets/w1/history?limit=abc", undefined, {}, 400],
      ["GET", "/events?wait=99999999", undefined, {}, 400],
      ["GET", "/events?limit=1&limit=2", undefined, {}, 400],
      ["GET", "/events?after=!", undefined, {}, 400], // found by the bad-input run: was a 500
    ];
    for (const [method, path, body, headers, expected] of cases) {
      const init: RequestInit = { method, headers };
      if (body !== undefined) init.body = body;
      const response = await fetch(`${base}${path}`, init);
      const text = await response.text();
      expect(response.status, `${method} ${path} ${headers["content-type"] ?? ""}`).toBe(expected);
      expect(JSON.parse(text), `${method} ${path}`).toHaveProperty("message");
    }
  });
});

describe("reading the ledger", () => {
  it("pages a wallet's history with a cursor, newest first", async () => {
    const { base } = await start();
    await postCommand(base, openRequest("w1"));
    for (let index = 1; index <= 3; index += 1)
      await postCommand(base, depositRequest("w1", `${index}.00`, `dep-${index}`));
    const first = await send(base, "GET", "/wallets/w1/history?limit=2");
    const lines = first.body["lines"] as {
      sequence: number;
      availableChange: string;
      available: string;
    }[];
    expect(lines.map((line) => [line.sequence, line.availableChange, line.available])).toEqual([
      [4, "3.00", "6.00"],
      [3, "2.00", "3.00"],
    ]);
    const next = await send(
      base,
      "GET",
      `/wallets/w1/history?limit=2&cursor=${String(first.body["nextCursor"])}`,
    );
    expect((next.body["lines"] as { sequence: number }[]).map((line) => line.sequence)).toEqual([
      2,
    ]);
    expect(next.body["nextCursor"]).toBeNull();
  });

  it("reads the chain head and a zero trial balance at /audit", async () => {
    const { base, server } = await start();
    await postCommand(base, openRequest("w1"));
    await postCommand(base, depositRequest("w1", "7.25", "dep"));
    const audit = await send(base, "GET", "/audit");
    expect(audit.body).toEqual({
      stream: "ledger-main",
      sequence: 2,
      headHash: server.ledger.headHash,
      trialBalance: [{ currency: "USD", total: "0.00" }],
      trialBalanceIsZero: true,
    });
  });

  it("feeds events after a position, and a long poll answers when the next command commits", async () => {
    const { base } = await start();
    await postCommand(base, openRequest("w1"));
    const all = await send(base, "GET", "/events");
    const events = all.body["events"] as { position: string; event: { sequence: number } }[];
    expect(events.map((item) => item.event.sequence)).toEqual([1]);
    const waiting = send(
      base,
      "GET",
      `/events?after=${encodeURIComponent(String(all.body["last"]))}&wait=20000`,
    );
    await postCommand(base, depositRequest("w1", "1.00", "dep"));
    const next = await waiting;
    expect(
      (next.body["events"] as { event: { sequence: number } }[]).map((item) => item.event.sequence),
    ).toEqual([2]);
  });
});

describe("operations", () => {
  it("exposes command, latency, group-commit and append metrics", async () => {
    const { base } = await start();
    await postCommand(base, openRequest("w1"));
    await postCommand(base, openRequest("w1"));
    await postCommand(base, withdrawRequest("w1", "1.00", "wd"));
    const scrape = await send(base, "GET", "/metrics");
    expect(scrape.status).toBe(200);
    expect(scrape.text).toContain('pacioli_commands_total{type="OpenWallet",status="accepted"} 1');
    expect(scrape.text).toContain('pacioli_commands_total{type="OpenWallet",status="repeated"} 1');
    expect(scrape.text).toContain(
      'pacioli_commands_total{type="WithdrawFunds",status="rejected"} 1',
    );
    expect(scrape.text).toContain("pacioli_group_commit_events_count 1");
    expect(scrape.text).toContain(
      'pacioli_store_append_duration_seconds_count{outcome="appended"} 1',
    );
    expect(scrape.text).toContain("pacioli_ledger_sequence 1");
    expect(scrape.text).toContain("pacioli_projection_lag_events 0");
  });

  it("shuts down gracefully: not ready, the command in flight completes, then the store closes", async () => {
    const store = new ControlledStore();
    const { base, server } = await start({ store });
    expect((await send(base, "GET", "/readyz")).status).toBe(200);
    store.hold();
    const inFlight = postCommand(base, openRequest("w1"));
    while (store.appendsStarted === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = server.close();
    store.release();
    expect((await server.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    expect((await inFlight).status).toBe(201);
    await closing;
    expect(server.ledger.sequence).toBe(1);
    await expect(store.readAll(null, 10)).rejects.toThrow(/closed/);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
