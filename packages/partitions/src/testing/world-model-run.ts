/**
 * Model-based run of a partitioned ledger over the whole wallet world: the command sequences
 * of core's own model run (`worldStepsArbitrary`: every command type, with retries, reused
 * keys and time moving, past the idempotency retention too), sent to a partitioned ledger, to
 * one plain engine, and to the reference model of one unpartitioned ledger.
 *
 * After every step: the partitioned ledger's answer is the plain engine's (the same tag, the
 * same rejection, both repeated or both not), and agrees with the model (a command the codecs
 * refuse is one the model refuses by its shape); the books summed over all partitions (the
 * inter-partition clearing accounts left out, checked to be zero), the wallets, holds and
 * promotions are the model's. After every sequence: nothing in flight and the audit over all
 * partitions clean.
 *
 * A command whose parties live in different partitions is answered `SpansPartitions` and
 * goes to neither the engine nor the model; the run checks that answer independently: the
 * parties it names are the command's, in the partitions it says, and not all in one. A
 * ledger-wide setting on several partitions is answered `Unsupported` and skipped likewise.
 */
import type { LedgerCommandType } from "@pacioli/core";
import {
  emptyModel,
  modelSubmit,
  type ModelLedger,
  type ModelOutcome,
} from "@pacioli/core/testing";
import {
  CURRENCIES,
  commandDigest,
  observeModel,
  observeReal,
  stepsArbitrary,
  worldStepsArbitrary,
  type Observation,
  type Step,
} from "@pacioli/core/testing/arbitraries";
import { MemoryEventStore, openLedger, TestClock, type ExecuteResult } from "@pacioli/engine";
import fc from "fast-check";
import { expect } from "vitest";
import type { NamedEntity, Party } from "../command-parties.js";
import { UNSUPPORTED_ON_SEVERAL_PARTITIONS } from "../command-routing.js";
import type { PartitionedLedger } from "../partitioned-ledger.js";
import { holdsEntity } from "../partition-writer.js";
import type { PartitionedResult } from "../partitioned-result.js";
import { auditPartitions } from "../partitions-audit.js";
import type { PartitionIndex } from "../placement.js";
import { openTestPartitions, TEST_START_AT } from "./open-partitions.js";

export interface WorldRunOptions {
  readonly runs: number;
  readonly stepsMax: number;
  readonly seed: number | undefined;
  readonly partitionsMin: number;
  readonly partitionsMax: number;
}

export interface TypeTally {
  accepted: number;
  rejected: number;
  spans: number;
  unsupported: number;
}

export interface WorldRunTally {
  steps: number;
  sequences: number;
  /** Per command type: accepted (not repeated), refused by a rule, answered `SpansPartitions`. */
  readonly byType: Map<LedgerCommandType, TypeTally>;
  /** Of those accepted, how many on a ledger of more than one partition. */
  readonly acceptedOnSeveral: Map<LedgerCommandType, number>;
  readonly rejections: Map<string, number>;
  invalid: number;
}

/** The ids a scenario may pin (the wallet world's pools); the others are placed by the hash. */
const PINNABLE = ["w1", "w2", "w3", "m1", "m2", "promo1", "promo2", "promo3", "promo4"] as const;

const scenarioOf = (options: WorldRunOptions) =>
  fc.record({
    partitionCount: fc.integer({ min: options.partitionsMin, max: options.partitionsMax }),
    // Each id pinned to a partition, or left to the hash: pins put buyers and merchants together.
    pins: fc.tuple(...PINNABLE.map(() => fc.option(fc.nat(3), { nil: undefined }))),
    // Core's two runs: the wallet world, and the core run (disputes and funding sources weigh more).
    steps: fc.oneof(
      worldStepsArbitrary(options.stepsMax),
      stepsArbitrary({ maxLength: options.stepsMax }),
    ),
  });

type Outcome = ModelOutcome | { readonly kind: "invalid" };

function outcomeOf(result: PartitionedResult | ExecuteResult): Outcome | { kind: string } {
  switch (result._tag) {
    case "Accepted":
      return result.repeated ? { kind: "repeated" } : { kind: "accepted" };
    case "Rejected":
      return { kind: "rejected", tag: result.rejection._tag };
    case "Invalid":
      return { kind: "invalid" };
    default:
      return { kind: result._tag };
  }
}

/**
 * The model's verdict as the engine gives it: what the codecs refuse at the edge (an amount
 * of zero, an unknown currency, a fee rate out of range…) the engine answers `Invalid`, and the
 * model must refuse it too, by whichever rule it names.
 */
function expectedOf(verdict: ModelOutcome, engine: ExecuteResult): Outcome {
  if (engine._tag === "Invalid" && verdict.kind === "rejected") return { kind: "invalid" };
  return verdict;
}

type Books = Observation["books"];

/** The observation of all partitions as of one ledger: entities merged, books summed. */
export function observePartitions(ledger: PartitionedLedger): Observation {
  const parts = ledger.partitions.map((partition) => observeReal(partition.currentState));
  const merged = (pick: (observation: Observation) => unknown) =>
    parts
      .flatMap((part) => pick(part) as [string, ...unknown[]][])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  const sums = new Map<string, bigint>();
  for (const [account, currency, balance] of parts.flatMap((part) => part.books)) {
    if (account.startsWith("assets:clearing:partition-")) continue;
    const key = `${account}|${currency}`;
    sums.set(key, (sums.get(key) ?? 0n) + balance);
  }
  const books: Books = [...sums.entries()]
    .filter(([, balance]) => balance !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, balance]) => {
      const [account, currency] = key.split("|") as [string, string];
      return [account, currency, balance];
    });
  return {
    wallets: merged((part) => part.wallets),
    // Holds are objects with an id, the others tuples led by their id.
    holds: parts
      .flatMap((part) => part.holds as { id: string }[])
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    promotions: merged((part) => part.promotions),
    books,
  };
}

