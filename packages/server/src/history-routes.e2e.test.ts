/**
 * The history queries over HTTP, on a real server and SQLite file, checked against the
 * commands that were sent: every wallet and account line names the command that caused it
 * (id, key, actor, metadata as sent), its counterparty is the other side of the postings the
 * command's answer returned, balances as of a sequence or a time are the running sums of
 * those postings, and lookups by key, command id and metadata answer exactly the events the
 * command's answer held. Every answer is validated against the OpenAPI document's schemas.
 */
import { iso4217 } from "@pacioli/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { apiDescription } from "./openapi/openapi-document.js";
import {
  postCommand,
  send,
  startServer,
  TEST_START,
  type RunningServer,
} from "./testing/test-server.js";
import {
  centsOf,
  commandFieldsIn,
  commandFieldsOf,
  expectedAccountLines,
  HISTORY_REQUESTS,
  postingCentsOf,
  type HistoryEventJson,
  type HistorySent,
} from "@pacioli/store-testkit";

const running: RunningServer[] = [];
async function start(): Promise<RunningServer> {
  const server = await startServer();
  running.push(server);
  return server;
}
afterEach(async () => {
  for (const item of running.splice(0)) await item.server.close();
});

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({
  $id: "pacioli",
  components: (apiDescription(iso4217).document as { components: unknown }).components,
});
function expectSchema(name: string, body: unknown): void {
  const validate = ajv.getSchema(`pacioli#/components/schemas/${name}`);
  expect(validate, name).toBeDefined();
  expect(validate?.(body), `${name}: ${JSON.stringify(validate?.errors)}`).toBe(true);
}

