/**
 * Model-based run of a partitioned ledger against the reference model of one unpartitioned
 * ledger (`@pacioli/core/testing`), on whatever stores `open` puts the partitions: random
 * wallet commands over wallets spread across 1–4 partitions. After every step both give the
 * same outcome (accepted, repeated, or the same rejection tag); after every sequence every
 * wallet has the same status and the same available balance per currency, no transfer is in
 * flight, the clearing accounts of all partitions sum to zero and the audit over all
 * partitions is clean.
 */
import type { LedgerCommand, Money } from "@pacioli/core";
import { emptyModel, modelSubmit, type ModelOutcome } from "@pacioli/core/testing";
import fc from "fast-check";
import { expect } from "vitest";
import type { PartitionedLedger } from "../partitioned-ledger.js";
import type { PartitionedResult } from "../partitioned-result.js";
import { auditPartitions } from "../partitions-audit.js";
import { partitionOf, type PartitionIndex } from "../placement.js";

export interface ModelRunOptions {
  readonly runs: number;
  readonly stepsMax: number;
  readonly seed: number | undefined;
  readonly open: (
    partitionCount: number,
    overrides: readonly (readonly [string, PartitionIndex])[],
  ) => Promise<PartitionedLedger>;
}

export interface ModelRunTally {
  /** Cross-partition transfers accepted (not repeated). */
  readonly crossAccepted: number;
  /** Rejection tags seen on cross-partition transfers. */
  readonly crossRefusals: ReadonlySet<string>;
  /** Keys reused for a command routed to other partitions than the key's first command. */
  readonly keysReusedAcross: number;
}

/** The partitions a command is routed to (one, or the two of a transfer). */
function partitionsOf(ledger: PartitionedLedger, sent: LedgerCommand): string {
  if (sent.type === "TransferFunds")
    return [sent.fromWalletId, sent.toWalletId]
      .map((id) => partitionOf(ledger.placement, id))
      .join("→");
  return "walletId" in sent ? String(partitionOf(ledger.placement, sent.walletId)) : "?";
}

const WALLETS = ["w1", "w2", "w3", "w4", "w5", "w6"] as const;
const TRANSFER_IDS = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"] as const;
const CURRENCIES = ["USD", "JPY"] as const;

const walletId = fc.constantFrom(...WALLETS);
const money: fc.Arbitrary<Money> = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  amount: fc.bigInt({ min: 1n, max: 12_000n }),
});
const limit: fc.Arbitrary<Money> = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  amount: fc.bigInt({ min: 0n, max: 2_000n }),
});

/** A deposit by card or a withdrawal to the bank, of any wallet and amount. */
function cashMovement<const T extends "DepositFunds" | "WithdrawFunds", const C extends string>(
  type: T,
  channel: C,
) {
  return fc
    .tuple(walletId, money)
    .map(([id, amount]) => ({ type, walletId: id, amount, channel }) as const);
}