/** A key the model holds for another request within the retention: one ledger would refuse it first. */
function keyDecidesFirst(model: ModelLedger, step: Step): boolean {
  const seen = model.keys.get(step.key);
  return seen !== undefined && step.at - seen.at < model.retentionMs;
}

/**
 * A `SpansPartitions` answer, checked without the router: every party it names appears in the
 * command, every entity it says exists does exist in the partition it names, and the parties
 * are in at least two partitions.
 */
function expectHonestSpans(
  ledger: PartitionedLedger,
  step: Step,
  result: Extract<PartitionedResult, { _tag: "SpansPartitions" }>,
): void {
  const text = JSON.stringify(step.command, (_, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  expect(result.commandType).toBe(step.command.type);
  for (const party of result.parties) {
    expect(text, `party ${party.id} of ${text}`).toContain(party.id);
    if (party.placed) expect(party.partition).toBe(ledger.partitionIndexOf(party.id));
    else
      expect(
        ledger.partitions.map((partition) =>
          holdsEntity(partition.currentState, party as Party<NamedEntity>),
        ),
        `where ${party.entity} ${party.id} is`,
      ).toEqual(ledger.partitions.map((_, index) => index === party.partition));
  }
  expect(new Set(result.parties.map((party) => party.partition)).size).toBeGreaterThan(1);
}

function count(tally: WorldRunTally, type: LedgerCommandType, field: keyof TypeTally) {
  const row = tally.byType.get(type) ?? { accepted: 0, rejected: 0, spans: 0, unsupported: 0 };
  row[field] += 1;
  tally.byType.set(type, row);
}

async function runSequence(
  partitionCount: number,
  overrides: readonly (readonly [string, PartitionIndex])[],
  steps: readonly Step[],
  tally: WorldRunTally,
): Promise<void> {
  const { ledger, clock } = await openTestPartitions(partitionCount, overrides);
  const engineClock = new TestClock(TEST_START_AT);
  const engine = await openLedger({
    store: new MemoryEventStore(),
    clock: engineClock,
    snapshotEvery: 0,
  });
  const model = emptyModel(CURRENCIES);
  for (const [index, step] of steps.entries()) {
    const where = `step ${index} (${step.kind} ${step.key} ${commandDigest(step.command)})`;
    clock.set(step.at);
    engineClock.set(step.at);
    const request = { idempotencyKey: step.key, command: step.command };
    const result = await ledger.execute(request);
    tally.steps += 1;
    if (result._tag === "SpansPartitions") {
      expect(keyDecidesFirst(model, step), `key decides first at ${where}`).toBe(false);
      expectHonestSpans(ledger, step, result);
      count(tally, step.command.type, "spans");
      continue;
    }
    if (result._tag === "Unsupported") {
      expect(partitionCount, `Unsupported at ${where}`).toBeGreaterThan(1);
      expect(UNSUPPORTED_ON_SEVERAL_PARTITIONS).toContain(step.command.type);
      count(tally, step.command.type, "unsupported");
      continue;
    }
    const plain = await engine.execute(request);
    expect(outcomeOf(result), `answer against the plain engine at ${where}`).toEqual(
      outcomeOf(plain),
    );
    if (result._tag === "Rejected" && plain._tag === "Rejected")
      expect(result.rejection, `rejection at ${where}`).toEqual(plain.rejection);
    const verdict = modelSubmit(model, {
      key: step.key,
      digest: commandDigest(step.command),
      at: step.at,
      command: step.command,
    });
    expect(outcomeOf(result), `answer against the model at ${where}`).toEqual(
      expectedOf(verdict, plain),
    );
    if (result._tag === "Accepted" && !result.repeated) {
      count(tally, step.command.type, "accepted");
      if (partitionCount > 1)
        tally.acceptedOnSeveral.set(
          step.command.type,
          (tally.acceptedOnSeveral.get(step.command.type) ?? 0) + 1,
        );
    } else if (result._tag === "Rejected") {
      count(tally, step.command.type, "rejected");
      tally.rejections.set(
        result.rejection._tag,
        (tally.rejections.get(result.rejection._tag) ?? 0) + 1,
      );
    } else if (result._tag === "Invalid") tally.invalid += 1;
    expect(observePartitions(ledger), `books after ${where}`).toEqual(observeModel(model));
  }
  expect(ledger.inFlight()).toEqual([]);
  for (const total of ledger.clearingTotals().values()) expect(total).toBe(0n);
  const audit = await auditPartitions(ledger.partitions);
  expect(audit.violations).toEqual([]);
  expect(audit.clean).toBe(true);
  await engine.close();
  await ledger.close();
}

export async function runWorldModel(options: WorldRunOptions): Promise<WorldRunTally> {
  const tally: WorldRunTally = {
    steps: 0,
    sequences: 0,
    byType: new Map(),
    acceptedOnSeveral: new Map(),
    rejections: new Map(),
    invalid: 0,
  };
  await fc.assert(
    fc.asyncProperty(scenarioOf(options), async ({ partitionCount, pins, steps }) => {
      tally.sequences += 1;
      const overrides = PINNABLE.flatMap((id, index) => {
        const pin = pins[index];
        return pin === undefined ? [] : [[id, pin % partitionCount] as const];
      });
      await runSequence(partitionCount, overrides, steps, tally);
    }),
    {
      numRuns: options.runs,
      timeout: 20_000,
      endOnFailure: true,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    },
  );
  return tally;
}
