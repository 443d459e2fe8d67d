import { iso4217 } from "@pacioli/core";
import { MemoryEventStore, TestClock } from "@pacioli/engine";
import { describe, expect, it } from "vitest";
import { clearingChannel, legRequest, transferRequestDigest } from "./clearing-legs.js";
import { openPartitionedLedger, type PartitionedLedger } from "./partitioned-ledger.js";
import { placement } from "./placement.js";
import { openFundedPartitions, openTestEngines, TEST_START_AT } from "./testing/open-partitions.js";
import { request, transfer, usd } from "./testing/typed-requests.js";
import { aliceToBobTicket } from "./testing/transfer-ticket.js";

// alice and carol live in partition 0, bob in partition 1.
const PINNED = [
  ["alice", 0],
  ["carol", 0],
  ["bob", 1],
] as const;

const fundedLedger = (): Promise<PartitionedLedger> =>
  openFundedPartitions(2, PINNED, { alice: 10_000n });

const available = async (ledger: PartitionedLedger, walletId: string): Promise<bigint> =>
  (await ledger.walletBalances(walletId)).find((balance) => balance.currency === "USD")
    ?.available ?? 0n;

/** Every clearing account over all partitions, summed: zero when nothing is in flight. */
const clearingTotal = (ledger: PartitionedLedger): bigint =>
  [...ledger.clearingTotals().values()].reduce((sum, total) => sum + total, 0n);

describe("a partitioned ledger", () => {
  it("sends a one-partition command straight to that partition's engine", async () => {
    const ledger = await fundedLedger();
    expect(ledger.partitions[0]!.currentState.wallets.has("alice")).toBe(true);
    expect(ledger.partitions[1]!.currentState.wallets.has("alice")).toBe(false);
    const result = await ledger.execute(request(transfer("t1", "alice", "carol", 300n)));
    expect(result._tag).toBe("Accepted");
    expect(ledger.partitions[1]!.sequence).toBe(1); // only bob's opening
    expect(await available(ledger, "carol")).toBe(300n);
  });

  it("carries a transfer across as two balanced legs through clearing, answered once both are durable", async () => {
    const ledger = await fundedLedger();
    const result = await ledger.execute(request(transfer("t1", "alice", "bob", 2_500n)));
    expect(result._tag).toBe("Accepted");
    if (result._tag !== "Accepted") return;
    expect(result.events.map((recorded) => recorded.event.type)).toEqual([
      "FundsWithdrawn",
      "FundsDeposited",
    ]);
    expect(await available(ledger, "alice")).toBe(7_500n);
    expect(await available(ledger, "bob")).toBe(2_500n);
    const [inA] = ledger.partitions[0]!.accountBalances(`assets:clearing:${clearingChannel(1)}`);
    const [inB] = ledger.partitions[1]!.accountBalances(`assets:clearing:${clearingChannel(0)}`);
    expect(inA?.balance).toBe(-2_500n);
    expect(inB?.balance).toBe(2_500n);
    expect(clearingTotal(ledger)).toBe(0n);
    expect(ledger.inFlight()).toEqual([]);
  });

  it("refuses a transfer across with the unpartitioned ledger's rejection and leaves nothing behind", async () => {
    const ledger = await fundedLedger();
    const before = ledger.partitions.map((partition) => partition.sequence);
    const poor = await ledger.execute(request(transfer("t1", "bob", "alice", 1n)));
    expect(poor).toMatchObject({ _tag: "Rejected", rejection: { _tag: "InsufficientFunds" } });
    const nobody = await ledger.execute(request(transfer("t2", "alice", "nobody-at-all", 1n)));
    expect(nobody).toMatchObject({ _tag: "Rejected", rejection: { _tag: "WalletNotFound" } });
    expect(ledger.partitions.map((partition) => partition.sequence)).toEqual(before);
  });

  it("keeps a transfer id unique across partitions, as one ledger does", async () => {
    const ledger = await fundedLedger();
    expect((await ledger.execute(request(transfer("t1", "alice", "carol", 1n))))._tag).toBe(
      "Accepted",
    );
    const across = await ledger.execute(request(transfer("t1", "alice", "bob", 1n)));
    expect(across).toMatchObject({ rejection: { _tag: "TransferAlreadyExists" } });
    expect((await ledger.execute(request(transfer("t2", "alice", "bob", 1n))))._tag).toBe(
      "Accepted",
    );
    await ledger.execute(request({ type: "OpenWallet", walletId: "dave", ownerId: "d" }));
    const inside = await ledger.execute(request(transfer("t2", "alice", "carol", 1n)));
    expect(inside).toMatchObject({ rejection: { _tag: "TransferAlreadyExists" } });
  });

  it("answers a retried key with the original result, and a reused key with IdempotencyKeyReused", async () => {
    const ledger = await fundedLedger();
    const first = await ledger.execute(request(transfer("t1", "alice", "bob", 100n), "pay-1"));
    const again = await ledger.execute(request(transfer("t1", "alice", "bob", 100n), "pay-1"));
    expect(first).toMatchObject({ _tag: "Accepted", repeated: false });
    expect(again).toMatchObject({ _tag: "Accepted", repeated: true });
    expect(await available(ledger, "bob")).toBe(100n);
    const other = await ledger.execute(request(transfer("t1", "alice", "bob", 200n), "pay-1"));
    expect(other).toMatchObject({ rejection: { _tag: "IdempotencyKeyReused" } });
  });

  it("refuses the command types it does not partition yet, recording nothing", async () => {
    const ledger = await fundedLedger();
    const result = await ledger.execute(
      request({ type: "DefineVerificationTier", tierId: "basic", limits: [] }),
    );
    expect(result).toEqual({ _tag: "Unsupported", commandType: "DefineVerificationTier" });
    const wire = await ledger.executeWire({ idempotencyKey: "x", command: { type: "Nope" } });
    expect(wire._tag).toBe("Invalid");
  });
});

