/**
 * One audit over all partitions. First each partition's own audit (the engine's `auditStream`:
 * chain, canonical bytes, balanced postings, fields, holds, idempotency, trial balance), then
 * what no single partition can see:
 *
 * - **pairing**: every leg of a cross-partition transfer, grouped by the caller's key, is in
 *   the partition its ticket names, at most once per kind, with the same ticket and amount as
 *   its send; a receive or return has a send; no transfer has both a receive and a return;
 * - **clearing**: for every pair of partitions, `assets:clearing:partition-p{B}` in A plus
 *   `assets:clearing:partition-p{A}` in B equals minus the money in flight between them (sends
 *   with neither receive nor return), so it is zero when nothing is in flight; no clearing
 *   account names a partition that does not exist;
 * - **global trial balance**: every currency sums to zero over all partitions.
 *
 * Transfers in flight are not violations (a process manager may be between two legs); they
 * are listed, and the clearing check accounts for exactly them.
 */
import { iso4217, normalBalance, type AccountBalance, type RecordedEvent } from "@pacioli/core";
import {
  auditStream,
  journalEntries,
  storeAuditSource,
  type AuditOptions,
  type AuditReport,
  type EventStore,
} from "@pacioli/engine";
import {
  CLEARING_ACCOUNT_PREFIX,
  clearingChannel,
  legOf,
  type LegKind,
  type RecordedLeg,
  type TransferTicket,
} from "./clearing-legs.js";
import type { PartitionIndex } from "./placement.js";

// ---------------------------------------------------------------------------------------------
// model

export type PartitionsCheck = "pairing" | "clearing" | "global-trial-balance" | "unreadable";

export interface PartitionsViolation {
  readonly check: PartitionsCheck;
  readonly message: string;
}

export interface PartitionsAuditReport {
  /** Each partition's own audit, at its index. */
  readonly partitions: readonly AuditReport[];
  /** Findings across partitions. */
  readonly violations: readonly PartitionsViolation[];
  /** Sends with neither a receive nor a return yet. */
  readonly inFlight: readonly TransferTicket[];
  /** Legs read, by kind. */
  readonly legs: Readonly<Record<LegKind, number>>;
  /** Every non-zero account balance, summed over partitions (platform accounts reported once). */
  readonly balances: readonly AccountBalance[];
  readonly trialBalance: ReadonlyMap<string, bigint>;
  /** True when no partition and no cross-partition check found anything. */
  readonly clean: boolean;
}

/** A partition's store and stream: an open engine (`Ledger`) is one, a store file with its stream another. */
export interface PartitionSource {
  readonly store: EventStore;
  /** `ledger-p{index}`. */
  readonly stream: string;
}

// ---------------------------------------------------------------------------------------------
// the audit

export async function auditPartitions(
  sources: readonly PartitionSource[],
  options: AuditOptions = {},
): Promise<PartitionsAuditReport> {
  const partitions: AuditReport[] = [];
  for (const source of sources)
    partitions.push(await auditStream(storeAuditSource(source.store, source.stream), options));
  const violations: PartitionsViolation[] = [];
  const legs = await readLegs(sources, partitions, violations, options);
  const inFlight = checkPairing(legs, sources.length, violations);
  checkClearing(partitions, inFlight, violations);
  const balances = sumBalances(partitions);
  const trialBalance = new Map<string, bigint>();
  for (const report of partitions)
    for (const [currency, total] of report.trialBalance)
      trialBalance.set(currency, (trialBalance.get(currency) ?? 0n) + total);
  for (const [currency, total] of trialBalance)
    if (total !== 0n)
      violations.push({
        check: "global-trial-balance",
        message: `${currency} sums to ${total} minor units over all partitions`,
      });
  const clean =
    violations.length === 0 &&
    partitions.every(
      (report) =>
        report.violations.length === 0 &&
        report.violationsOmitted === 0 &&
        report.fatal === undefined,
    );
  return {
    partitions,
    violations,
    inFlight: inFlight.map((leg) => leg.ticket),
    legs: countLegs(legs),
    balances,
    trialBalance,
    clean,
  };
}

interface PlacedLeg extends RecordedLeg {
  readonly partition: PartitionIndex;
}

