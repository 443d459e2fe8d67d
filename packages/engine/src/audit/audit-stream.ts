/**
 * `auditStream(source, options)`: replays a ledger stream from nothing in one streaming
 * pass and reports every violation it finds, with the position of the event.
 *
 * Per event, prepared on its own (`prepareEvent`, on worker threads with `workers` > 0):
 * JSON.parse; the canonical bytes and the recomputed chain hash; decode with the
 * recorded-event codec (never trusted); the postings balance and agree with the event's own
 * fields. Then, in stream order on this thread: the chain's link to the event before;
 * sequence continuity; fold with `evolve` (its assertion failures become violations, and the
 * fold goes on); hold, balance and idempotency invariants, each incremental. At the end: the
 * trial balance and the comparison of the recomputed balances with evolve's state and the
 * stored snapshot.
 *
 * The findings, their positions and their order are the same with or without workers: both
 * paths run the same `prepareEvent`, and the fold reports its facts in the order a
 * sequential replay finds them (ADR 0021).
 *
 * An event that cannot be read (not JSON, not a known event) stops the replay: nothing
 * after it can be folded. It is reported as `fatal`, naming its position.
 */
import {
  accountBalances,
  initialState,
  type CurrencyRegistry,
  type LedgerOptions,
} from "@pacioli/core";
import type { AuditReport, Violation } from "./audit-report.js";
import { Findings } from "./audit-report.js";
import type { AuditRecord, AuditSource } from "./audit-source.js";
import { BalanceCheck } from "./balance-check.js";
import { ChainCheck } from "./chain-check.js";
import { foldChecked } from "./fold-check.js";
import { PreparePool } from "./prepare-pool.js";
import { prepareEvent, type PreparedEvent } from "./prepared-event.js";
import { HoldCheck } from "./hold-check.js";
import { IdempotencyCheck } from "./idempotency-check.js";
import { ProjectionCheck } from "./projection-check.js";
import { SequenceCheck } from "./sequence-check.js";

/** Violations kept in a report; the rest are counted. */
export const AUDIT_VIOLATIONS_MAX_DEFAULT = 1000;

export interface AuditOptions extends LedgerOptions {
  readonly violationsMax?: number;
  /** Called after each page (or batch) with the number of events read so far. */
  readonly onProgress?: (events: number) => void;
  /**
   * Worker threads that prepare events (parse, hash, decode, per-event checks) while this
   * thread folds; 0 (the default) prepares them here. Same findings either way.
   */
  readonly workers?: number;
}

/** Events per batch sent to a worker: a message's overhead is small next to 1,024 events. */
const WORKER_BATCH_EVENTS = 256;
/** Batches in flight per worker, so the workers prepare ahead while the fold runs. */
const BATCHES_AHEAD_PER_WORKER = 4;

export async function auditStream(
  source: AuditSource,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const started = performance.now();
  const findings = new Findings(options.violationsMax ?? AUDIT_VIOLATIONS_MAX_DEFAULT);
  const state = initialState(options);
  const chain = new ChainCheck(findings);
  const sequence = new SequenceCheck(findings);
  const balance = new BalanceCheck(findings, state.registry);
  const holds = new HoldCheck(findings, balance.balances, (currency, amount) =>
    balance.format(currency, amount),
  );
  const idempotency = new IdempotencyCheck(findings, options.idempotencyRetentionMs);
  const projection = new ProjectionCheck(findings);
  const snapshotVersion = projection.load((await source.readSnapshot?.()) ?? null);

  let position = 0;
  let fatal: Violation | undefined;
  const batches = preparedBatches(source, state.registry, options.workers ?? 0);
  read: for await (const { records, prepared } of batches) {
    for (let index = 0; index < prepared.length; index += 1) {
      position += 1;
      const event = prepared[index] as PreparedEvent;
      if (event._tag === "Unreadable") {
        fatal = { check: "decode", position, message: event.message };
        break read;
      }
      chain.check(position, event.chain);
      if (event._tag === "Undecodable") {
        fatal = { check: "decode", position, message: event.message };
        break read;
      }
      const recorded = event.recorded;
      sequence.check(position, recorded, records[index] as AuditRecord);
      balance.check(position, recorded, event.unbalanced);
      for (const message of event.fields) findings.add("fields", position, message);
      foldChecked(findings, state, position, recorded);
      holds.check(position, recorded);
      idempotency.check(position, recorded);
      if (position === snapshotVersion) projection.compareSnapshot(position, state, chain.lastHash);
    }
    options.onProgress?.(position);
  }

  const events = fatal === undefined ? position : position - 1;
  let trialBalance = new Map<string, bigint>();
  if (fatal === undefined) {
    sequence.finish(position);
    trialBalance = balance.finish(position);
    projection.finish(position, state, balance.balances);
  }
  const recomputed = { ...state, balances: balance.balances };
  return {
    stream: source.stream,
    events,
    lastHash: chain.lastHash,
    violations: fatal === undefined ? findings.kept : [...findings.kept, fatal],
    violationsOmitted: findings.omitted,
    fatal,
    balances: accountBalances(recomputed, ""),
    trialBalance,
    snapshotVersion,
    elapsedMs: performance.now() - started,
  };
}

interface PreparedBatch {
  readonly records: readonly AuditRecord[];
  /** One per record, cut after the first event that stops the replay. */
  readonly prepared: readonly PreparedEvent[];
}

/** The source's records with their prepared events, in stream order. */
async function* preparedBatches(
  source: AuditSource,
  registry: CurrencyRegistry,
  workers: number,
): AsyncGenerator<PreparedBatch> {
  if (workers <= 0) {
    let position = 0;
    for await (const page of source.pages()) {
      const prepared: PreparedEvent[] = [];
      for (const record of page) {
        position += 1;
        const event = prepareEvent(registry, record.payload, position);
        prepared.push(event);
        if (event._tag !== "Decoded") break;
      }
      yield { records: page, prepared };
    }
    return;
  }
  yield* parallelBatches(source, new PreparePool(workers, registry), workers);
}

/** Batches prepared by the pool, a few ahead of the fold; the pool closes when reading stops. */
async function* parallelBatches(
  source: AuditSource,
  pool: PreparePool,
  workers: number,
): AsyncGenerator<PreparedBatch> {
  const ahead: { records: readonly AuditRecord[]; prepared: Promise<readonly PreparedEvent[]> }[] =
    [];
  let batch: AuditRecord[] = [];
  let sent = 0;
  const send = (): void => {
    const prepared = pool.prepare(
      sent + 1,
      batch.map((record) => record.payload),
    );
    prepared.catch(() => undefined); // awaited in order below; a batch never awaited is dropped
    ahead.push({ records: batch, prepared });
    sent += batch.length;
    batch = [];
  };
  const next = async (): Promise<PreparedBatch> => {
    const first = ahead.shift() as (typeof ahead)[number];
    return { records: first.records, prepared: await first.prepared };
  };
  try {
    for await (const page of source.pages()) {
      for (const record of page) {
        batch.push(record);
        if (batch.length >= WORKER_BATCH_EVENTS) send();
      }
      while (ahead.length > workers * BATCHES_AHEAD_PER_WORKER) yield await next();
    }
    if (batch.length > 0) send();
    while (ahead.length > 0) yield await next();
  } finally {
    await pool.close();
  }
}
