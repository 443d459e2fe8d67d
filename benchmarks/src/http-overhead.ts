/**
 * What HTTP costs: the same transfers among wallets on SQLite (synchronous = FULL), once
 * through `ledger.execute` in process and once through `POST /commands` of `pacioli serve`
 * in a child process, over keep-alive connections (Node's fetch, undici's pool), in the same
 * run. Both are closed loops of `callers` callers each awaiting its answer before sending the
 * next, so group commit works the same; latency is per command, send to answer. A batch row
 * sends `POST /commands:batch` of 100 requests from one caller.
 *
 * Not measured: TLS, a proxy in front, a client in another language (the Python recipe is
 * for correctness). On this 2-core machine client and server share the cores, so the HTTP
 * figures include the client's own cost: a lower bound on what a separate client host sees.
 *
 *   node benchmarks/dist/http-overhead.js [--quick]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openLedger, type Ledger } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import type { ClosedLoopSizes, ClosedLoopSizeSets } from "./closed-loop-sizes.js";
import { Histogram } from "./measure.js";

export const OVERHEAD_SIZES: ClosedLoopSizeSets = {
  quick: { wallets: 20, transfers: 400, callers: 8 },
  default: { wallets: 1000, transfers: 20_000, callers: 64 },
};

const BATCH_SIZE = 100;

export interface OverheadRow {
  readonly path: string;
  readonly clients: number;
  readonly commands: number;
  readonly accepted: number;
  readonly perSecond: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

type Request = {
  readonly idempotencyKey: string;
  readonly command: Readonly<Record<string, unknown>>;
};
type Send = (request: Request) => Promise<boolean>;

const wallet = (index: number) => `w${index}`;

function setupRequests(sizes: ClosedLoopSizes, run: string): Request[] {
  return Array.from({ length: sizes.wallets }, (_unused, index) => [
    {
      idempotencyKey: `${run}-open-${index}`,
      command: { type: "OpenWallet", walletId: wallet(index), ownerId: `owner-${index}` },
    },
    {
      idempotencyKey: `${run}-dep-${index}`,
      command: {
        type: "DepositFunds",
        walletId: wallet(index),
        amount: { currency: "USD", amount: "1000000.00" },
        channel: "card",
      },
    },
  ]).flat();
}

/** Transfers of 1.00 between wallets chosen by a fixed stride: the same work on every path. */
function transferRequests(sizes: ClosedLoopSizes, run: string): Request[] {
  return Array.from({ length: sizes.transfers }, (_unused, index) => {
    const from = (index * 7) % sizes.wallets;
    const to = (from + 1 + ((index * 13) % (sizes.wallets - 1))) % sizes.wallets;
    return {
      idempotencyKey: `${run}-t-${index}`,
      command: {
        type: "TransferFunds",
        transferId: `${run}-t-${index}`,
        fromWalletId: wallet(from),
        toWalletId: wallet(to),
        amount: { currency: "USD", amount: "1.00" },
      },
    };
  });
}

async function closedLoop(
  path: string,
  requests: readonly Request[],
  clients: number,
  send: Send,
): Promise<OverheadRow> {
  const latency = new Histogram();
  let next = 0;
  let accepted = 0;
  const client = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next] as Request;
      next += 1;
      const started = performance.now();
      if (await send(request)) accepted += 1;
      latency.record((performance.now() - started) * 1000);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  return {
    path,
    clients,
    commands: requests.length,
    accepted,
    perSecond: requests.length / seconds,
    p50_ms: latency.percentile(50) / 1000,
    p99_ms: latency.percentile(99) / 1000,
  };
}

/**
 * One path measured twice: `sizes.callers` clients sharing every transfer (throughput), then
 * one client over a tenth of them, at least 100 (latency without queueing).
 */