const centsText = (value: bigint): string => {
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(3, "0");
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

async function sendAll(base: string) {
  const recorded: HistorySent[] = [];
  for (const request of HISTORY_REQUESTS) {
    const answer = await postCommand(base, request);
    expect(answer.status, request.idempotencyKey).toBe(201);
    for (const event of answer.body["events"] as HistoryEventJson[])
      recorded.push({ request, event });
  }
  return recorded;
}

describe("history over HTTP", () => {
  it("gives every wallet line the command's id, key, actor and metadata and the counterparty of its postings", async () => {
    const { base } = await start();
    const recorded = await sendAll(base);
    const page = await send(base, "GET", "/wallets/w1/history?limit=1000");
    expect(page.status).toBe(200);
    expectSchema("HistoryPage", page.body);
    const lines = page.body["lines"] as Record<string, unknown>[];
    const moving = recorded.filter(({ event }) => event.event.postings.length > 0);
    expect(lines.map((line) => line["sequence"])).toEqual(
      moving.map(({ event }) => event.sequence).reverse(),
    );
    let available = 0n;
    const expected = moving.map((sent) => {
      const account = "liabilities:wallets:w1:available";
      const change = -postingCentsOf(sent.event, account);
      available += change;
      return {
        sequence: sent.event.sequence,
        type: sent.event.event.type,
        availableChange: centsText(change),
        available: centsText(available),
        ...commandFieldsOf(sent, account),
      };
    });
    expect(
      lines.map((line) => ({
        sequence: line["sequence"],
        type: line["type"],
        availableChange: line["availableChange"],
        available: line["available"],
        ...commandFieldsIn(line),
      })),
    ).toEqual(expected.reverse());
  });

  it("pages any account's lines, with running balances and the command's fields, and answers its balance as of a sequence or a time", async () => {
    const { base } = await start();
    const recorded = await sendAll(base);
    for (const account of ["assets:clearing:card", "assets:clearing:bank"]) {
      const own = expectedAccountLines(recorded, account);
      expect(own.length, account).toBeGreaterThan(0);
      const expected = own.map((line) => ({
        sequence: line.event.sequence,
        recordedAt: new Date(TEST_START).toISOString(),
        type: line.event.event.type,
        account,
        currency: "USD",
        amount: centsText(line.amount),
        balance: centsText(line.balance),
        ...line.command,
      }));
      // One line a page: the cursors walk every line, newest first.
      const lines: unknown[] = [];
      let cursor: unknown = undefined;
      do {
        const path: string = `/accounts/${account}/history?limit=1&currency=USD${cursor === undefined ? "" : `&cursor=${String(cursor)}`}`;
        const page = await send(base, "GET", path);
        expect(page.status, path).toBe(200);
        expectSchema("AccountHistoryPage", page.body);
        expect(page.body["account"]).toBe(account);
        lines.push(...(page.body["lines"] as unknown[]));
        cursor = page.body["nextCursor"] ?? undefined;
      } while (cursor !== undefined);
      expect(lines).toEqual(expected.reverse());

      for (const { event } of own) {
        const before = await send(
          base,
          "GET",
          `/accounts/${account}/balance?currency=USD&sequence=${event.sequence - 1}`,
        );
        const after = await send(
          base,
          "GET",
          `/accounts/${account}/balance?currency=USD&sequence=${event.sequence}`,
        );
        expectSchema("AccountBalance", after.body);
        const amount = postingCentsOf(event, account);
        expect(
          centsOf(after.body["balance"] as string) - centsOf(before.body["balance"] as string),
        ).toBe(amount);
      }
      const balance = own.at(-1)?.balance ?? 0n;
      const now = await send(base, "GET", `/accounts/${account}/balance?currency=USD`);
      expect(now.body).toEqual({
        account,
        currency: "USD",
        balance: centsText(balance),
        sequence: recorded.length,
        at: null,
      });
      const atStart = new Date(TEST_START).toISOString();
      const atTime = await send(
        base,
        "GET",
        `/accounts/${account}/balance?currency=USD&at=${atStart}`,
      );
      expect(atTime.body).toEqual({ ...now.body, sequence: null, at: atStart });
      const earlier = new Date(TEST_START - 1).toISOString();
      const beforeAll = await send(
        base,
        "GET",
        `/accounts/${account}/balance?currency=USD&at=${earlier}`,
      );
      expect(beforeAll.body["balance"]).toBe("0.00");
    }
    const untouched = await send(base, "GET", "/accounts/income:fees:checkout/history");
    expect(untouched.body).toEqual({
      account: "income:fees:checkout",
      lines: [],
      nextCursor: null,
    });
  });

  it("finds a command's events by idempotency key, command id and metadata pair, exactly as its answer held them", async () => {
    const { base } = await start();
    const recorded = await sendAll(base);
    const find = async (query: string) => {
      const answer = await send(base, "GET", `/events/lookup?${query}`);
      expect(answer.status, query).toBe(200);
      expectSchema("FoundEvents", answer.body);
      return answer.body["events"] as HistoryEventJson[];
    };
    for (const { request, event } of recorded) {
      expect(await find(`idempotencyKey=${request.idempotencyKey}`)).toEqual([event]);
      expect(await find(`commandId=${event.commandId}`)).toEqual([event]);
    }
    const orderO1 = recorded.filter(({ request }) => request.metadata?.["order"] === "o-1");
    expect(orderO1.length).toBe(2);
    expect(await find("metadataKey=order&metadataValue=o-1")).toEqual(
      orderO1.map(({ event }) => event),
    );
    const first = await send(
      base,
      "GET",
      "/events/lookup?metadataKey=order&metadataValue=o-1&limit=1",
    );
    expect(first.body["events"]).toEqual([orderO1[0]?.event]);
    const rest = await find(
      `metadataKey=order&metadataValue=o-1&limit=1&after=${String(first.body["nextCursor"])}`,
    );
    expect(rest).toEqual([orderO1[1]?.event]);
    expect(await find("idempotencyKey=never-sent")).toEqual([]);
  });

  it("refuses queries out of shape with a 400 naming the problem", async () => {
    const { base } = await start();
    await sendAll(base);
    const bad = [
      "/accounts/not-an-account/history",
      "/accounts/income:fees:checkout/history?currency=usd",
      "/accounts/income:fees:checkout/history?currency=XYZ",
      "/accounts/income:fees:checkout/balance",
      "/accounts/income:fees:checkout/balance?currency=USD&sequence=1&at=2026-12-01T00:00:00Z",
      "/accounts/income:fees:checkout/balance?currency=USD&sequence=99",
      "/accounts/income:fees:checkout/balance?currency=USD&at=yesterday",
      "/accounts/income:fees:checkout/balance?currency=USD&at=2026-13-01T00:00:00Z",
      "/events/lookup",
      "/events/lookup?idempotencyKey=a&commandId=b",
      "/events/lookup?metadataKey=order",
      "/events/lookup?idempotencyKey=a&limit=0",
    ];
    for (const path of bad) {
      const answer = await send(base, "GET", path);
      expect(answer.status, path).toBe(400);
      expectSchema("Problem", answer.body);
    }
  });
});
