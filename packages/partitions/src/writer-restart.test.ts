/**
 * A partition's writer that stops before it answers (ADR 0025), made deterministic: a writer
 * over an in-memory engine that records a leg and then "dies" before its answer is sent. The
 * partitioned ledger must answer `Unavailable`, start a new writer, read the lost leg back from
 * the journal and finish the transfer once, with no retry from the caller.
 */
import { MemoryEventStore, TestClock, type Ledger } from "@pacioli/engine";
import { describe, expect, it } from "vitest";
import { LEG_METADATA_KEYS } from "./clearing-legs.js";
import { openPartitionedLedger } from "./partitioned-ledger.js";
import { inProcessWriter, WriterUnavailable, type PartitionWriter } from "./partition-writer.js";
import { placement } from "./placement.js";
import { openTestEngines, TEST_START_AT } from "./testing/open-partitions.js";
import { openFundedWallets, request, transfer } from "./testing/typed-requests.js";

const PINNED = [
  ["alice", 0],
  ["bob", 1],
] as const;

/** Executes normally until the first command matching `dies`, which it records and then loses. */
function dyingWriter(
  engine: Ledger,
  partition: number,
  dies: (leg: string | undefined) => boolean,
): PartitionWriter {
  const writer = inProcessWriter(engine);
  let stopped = false;
  return {
    ...writer,
    get stopped() {
      return stopped;
    },
    execute: async (request) => {
      if (stopped) throw new WriterUnavailable(partition, "stopped");
      const result = await engine.execute(request);
      if (dies(request.metadata?.[LEG_METADATA_KEYS.leg])) {
        stopped = true; // durable, but the answer never reaches the process manager
        throw new WriterUnavailable(partition, "died after its append");
      }
      return result;
    },
  };
}

async function ledgerWithDyingWriter(
  dyingPartition: 0 | 1,
  leg: "send" | "receive",
  restarts: boolean,
) {
  const store = new MemoryEventStore();
  const engines = await openTestEngines(store, new TestClock(TEST_START_AT), 2);
  let armed = false;
  const writers = engines.map((engine, index) =>
    index === dyingPartition
      ? dyingWriter(engine, index, (found) => armed && found === leg)
      : inProcessWriter(engine),
  );
  let started = 0;
  const ledger = await openPartitionedLedger({
    placement: placement(2, PINNED),
    writers,
    registry: engines[0]!.currentState.registry,
    ...(restarts
      ? {
          restartWriter: (index: number) => {
            started += 1;
            return Promise.resolve(inProcessWriter(engines[index]!));
          },
        }
      : {}),
  });
  await openFundedWallets(ledger, ["alice", "bob"], { alice: 1_000n });
  armed = true;
  return { ledger, engines, restarts: () => started };
}

const pay = request(transfer("t1", "alice", "bob", 400n), "pay-1");

describe("a writer that stops before it answers", () => {
  for (const [partition, leg] of [
    [0, "send"],
    [1, "receive"],
  ] as const)
    it(`answers Unavailable, and the restart alone finishes a ${leg} made durable`, async () => {
      const { ledger, engines, restarts } = await ledgerWithDyingWriter(partition, leg, true);
      expect(await ledger.execute(pay)).toEqual({
        _tag: "Unavailable",
        partition,
        retryable: true,
      });
      // The next use of the partition (here a balance) starts a new writer, reads the lost
      // leg back and finishes the transfer: nobody retried it.
      const wallet = partition === 0 ? "alice" : "bob";
      expect((await ledger.walletBalances(wallet))[0]?.available).toBe(
        wallet === "alice" ? 600n : 400n,
      );
      await ledger.settled();
      expect(restarts()).toBe(1);
      expect(ledger.inFlight()).toEqual([]);
      expect((await ledger.walletBalances("alice"))[0]?.available).toBe(600n);
      expect((await ledger.walletBalances("bob"))[0]?.available).toBe(400n);
      // The caller's retry gets the transfer, not a second one: one send, one receive.
      expect(await ledger.execute(pay)).toMatchObject({ _tag: "Accepted", repeated: true });
      expect(engines.map((engine) => engine.currentState.sequence)).toEqual([3, 2]);
    });

  it("stays Unavailable without a restart, and records nothing more", async () => {
    const { ledger, engines } = await ledgerWithDyingWriter(0, "send", false);
    expect(await ledger.execute(pay)).toMatchObject({ _tag: "Unavailable", partition: 0 });
    expect(await ledger.execute(pay)).toMatchObject({ _tag: "Unavailable", partition: 0 });
    expect(engines.map((engine) => engine.currentState.sequence)).toEqual([3, 1]);
  });
});
