/**
 * Writers on separate threads, each with its own SQLite connection, race for the next
 * version of one stream. The version check only holds if it runs inside the IMMEDIATE
 * transaction: otherwise two writers would both take an index and one would fail on the
 * unique index with an error instead of a conflict.
 *
 * The workers load the built package (`dist/`), which the test command builds first
 * (`tsc -b`), because a worker cannot load TypeScript sources.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { afterEach, expect, it } from "vitest";
import type { AppendResult } from "@pacioli/engine";
import { openSqliteEventStore } from "./sqlite-event-store.js";

const workers_count = 4;
const appends_per_worker = 40;
const built_module = new URL("../dist/index.js", import.meta.url);

interface Outcome {
  readonly id: string;
  readonly result: AppendResult;
}

// Plain JavaScript (CommonJS, as `eval` workers are): open, wait at the gate, then append in a loop.
const worker_source = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { openSqliteEventStore } = await import(workerData.moduleUrl);
  const store = await openSqliteEventStore({ path: workerData.path, busyTimeoutMs: 20000 });
  parentPort.postMessage({ ready: true });
  Atomics.wait(new Int32Array(workerData.gate), 0, 0);
  const outcomes = [];
  for (let index = 0; index < workerData.appends; index++) {
    const id = workerData.name + "-" + index;
    const version = await store.streamVersion("ledger");
    const result = await store.append("ledger", [{ eventId: id, type: "T", payload: "{}" }], version);
    outcomes.push({ id, result });
  }
  await store.close();
  parentPort.postMessage({ outcomes });
})().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
`;

let dir = "";
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function startWriter(
  name: string,
  path: string,
  gate: SharedArrayBuffer,
): { ready: Promise<void>; outcomes: Promise<Outcome[]> } {
  const worker = new Worker(worker_source, {
    eval: true,
    workerData: { name, path, gate, appends: appends_per_worker, moduleUrl: built_module.href },
  });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const outcomes = new Promise<Outcome[]>((resolve, reject) => {
    worker.on("message", (message: { ready?: true; outcomes?: Outcome[]; error?: string }) => {
      if (message.ready) markReady();
      if (message.outcomes) resolve(message.outcomes);
      if (message.error !== undefined) reject(new Error(message.error));
    });
    worker.on("error", reject);
  });
  return { ready, outcomes };
}

it("writers in separate threads race for one stream: every append wins or conflicts, none is lost", async () => {
  expect(existsSync(fileURLToPath(built_module)), "build first: npx tsc -b").toBe(true);
  dir = mkdtempSync(join(tmpdir(), "pacioli-sqlite-race-"));
  const path = join(dir, "ledger.db");
  await (await openSqliteEventStore({ path })).close();
  const gate = new SharedArrayBuffer(4);
  const writers = Array.from({ length: workers_count }, (_, index) =>
    startWriter(`w${index}`, path, gate),
  );
  await Promise.all(writers.map((writer) => writer.ready));
  Atomics.store(new Int32Array(gate), 0, 1);
  Atomics.notify(new Int32Array(gate), 0);
  const outcomes = (await Promise.all(writers.map((writer) => writer.outcomes))).flat();

  const won = outcomes.filter((outcome) => outcome.result._tag === "Appended");
  const lost = outcomes.filter((outcome) => outcome.result._tag === "VersionConflict");
  expect(won.length + lost.length).toBe(workers_count * appends_per_worker);
  const store = await openSqliteEventStore({ path });
  const stored = await store.readStream("ledger");
  await store.close();
  expect(stored).toHaveLength(won.length);
  const byVersion = [...won].sort((a, b) => nextVersion(a.result) - nextVersion(b.result));
  expect(stored.map((event) => event.eventId)).toEqual(byVersion.map((outcome) => outcome.id));
});

function nextVersion(result: AppendResult): number {
  return result._tag === "Appended" ? result.nextVersion : Number.NaN;
}
