/**
 * The body of a partition's worker thread (ADR 0025): opens the partition's SQLite file and
 * its engine, then answers the messages of a `ThreadWriter` one by one as they arrive
 * (`execute` calls overlap, so the engine's group commit still batches them).
 *
 * Messages in: `{ id, op, argument }`; out: `{ id, value }` or `{ id, error: { name, message } }`,
 * and `{ ready: true }` (or `{ failed }`) once the engine is open. Values cross the thread
 * boundary by structured clone, which carries bigint amounts, Maps and plain objects as they
 * are; every value sent here is plain data (results, events, balances, legs).
 */
import { parentPort, workerData } from "node:worker_threads";
import { openLedger, type Ledger } from "@pacioli/engine";
import { openSqliteEventStore, type SqliteEventStore } from "@pacioli/store-sqlite";
import { holdsEntity, keyRecord, recordedLegs, standingOf } from "./partition-writer.js";
import type { ThreadRequest, ThreadWriterData } from "./thread-writer.js";

const port = parentPort;
if (port === null) throw new Error("partition-thread runs in a worker thread only");
const data = workerData as ThreadWriterData;

async function answer(engine: Ledger, request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case "execute":
      return engine.execute(request.argument);
    case "walletStanding":
      return standingOf(engine, request.argument);
    case "hasTransferId":
      return engine.currentState.transferIds.has(request.argument);
    case "holdsEntity":
      return holdsEntity(engine.currentState, request.argument);
    case "keyRecord":
      return keyRecord(engine, request.argument.key, request.argument.now);
    case "walletBalances":
      return engine.walletBalances(request.argument);
    case "recordedLegs":
      return recordedLegs(engine);
    case "close":
      return undefined;
  }
}

let store: SqliteEventStore | undefined;
try {
  store = await openSqliteEventStore({ path: data.path });
  const engine = await openLedger({
    store,
    ledgerId: data.ledgerId,
    ...(data.snapshotEvery === undefined ? {} : { snapshotEvery: data.snapshotEvery }),
  });
  const opened = store;
  port.on("message", (request: ThreadRequest) => {
    void answer(engine, request).then(
      async (value) => {
        if (request.op === "close") {
          await engine.close();
          await opened.close();
        }
        port.postMessage({ id: request.id, value });
        if (request.op === "close") port.close();
      },
      (error: unknown) => {
        const { name, message } =
          error instanceof Error ? error : { name: "Error", message: String(error) };
        port.postMessage({ id: request.id, error: { name, message } });
      },
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  await store?.close();
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) });
  port.close();
}
