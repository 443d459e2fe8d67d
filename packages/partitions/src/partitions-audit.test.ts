import { partitionLedgerId } from "./placement.js";
import { describe, expect, it } from "vitest";
import { legRequest } from "./clearing-legs.js";
import type { PartitionedLedger } from "./partitioned-ledger.js";
import { auditPartitions, type PartitionsAuditReport } from "./partitions-audit.js";
import { request, transfer, usd } from "./testing/typed-requests.js";
import { aliceToBobTicket } from "./testing/transfer-ticket.js";
import { openFundedPartitions } from "./testing/open-partitions.js";

const PINNED = [
  ["alice", 0],
  ["bob", 1],
  ["carol", 2],
] as const;

async function busyLedger(): Promise<PartitionedLedger> {
  const ledger = await openFundedPartitions(3, PINNED, {
    alice: 1_000n,
    bob: 1_000n,
    carol: 1_000n,
  });
  await ledger.execute(request(transfer("t1", "alice", "bob", 300n)));
  await ledger.execute(request(transfer("t2", "bob", "carol", 500n)));
  await ledger.execute(request(transfer("t3", "carol", "alice", 50n)));
  return ledger;
}

const audit = (ledger: PartitionedLedger): Promise<PartitionsAuditReport> =>
  auditPartitions(ledger.partitions);

const ticket = aliceToBobTicket(70n, "d".repeat(64));

describe("the audit over all partitions", () => {
  it("is clean after traffic across partitions, and sums reports over partitions", async () => {
    const ledger = await busyLedger();
    const report = await audit(ledger);
    expect(report.violations).toEqual([]);
    expect(report.clean).toBe(true);
    expect(report.legs).toEqual({ send: 3, receive: 3, return: 0 });
    expect(report.inFlight).toEqual([]);
    expect([...report.trialBalance.values()]).toEqual([0n]);
    // The card channel exists once per partition; the report sums it.
    expect(report.balances.find((row) => row.account === "assets:clearing:card")?.balance).toBe(
      3_000n,
    );
    expect(report.partitions.map((partition) => partition.stream)).toEqual(
      [0, 1, 2].map((index) => `ledger-${partitionLedgerId(index)}`),
    );
  });

  it("lists a send without its receive as in flight and accounts for it in clearing", async () => {
    const ledger = await busyLedger();
    await ledger.partitions[0]!.execute(legRequest(ticket, "send", {}));
    const report = await audit(ledger);
    expect(report.clean).toBe(true);
    expect(report.inFlight).toEqual([ticket]);
  });

  it("finds a receive recorded twice (money created) and a receive without a send", async () => {
    const ledger = await busyLedger();
    const bob = ledger.partitions[1]!;
    await ledger.partitions[0]!.execute(legRequest(ticket, "send", {}));
    await bob.execute(legRequest(ticket, "receive", {}));
    await bob.execute({ ...legRequest(ticket, "receive", {}), idempotencyKey: "forged" });
    await bob.execute({
      ...legRequest({ ...ticket, requestKey: "orphan" }, "receive", {}),
    });
    const report = await audit(ledger);
    expect(report.clean).toBe(false);
    const messages = report.violations.map(
      (violation) => `${violation.check}: ${violation.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        "pairing: transfer key pay-9: 2 receive legs (at most one)",
        "pairing: transfer key orphan: a receive without a send",
        expect.stringMatching(/^clearing: partitions 0 and 1: clearing in USD is off by 140 /),
      ]),
    );
  });

  it("finds money moved to a clearing account without a leg", async () => {
    const ledger = await busyLedger();
    await ledger.partitions[2]!.execute(
      request({
        type: "WithdrawFunds",
        walletId: "carol",
        amount: usd(5n),
        channel: "partition-p0",
      }),
    );
    await ledger.partitions[2]!.execute(
      request({
        type: "WithdrawFunds",
        walletId: "carol",
        amount: usd(5n),
        channel: "partition-p7",
      }),
    );
    const report = await audit(ledger);
    expect(report.clean).toBe(false);
    expect(report.violations.map((violation) => violation.message)).toEqual([
      "partition 2 has assets:clearing:partition-p7, which names no other partition",
      "partitions 0 and 2: clearing in USD is off by -5 minor units beyond the money in flight",
    ]);
  });
});