const command: fc.Arbitrary<LedgerCommand> = fc.oneof(
  {
    weight: 3,
    arbitrary: walletId.map((id) => ({ type: "OpenWallet", walletId: id, ownerId: id }) as const),
  },
  { weight: 4, arbitrary: cashMovement("DepositFunds", "card") },
  { weight: 2, arbitrary: cashMovement("WithdrawFunds", "bank") },
  {
    weight: 8,
    arbitrary: fc.tuple(fc.constantFrom(...TRANSFER_IDS), walletId, walletId, money).map(
      ([transferId, from, to, amount]) =>
        ({
          type: "TransferFunds",
          transferId,
          fromWalletId: from,
          toWalletId: to,
          amount,
        }) as const,
    ),
  },
  {
    weight: 1,
    arbitrary: walletId.map(
      (id) => ({ type: "FreezeWallet", walletId: id, reason: "review" }) as const,
    ),
  },
  {
    weight: 1,
    arbitrary: walletId.map((id) => ({ type: "UnfreezeWallet", walletId: id }) as const),
  },
  { weight: 1, arbitrary: walletId.map((id) => ({ type: "CloseWallet", walletId: id }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(walletId, limit)
      .map(([id, amount]) => ({ type: "SetOverdraftLimit", walletId: id, limit: amount }) as const),
  },
);

/** w1–w5 open and w1–w4 funded first, so that transfers have something to move (w6 opens later, if ever). */
const PRELUDE: readonly LedgerCommand[] = WALLETS.slice(0, 5).flatMap((id, index) => [
  { type: "OpenWallet", walletId: id, ownerId: id } as const,
  ...(index >= 4 ? [] : CURRENCIES).map(
    (currency) =>
      ({
        type: "DepositFunds",
        walletId: id,
        amount: { currency, amount: 10_000n },
        channel: "card",
      }) as const,
  ),
]);

/**
 * A step is a new command, the exact retry of an earlier step (same key, same command), an
 * earlier transfer's key reused for another amount between the same wallets, or an earlier key
 * reused for any other command (often one of another partition: one key space, ADR 0025).
 */
const step = fc.oneof(
  { weight: 16, arbitrary: command.map((next) => ({ _tag: "New", command: next }) as const) },
  { weight: 2, arbitrary: fc.nat().map((back) => ({ _tag: "Retry", back }) as const) },
  { weight: 1, arbitrary: fc.nat().map((back) => ({ _tag: "Reuse", back }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), command)
      .map(([back, other]) => ({ _tag: "ReuseElsewhere", back, command: other }) as const),
  },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const scenarioOf = (stepsMax: number) =>
  fc.record({
    partitionCount: fc.integer({ min: 1, max: 4 }),
    // Some wallets pinned by the overrides directory, the rest placed by the hash.
    pinned: fc.dictionary(walletId, fc.nat(3), { maxKeys: 3 }),
    steps: fc.array(step, { minLength: 1, maxLength: stepsMax }),
  });

const digestOf = (sent: LedgerCommand): string =>
  JSON.stringify(sent, (_, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));

interface SentRequest {
  readonly key: string;
  readonly command: LedgerCommand;
}

function requestOf(next: Step, sent: readonly SentRequest[]): SentRequest | undefined {
  if (next._tag === "New") return { key: `k${sent.length}`, command: next.command };
  const earlier = sent[sent.length - 1 - (next.back % Math.max(sent.length, 1))];
  if (earlier === undefined || next._tag === "Retry") return earlier;
  if (next._tag === "ReuseElsewhere") return { key: earlier.key, command: next.command };
  const command = earlier.command;
  if (command.type !== "TransferFunds") return undefined;
  const amount = { ...command.amount, amount: command.amount.amount + 1n };
  return { key: earlier.key, command: { ...command, amount } };
}

function outcomeOf(result: PartitionedResult): ModelOutcome | { kind: string } {
  switch (result._tag) {
    case "Accepted":
      return result.repeated ? { kind: "repeated" } : { kind: "accepted" };
    case "Rejected":
      return { kind: "rejected", tag: result.rejection._tag };
    default:
      return { kind: result._tag };
  }
}

async function expectSameWallets(
  ledger: PartitionedLedger,
  model: ReturnType<typeof emptyModel>,
): Promise<void> {
  for (const id of WALLETS) {
    const wallet = model.wallets.get(id);
    const state = ledger.partitionOfWallet(id).currentState.wallets.get(id);
    expect(state?.status, `status of ${id}`).toBe(wallet?.status);
    if (wallet === undefined) continue;
    for (const currency of CURRENCIES) {
      const balance = (await ledger.walletBalances(id)).find(
        (found) => found.currency === currency,
      );
      expect(balance?.available ?? 0n, `${id} ${currency}`).toBe(
        wallet.available.get(currency) ?? 0n,
      );
    }
  }
}

export async function runPartitionedModel(options: ModelRunOptions): Promise<ModelRunTally> {
  const scenario = scenarioOf(options.stepsMax);
  let crossAccepted = 0;
  let keysReusedAcross = 0;
  const crossRefusals = new Set<string>();
  await fc.assert(
    fc.asyncProperty(scenario, async ({ partitionCount, pinned, steps }) => {
      const overrides = Object.entries(pinned).map(
        ([id, index]) => [id, index % partitionCount] as const,
      );
      const ledger = await options.open(partitionCount, overrides);
      const model = emptyModel(CURRENCIES);
      const sent: SentRequest[] = [];
      for (const [index, opening] of PRELUDE.entries()) {
        const key = `prelude-${index}`;
        modelSubmit(model, { key, digest: digestOf(opening), at: 0, command: opening });
        expect((await ledger.execute({ idempotencyKey: key, command: opening }))._tag).toBe(
          "Accepted",
        );
      }
      for (const next of steps) {
        const request = requestOf(next, sent);
        if (request === undefined) continue;
        if (next._tag === "New") sent.push(request);
        const expected = modelSubmit(model, {
          key: request.key,
          digest: digestOf(request.command),
          at: 0,
          command: request.command,
        });
        const result = await ledger.execute({
          idempotencyKey: request.key,
          command: request.command,
        });
        expect(outcomeOf(result), `${request.key} ${digestOf(request.command)}`).toEqual(expected);
        const command = request.command;
        const first = sent.find((earlier) => earlier.key === request.key);
        if (
          next._tag === "ReuseElsewhere" &&
          first !== undefined &&
          partitionsOf(ledger, first.command) !== partitionsOf(ledger, command) &&
          expected.kind === "rejected" &&
          expected.tag === "IdempotencyKeyReused"
        )
          keysReusedAcross += 1;
        if (
          result._tag === "Accepted" &&
          !result.repeated &&
          command.type === "TransferFunds" &&
          partitionOf(ledger.placement, command.fromWalletId) !==
            partitionOf(ledger.placement, command.toWalletId)
        )
          crossAccepted += 1;
        else if (
          result._tag === "Rejected" &&
          command.type === "TransferFunds" &&
          partitionOf(ledger.placement, command.fromWalletId) !==
            partitionOf(ledger.placement, command.toWalletId)
        )
          crossRefusals.add(result.rejection._tag);
      }
      await expectSameWallets(ledger, model);
      expect(ledger.inFlight()).toEqual([]);
      for (const total of ledger.clearingTotals().values()) expect(total).toBe(0n);
      const audit = await auditPartitions(ledger.partitions);
      expect(audit.violations).toEqual([]);
      expect(audit.clean).toBe(true);
    }),
    { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
  return { crossAccepted, crossRefusals, keysReusedAcross };
}
