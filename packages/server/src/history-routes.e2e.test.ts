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

interface Posting {
  readonly account: string;
  readonly currency: string;
  readonly amount: string;
}
interface RecordedJson {
  readonly sequence: number;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly actor?: string;
  readonly metadata?: Record<string, string>;
  readonly event: { readonly type: string; readonly postings: readonly Posting[] };
}
interface Request {
  readonly idempotencyKey: string;
  readonly commandId?: string;
  readonly actor?: string;
  readonly metadata?: Record<string, string>;
  readonly command: Record<string, unknown>;
}

const usd = (amount: string) => ({ currency: "USD", amount });
/** Opening, two deposits (one with actor and metadata, one without), a withdrawal. */
const requests: readonly Request[] = [
  {
    idempotencyKey: "open-w1",
    commandId: "cmd-open",
    actor: "onboarding",
    metadata: { customer: "c-9" },
    command: { type: "OpenWallet", walletId: "w1", ownerId: "c-9" },
  },
  {
    idempotencyKey: "dep-1",
    actor: "funding",
    metadata: { order: "o-1", channel: "card" },
    command: { type: "DepositFunds", walletId: "w1", amount: usd("25.00"), channel: "card" },
  },
  {
    idempotencyKey: "dep-2",
    command: { type: "DepositFunds", walletId: "w1", amount: usd("4.50"), channel: "card" },
  },
  {
    idempotencyKey: "wd-1",
    commandId: "cmd-withdraw",
    actor: "payouts",
    metadata: { order: "o-1" },
    command: { type: "WithdrawFunds", walletId: "w1", amount: usd("10.00"), channel: "bank" },
  },
];

const cents = (text: string): bigint => BigInt(text.replace(".", ""));
const centsText = (value: bigint): string => {
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(3, "0");
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

/** The account on the other side of `account`'s posting: the largest of the other sign. */
function counterpartyOf(postings: readonly Posting[], account: string): string | null {
  const own = postings.find((posting) => posting.account === account);
  if (own === undefined) return null;
  const others = postings.filter(
    (posting) =>
      posting.account !== account &&
      posting.currency === own.currency &&
      cents(posting.amount) < 0n !== cents(own.amount) < 0n,
  );
  others.sort((a, b) => Number(abs(cents(b.amount)) - abs(cents(a.amount))));
  return others[0]?.account ?? null;
}
const abs = (value: bigint) => (value < 0n ? -value : value);

async function sendAll(base: string) {
  const recorded: { request: Request; event: RecordedJson }[] = [];
  for (const request of requests) {
    const answer = await postCommand(base, request);
    expect(answer.status, request.idempotencyKey).toBe(201);
    for (const event of answer.body["events"] as RecordedJson[]) recorded.push({ request, event });
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
    const expected = moving.map(({ request, event }) => {
      const account = "liabilities:wallets:w1:available";
      const change = -cents(event.event.postings.find((p) => p.account === account)?.amount ?? "0");
      available += change;
      return {
        sequence: event.sequence,
        type: event.event.type,
        availableChange: centsText(change),
        available: centsText(available),
        counterparty: counterpartyOf(event.event.postings, account),
        commandId: request.commandId ?? event.commandId,
        idempotencyKey: request.idempotencyKey,
        actor: request.actor ?? null,
        metadata: request.metadata ?? null,
      };
    });
    expect(
      lines.map((line) => ({
        sequence: line["sequence"],
        type: line["type"],
        availableChange: line["availableChange"],
        available: line["available"],
        counterparty: line["counterparty"],
        commandId: line["commandId"],
        idempotencyKey: line["idempotencyKey"],
        actor: line["actor"],
        metadata: line["metadata"],
      })),
    ).toEqual(expected.reverse());
  });

  it("pages any account's lines, with running balances and the command's fields, and answers its balance as of a sequence or a time", async () => {
    const { base } = await start();
    const recorded = await sendAll(base);
    for (const account of ["assets:clearing:card", "assets:clearing:bank"]) {
      const own = recorded.filter(({ event }) =>
        event.event.postings.some((posting) => posting.account === account),
      );
      expect(own.length, account).toBeGreaterThan(0);
      let balance = 0n;
      const expected = own.map(({ request, event }) => {
        const amount = cents(
          event.event.postings.find((p) => p.account === account)?.amount ?? "0",
        );
        balance += amount;
        return {
          sequence: event.sequence,
          recordedAt: new Date(TEST_START).toISOString(),
          type: event.event.type,
          account,
          currency: "USD",
          amount: centsText(amount),
          balance: centsText(balance),
          counterparty: counterpartyOf(event.event.postings, account),
          commandId: request.commandId ?? event.commandId,
          idempotencyKey: request.idempotencyKey,
          actor: request.actor ?? null,
          metadata: request.metadata ?? null,
        };
      });
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
        const amount = cents(
          event.event.postings.find((p) => p.account === account)?.amount ?? "0",
        );
        expect(
          cents(after.body["balance"] as string) - cents(before.body["balance"] as string),
        ).toBe(amount);
      }
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
      return answer.body["events"] as RecordedJson[];
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
