/**
 * The partitions suite on EventStoreDB/KurrentDB, through the adapter and the gRPC test double
 * (one stream per partition on one node): the model-based run (40 sequences here, about 15 s; 1,000
 * under PACIOLI_SOAK=1; each gRPC round trip costs what 1,000 in-memory appends do) and a
 * restart that finds a send without its receive and finishes it exactly once.
 */
import { openLedger, type EventStore, type Ledger } from "@pacioli/engine";
import { startStoreOnTestDouble, type StoreOnTestDouble } from "@pacioli/store-eventstoredb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { legRequest, type TransferTicket } from "./clearing-legs.js";
import { openPartitionedLedger } from "./partitioned-ledger.js";
import { auditPartitions } from "./partitions-audit.js";
import { placement, type PartitionIndex } from "./placement.js";
import { runPartitionedModel } from "./testing/partitioned-model-run.js";

const soak = process.env["PACIOLI_SOAK"] === "1";
vi.setConfig({ testTimeout: soak ? 3_600_000 : 120_000 });
const RUNS = soak ? 1_000 : 40;

let double: StoreOnTestDouble;
beforeAll(async () => {
  double = await startStoreOnTestDouble();
});
afterAll(async () => {
  await double.close();
});

let ledgers = 0;
/** Engines for a fresh set of streams `ledger-s{n}-p{i}` on the double. */
async function enginesOn(store: EventStore, count: number, name = `s${++ledgers}`) {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      openLedger({ store, ledgerId: `${name}-p${index}`, snapshotEvery: 0 }),
    ),
  );
}

const open = async (count: number, overrides: readonly (readonly [string, PartitionIndex])[]) =>
  openPartitionedLedger({
    placement: placement(count, overrides),
    partitions: await enginesOn(double.store, count),
  });

describe("partitions on EventStoreDB (gRPC double), one stream per partition", () => {
  it(`agree with the reference model of one ledger over ${RUNS} sequences`, async () => {
    const { crossAccepted } = await runPartitionedModel({
      runs: RUNS,
      stepsMax: soak ? 80 : 25,
      seed: soak ? undefined : 20_261_204,
      open,
    });
    expect(crossAccepted).toBeGreaterThan(RUNS / 10);
  });

  it("finish a transfer in flight after a restart, once, and audit clean", async () => {
    const ticket: TransferTicket = {
      transferId: "t1",
      sourceWalletId: "alice",
      targetWalletId: "bob",
      source: 0,
      target: 1,
      amount: { currency: "USD", amount: 400n },
      requestKey: "pay-1",
      requestDigest: "d".repeat(64),
    };
    const name = "restart";
    const [a, b] = (await enginesOn(double.store, 2, name)) as [Ledger, Ledger];
    await a.execute({
      idempotencyKey: "o1",
      command: { type: "OpenWallet", walletId: "alice", ownerId: "a" },
    });
    await b.execute({
      idempotencyKey: "o2",
      command: { type: "OpenWallet", walletId: "bob", ownerId: "b" },
    });
    await a.execute({
      idempotencyKey: "d1",
      command: { type: "DepositFunds", walletId: "alice", amount: ticket.amount, channel: "card" },
    });
    expect((await a.execute(legRequest(ticket, "send", {})))._tag).toBe("Accepted");
    await a.close();
    await b.close();
    const rule = placement(2, [
      ["alice", 0],
      ["bob", 1],
    ]);
    const first = await openPartitionedLedger({
      placement: rule,
      partitions: await enginesOn(double.store, 2, name),
    });
    expect(first.inFlight()).toEqual([]);
    expect((await first.walletBalances("bob"))[0]?.available).toBe(400n);
    // A second restart finds nothing to do: the receive is not recorded twice.
    const second = await openPartitionedLedger({
      placement: rule,
      partitions: await enginesOn(double.store, 2, name),
    });
    expect(second.partitions[1]?.sequence).toBe(2);
    const report = await auditPartitions(second.partitions);
    expect(report.violations).toEqual([]);
    expect(report.legs).toEqual({ send: 1, receive: 1, return: 0 });
    expect(report.clean).toBe(true);
  });
});
