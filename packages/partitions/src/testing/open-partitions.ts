/** Test helper: N engines on one in-memory store (one stream each), behind a placement. */
import { MemoryEventStore, openLedger, TestClock, type Ledger } from "@pacioli/engine";
import { openPartitionedLedger, type PartitionedLedger } from "../partitioned-ledger.js";
import { partitionLedgerId, placement, type PartitionIndex } from "../placement.js";
import { openFundedWallets } from "./typed-requests.js";

export const TEST_START_AT = 1_790_000_000_000;

export interface TestPartitions {
  readonly store: MemoryEventStore;
  readonly clock: TestClock;
  readonly ledger: PartitionedLedger;
}

export async function openTestEngines(
  store: MemoryEventStore,
  clock: TestClock,
  count: number,
): Promise<Ledger[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      openLedger({ store, clock, ledgerId: partitionLedgerId(index), snapshotEvery: 0 }),
    ),
  );
}

export async function openTestPartitions(
  count: number,
  overrides: Iterable<readonly [string, PartitionIndex]> = [],
  store = new MemoryEventStore(),
  clock = new TestClock(TEST_START_AT),
): Promise<TestPartitions> {
  const partitions = await openTestEngines(store, clock, count);
  const ledger = await openPartitionedLedger({
    placement: placement(count, overrides),
    partitions,
    clock,
  });
  return { store, clock, ledger };
}

/**
 * `count` test partitions with wallets pinned where `pinned` says, each opened (in that order)
 * and funded as `funding` gives.
 */
export async function openFundedPartitions(
  count: number,
  pinned: readonly (readonly [string, PartitionIndex])[],
  funding: Readonly<Record<string, bigint>>,
): Promise<PartitionedLedger> {
  const { ledger } = await openTestPartitions(count, pinned);
  await openFundedWallets(
    ledger,
    pinned.map(([walletId]) => walletId),
    funding,
  );
  return ledger;
}
