/**
 * Test helpers: a real server on 127.0.0.1 (a free port) over a real store, driven with
 * Node's fetch, and a store whose appends a test can hold or fail, to catch requests in
 * flight and store outages.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  MemoryEventStore,
  StoreError,
  TestClock,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import {
  openPacioliServer,
  type PacioliServer,
  type PacioliServerOptions,
} from "../pacioli-server.js";

/** The ledger time of the tests: fixed, so two runs record the same events. */
export const TEST_START = Date.UTC(2026, 11, 1, 9, 0, 0);

export interface RunningServer {
  readonly server: PacioliServer;
  readonly base: string;
}

export async function startServer(
  options: Partial<PacioliServerOptions> = {},
): Promise<RunningServer> {
  const store =
    options.store ??
    (await openSqliteEventStore({
      path: join(mkdtempSync(join(tmpdir(), "pacioli-server-")), "ledger.db"),
    }));
  const server = await openPacioliServer({ clock: new TestClock(TEST_START), ...options, store });
  const base = await server.listen("127.0.0.1", 0);
  return { server, base };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

export async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const init: RequestInit = {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
  };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  if (signal !== undefined) init.signal = signal;
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (/metrics): the text is the answer
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export const postCommand = (
  base: string,
  request: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) => send(base, "POST", "/commands", request, headers, signal);

/** A memory store whose appends can be held until released, or made to fail. */
export class ControlledStore extends MemoryEventStore {
  failing = false;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  appendsStarted = 0;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  override async append(
    stream: string,
    events: readonly NewEvent[],
    expectedVersion: number,
  ): Promise<AppendResult> {
    this.appendsStarted += 1;
    if (this.gate !== undefined) await this.gate;
    if (this.failing) throw new StoreError("the disk is unplugged (test)", true);
    return super.append(stream, events, expectedVersion);
  }
}

export const openRequest = (walletId: string) => ({
  idempotencyKey: `open-${walletId}`,
  command: { type: "OpenWallet", walletId, ownerId: `owner-${walletId}` },
});
export const depositRequest = (walletId: string, amount: string, key: string) => ({
  idempotencyKey: key,
  command: { type: "DepositFunds", walletId, amount: { currency: "USD", amount }, channel: "card" },
});
export const withdrawRequest = (walletId: string, amount: string, key: string) => ({
  idempotencyKey: key,
  command: {
    type: "WithdrawFunds",
    walletId,
    amount: { currency: "USD", amount },
    channel: "bank",
  },
});

/** Every stored event's bytes, in order: equal texts mean an unchanged ledger. */
export async function storedText(store: EventStore): Promise<string> {
  const lines: string[] = [];
  let after = null;
  for (;;) {
    const page = await store.readAll(after, 1000);
    for (const event of page.events)
      lines.push(`${event.position} ${event.stream} ${event.payload}`);
    if (page.isEnd || page.events.length === 0) return lines.join("\n");
    after = page.last;
  }
}
