/**
 * What the crash tests do to a partitioned ledger directory around their kills: open and fund
 * the crash wallets first, and audit what the killed writers left behind, reading the files
 * without resuming anything.
 */
import { join } from "node:path";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { partitionFileName } from "../partition-directory.js";
import type { PartitionedLedger } from "../partitioned-ledger.js";
import { auditPartitions, type PartitionsAuditReport } from "../partitions-audit.js";
import { partitionLedgerId } from "../placement.js";
import { CRASH_FUNDING, CRASH_WALLETS } from "./crash-traffic.js";

export async function openCrashWallets(ledger: PartitionedLedger): Promise<void> {
  for (const id of CRASH_WALLETS) {
    await ledger.execute({
      idempotencyKey: `open-${id}`,
      command: { type: "OpenWallet", walletId: id, ownerId: id },
    });
    await ledger.execute({
      idempotencyKey: `fund-${id}`,
      command: {
        type: "DepositFunds",
        walletId: id,
        amount: { currency: "USD", amount: CRASH_FUNDING },
        channel: "card",
      },
    });
  }
}

export async function auditDirectoryReadOnly(
  directory: string,
  partitionCount: number,
): Promise<PartitionsAuditReport> {
  const stores = await Promise.all(
    Array.from({ length: partitionCount }, (_, index) =>
      openSqliteEventStore({ path: join(directory, partitionFileName(index)), readOnly: true }),
    ),
  );
  try {
    return await auditPartitions(
      stores.map((store, index) => ({ store, stream: `ledger-${partitionLedgerId(index)}` })),
    );
  } finally {
    for (const store of stores) await store.close();
  }
}