describe("the process manager after a crash", () => {
  const paid = request(transfer("t9", "alice", "bob", 400n), "pay-9");
  const ticket = aliceToBobTicket(400n, transferRequestDigest(iso4217, paid));

  /** A send leg made durable by a process that died before the receive; bob as given. */
  async function crashedAfterSend(bob: "open" | "closed" | "missing") {
    const store = new MemoryEventStore();
    const clock = new TestClock(TEST_START_AT);
    const engines = await openTestEngines(store, clock, 2);
    const [a, b] = engines as [(typeof engines)[0], (typeof engines)[0]];
    await a.execute(request({ type: "OpenWallet", walletId: "alice", ownerId: "a" }));
    if (bob !== "missing")
      await b.execute(request({ type: "OpenWallet", walletId: "bob", ownerId: "b" }));
    await a.execute(
      request({ type: "DepositFunds", walletId: "alice", amount: usd(1_000n), channel: "card" }),
    );
    expect((await a.execute(legRequest(ticket, "send", {})))._tag).toBe("Accepted");
    if (bob === "closed") await b.execute(request({ type: "CloseWallet", walletId: "bob" }));
    for (const engine of engines) await engine.close();
    const reopened = await openTestEngines(store, clock, 2);
    return openPartitionedLedger({ placement: placement(2, PINNED), partitions: reopened });
  }

  it("finishes a transfer whose send was durable: the receive is recorded once", async () => {
    const ledger = await crashedAfterSend("open");
    expect(ledger.inFlight()).toEqual([]);
    expect(await available(ledger, "bob")).toBe(400n);
    expect(await available(ledger, "alice")).toBe(600n);
    expect(clearingTotal(ledger)).toBe(0n);
    // The caller's retry gets the transfer, not a second one.
    expect(await ledger.execute(paid)).toMatchObject({ _tag: "Accepted", repeated: true });
    expect(await ledger.resumeTransfers()).toBe(0);
    expect(ledger.partitions[1]!.currentState.sequence).toBe(2);
  });

  it("returns the money visibly when the target refuses after the send", async () => {
    const ledger = await crashedAfterSend("closed");
    expect(await available(ledger, "alice")).toBe(1_000n);
    expect(clearingTotal(ledger)).toBe(0n);
    const legs = ledger.partitions[0]!.currentState.sequence;
    expect(legs).toBe(4); // open, deposit, send, return
    expect(ledger.inFlight()).toEqual([]);
  });

  it("answers a retry of a reversed transfer with the same refusal, never receiving after the return", async () => {
    const ledger = await crashedAfterSend("missing");
    expect(await available(ledger, "alice")).toBe(1_000n);
    // bob exists now: a second try at the receive would be accepted and create money.
    await ledger.execute(request({ type: "OpenWallet", walletId: "bob", ownerId: "b" }));
    const retry = await ledger.execute(paid);
    expect(retry).toMatchObject({
      _tag: "Rejected",
      rejection: { _tag: "WalletNotFound", walletId: "bob" },
    });
    expect(retry._tag === "Rejected" && retry.reversal?.length).toBe(1);
    expect(await available(ledger, "bob")).toBe(0n);
    expect(await available(ledger, "alice")).toBe(1_000n);
    expect(clearingTotal(ledger)).toBe(0n);
  });

  it("refuses caller metadata that would pass for a leg's", async () => {
    const ledger = await fundedLedger();
    const result = await ledger.execute({
      ...request({ type: "OpenWallet", walletId: "dan", ownerId: "d" }),
      metadata: { "pacioli.partitions.leg": "send" },
    });
    expect(result).toMatchObject({
      _tag: "Invalid",
      failure: { issues: [{ path: "metadata.pacioli.partitions.leg" }] },
    });
    expect(ledger.partitionOfWallet("dan").currentState.wallets.has("dan")).toBe(false);
  });
});