async function manyClientsThenOne(
  path: string,
  sizes: ClosedLoopSizes,
  run: string,
  send: Send,
): Promise<OverheadRow[]> {
  const many = await closedLoop(path, transferRequests(sizes, run), sizes.callers, send);
  const oneRequests = transferRequests(sizes, `${run}1`).slice(
    0,
    Math.max(100, sizes.transfers / 10),
  );
  return [many, await closedLoop(path, oneRequests, 1, send)];
}

async function embeddedRows(sizes: ClosedLoopSizes, directory: string): Promise<OverheadRow[]> {
  const store = await openSqliteEventStore({ path: join(directory, "embedded.db") });
  const ledger: Ledger = await openLedger({ store, snapshotEvery: 0 });
  try {
    const send: Send = async (request) => (await ledger.executeWire(request))._tag === "Accepted";
    await Promise.all(setupRequests(sizes, "e").map(send));
    return await manyClientsThenOne("embedded ledger.execute", sizes, "e", send);
  } finally {
    await ledger.close();
    await store.close();
  }
}

async function httpRows(sizes: ClosedLoopSizes, directory: string): Promise<OverheadRow[]> {
  // From the sources (the test run) the child is the built file: the test command builds first.
  const script = new URL(
    import.meta.url.endsWith(".ts") ? "../dist/http-server-child.js" : "./http-server-child.js",
    import.meta.url,
  );
  const child = spawn(process.execPath, [fileURLToPath(script), join(directory, "served.db")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        const match = /listening on (\S+)/.exec(text);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once("exit", (code) =>
        reject(new Error(`the server exited (${code}) before listening`)),
      );
    });
    const post = async (path: string, body: unknown): Promise<Response> =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const send: Send = async (request) => {
      const response = await post("/commands", request);
      await response.arrayBuffer();
      return response.status === 201 || response.status === 200;
    };
    await Promise.all(setupRequests(sizes, "h").map(send));
    const batches = chunks(transferRequests(sizes, "hb"), BATCH_SIZE);
    const sendBatch = async (batch: Request[]): Promise<number> => {
      const response = await post("/commands:batch", batch);
      const body = (await response.json()) as { results: { code: number }[] };
      return body.results.filter((result) => result.code === 201).length;
    };
    const started = performance.now();
    const latency = new Histogram();
    let accepted = 0;
    for (const batch of batches) {
      const sent = performance.now();
      accepted += await sendBatch(batch);
      latency.record((performance.now() - sent) * 1000);
    }
    const seconds = (performance.now() - started) / 1000;
    return [
      ...(await manyClientsThenOne("HTTP POST /commands (keep-alive)", sizes, "h", send)),
      {
        path: `HTTP POST /commands:batch of ${BATCH_SIZE} (latency per batch)`,
        clients: 1,
        commands: sizes.transfers,
        accepted,
        perSecond: sizes.transfers / seconds,
        p50_ms: latency.percentile(50) / 1000,
        p99_ms: latency.percentile(99) / 1000,
      },
    ];
  } finally {
    child.kill("SIGTERM");
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}

export async function measureHttpOverhead(sizes: ClosedLoopSizes): Promise<OverheadRow[]> {
  const directory = mkdtempSync(join(tmpdir(), "pacioli-http-bench-"));
  try {
    return [...(await embeddedRows(sizes, directory)), ...(await httpRows(sizes, directory))];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function overheadTable(rows: readonly OverheadRow[]): string {
  const figure = (value: number, digits: number) =>
    value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    "| path | clients | commands | accepted | commands/s | p50 ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows)
    lines.push(
      `| ${row.path} | ${row.clients} | ${row.commands} | ${row.accepted} | ${figure(row.perSecond, 0)} | ${figure(row.p50_ms, 2)} | ${figure(row.p99_ms, 2)} |`,
    );
  return lines.join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = OVERHEAD_SIZES[process.argv.includes("--quick") ? "quick" : "default"];
  const rows = await measureHttpOverhead(sizes);
  process.stdout.write(`${overheadTable(rows)}\n`);
}