async function readLegs(
  sources: readonly PartitionSource[],
  reports: readonly AuditReport[],
  violations: PartitionsViolation[],
  options: AuditOptions,
): Promise<PlacedLeg[]> {
  const found: PlacedLeg[] = [];
  for (const [partition, source] of sources.entries()) {
    // A partition whose own audit could not read it to the end cannot be paired honestly.
    if (reports[partition]?.fatal !== undefined) {
      violations.push({
        check: "unreadable",
        message: `partition ${partition} (${source.stream}) could not be read to its end: its legs are not paired`,
      });
      continue;
    }
    try {
      const pages = journalEntries(source.store, source.stream, options.registry ?? iso4217);
      for await (const page of pages)
        for (const entry of page) {
          const leg = readLeg(entry.recorded, partition, violations);
          if (leg !== undefined) found.push(leg);
        }
    } catch (error) {
      violations.push({
        check: "unreadable",
        message: `partition ${partition} (${source.stream}): ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return found;
}

function readLeg(
  recorded: RecordedEvent,
  partition: PartitionIndex,
  violations: PartitionsViolation[],
): PlacedLeg | undefined {
  try {
    const leg = legOf(recorded);
    return leg === undefined ? undefined : { ...leg, partition };
  } catch (error) {
    violations.push({
      check: "pairing",
      message: `partition ${partition}, event ${recorded.sequence}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
}

/** Checks every transfer's legs; returns the sends still in flight. */
function checkPairing(
  legs: readonly PlacedLeg[],
  partitionCount: number,
  violations: PartitionsViolation[],
): PlacedLeg[] {
  const byKey = new Map<string, PlacedLeg[]>();
  for (const leg of legs) {
    const group = byKey.get(leg.ticket.requestKey) ?? [];
    group.push(leg);
    byKey.set(leg.ticket.requestKey, group);
  }
  const inFlight: PlacedLeg[] = [];
  for (const [key, group] of byKey) {
    const say = (message: string): void => {
      violations.push({ check: "pairing", message: `transfer key ${key}: ${message}` });
    };
    const kinds = (kind: LegKind) => group.filter((leg) => leg.leg === kind);
    const [send] = kinds("send");
    const receives = kinds("receive");
    const returns = kinds("return");
    for (const kind of ["send", "receive", "return"] as const)
      if (kinds(kind).length > 1) say(`${kinds(kind).length} ${kind} legs (at most one)`);
    if (send === undefined) {
      say(`a ${group[0]?.leg ?? "leg"} without a send`);
      continue;
    }
    const { ticket } = send;
    if (
      ticket.source === ticket.target ||
      ticket.source >= partitionCount ||
      ticket.target >= partitionCount
    )
      say(`names partitions ${ticket.source} → ${ticket.target} of ${partitionCount}`);
    if (receives.length > 0 && returns.length > 0) say("both received and returned");
    for (const leg of group) {
      const home = leg.leg === "receive" ? ticket.target : ticket.source;
      if (leg.partition !== home)
        say(`${leg.leg} leg recorded in partition ${leg.partition}, its ticket says ${home}`);
      if (!sameTicket(leg.ticket, ticket)) say(`${leg.leg} leg does not match its send`);
    }
    if (receives.length === 0 && returns.length === 0) inFlight.push(send);
  }
  return inFlight;
}

const sameTicket = (left: TransferTicket, right: TransferTicket): boolean =>
  left.transferId === right.transferId &&
  left.sourceWalletId === right.sourceWalletId &&
  left.targetWalletId === right.targetWalletId &&
  left.source === right.source &&
  left.target === right.target &&
  left.amount.currency === right.amount.currency &&
  left.amount.amount === right.amount.amount &&
  left.requestDigest === right.requestDigest;

/** Per unordered pair of partitions and currency: both clearing accounts + money in flight = 0. */
function checkClearing(
  reports: readonly AuditReport[],
  inFlight: readonly PlacedLeg[],
  violations: PartitionsViolation[],
): void {
  const expected = new Map<string, bigint>();
  const pairKey = (a: number, b: number, currency: string): string =>
    `${Math.min(a, b)}|${Math.max(a, b)}|${currency}`;
  const add = (key: string, amount: bigint): void => {
    expected.set(key, (expected.get(key) ?? 0n) + amount);
  };
  for (const { ticket } of inFlight)
    add(pairKey(ticket.source, ticket.target, ticket.amount.currency), ticket.amount.amount);
  for (const [partition, report] of reports.entries())
    for (const balance of report.balances) {
      if (!balance.account.startsWith(CLEARING_ACCOUNT_PREFIX)) continue;
      const other = reports.findIndex(
        (_, index) => `assets:clearing:${clearingChannel(index)}` === balance.account,
      );
      if (other === -1 || other === partition) {
        violations.push({
          check: "clearing",
          message: `partition ${partition} has ${balance.account}, which names no other partition`,
        });
        continue;
      }
      add(pairKey(partition, other, balance.currency), balance.balance);
    }
  for (const [key, total] of expected)
    if (total !== 0n) {
      const [a, b, currency] = key.split("|");
      violations.push({
        check: "clearing",
        message: `partitions ${a} and ${b}: clearing in ${currency} is off by ${total} minor units beyond the money in flight`,
      });
    }
}

function sumBalances(reports: readonly AuditReport[]): AccountBalance[] {
  const sums = new Map<string, AccountBalance>();
  for (const report of reports)
    for (const balance of report.balances) {
      const key = `${balance.account}|${balance.currency}`;
      const before = sums.get(key);
      const total = (before?.balance ?? 0n) + balance.balance;
      sums.set(key, { ...balance, balance: total, normal: normalBalance(balance.account, total) });
    }
  return [...sums.values()].filter((balance) => balance.balance !== 0n);
}

function countLegs(legs: readonly PlacedLeg[]): Record<LegKind, number> {
  const counts: Record<LegKind, number> = { send: 0, receive: 0, return: 0 };
  for (const leg of legs) counts[leg.leg] += 1;
  return counts;
}
