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
import { accountBalances, type CurrencyRegistry, type LedgerOptions } from "@pacioli/core";
import type { AuditReport, Violation } from "./audit-report.js";
import { Findings } from "./audit-report.js";
import type { AuditRecord, AuditSource } from "./audit-source.js";
import { AuditFold } from "./audit-fold.js";
import type { AuditState } from "./audit-state.js";
import { PreparePool } from "./prepare-pool.js";
import { prepareEvent, type PreparedEvent } from "./prepared-event.js";

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
  /**
   * Resume after the events a saved state covers (`report.state` of an earlier audit, or
   * `readAuditState`): only the events after `resume.treeSize` are read, with every check,
   * and the findings are those a full audit reports at their positions (ADR 0026). The source
   * must be able to start there (`pagesAfter`). The caller checks that the state belongs to
   * this ledger (`auditSinceState` does, against a checkpoint).
   */
  readonly resume?: AuditState;
  /** Stop after this position (e.g. a checkpoint's tree size); default: the end of the source. */
  readonly upTo?: number;
  /** Return the state after the last event (`report.state`), to save and resume from later. */
  readonly saveState?: boolean;
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
  const resume = options.resume;
  if (resume !== undefined && resume.stream !== source.stream)
    throw new RangeError(
      `an audit state of stream ${resume.stream} cannot resume ${source.stream}`,
    );
  const fold = new AuditFold(findings, { ...options, keepTree: options.saveState === true });
  const resumedAt = resume?.treeSize ?? 0;
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  const stored = (await source.readSnapshot?.()) ?? null;
  const snapshotVersion = fold.projection.load(stored, resumedAt, upTo);

  let fatal: Violation | undefined;
  /** Whether the source went on past `upTo`: then the end of the audit is not the stream's. */
  let bounded = false;
  const records = resume === undefined ? source.pages() : resumedPages(source, resumedAt);
  const batches = preparedBatches(records, resumedAt, fold.state.registry, options.workers ?? 0);
  read: for await (const { records, prepared } of batches) {
    for (let index = 0; index < prepared.length; index += 1) {
      if (fold.position >= upTo) {
        bounded = true;
        break read;
      }
      fatal = fold.next(
        records[index] as AuditRecord,
        prepared[index] as PreparedEvent,
        snapshotVersion,
      );
      if (fatal !== undefined) break read;
    }
    options.onProgress?.(fold.position);
  }

  const position = fold.position;
  const events = fatal === undefined ? position : position - 1;
  const trialBalance = fatal === undefined ? fold.finish(!bounded) : new Map<string, bigint>();
  const recomputed = { ...fold.state, balances: fold.balance.balances };
  return {
    stream: source.stream,
    events,
    resumedAt: resume?.treeSize,
    lastHash: fold.chain.lastHash,
    violations: fatal === undefined ? findings.kept : [...findings.kept, fatal],
    violationsOmitted: findings.omitted,
    fatal,
    balances: accountBalances(recomputed, ""),
    trialBalance,
    snapshotVersion,
    treeRoot: fold.tree?.root(),
    state: options.saveState === true && fatal === undefined ? fold.save(source.stream) : undefined,
    elapsedMs: performance.now() - started,
  };
}

function resumedPages(source: AuditSource, after: number): AsyncIterable<readonly AuditRecord[]> {
  if (source.pagesAfter === undefined)
    throw new RangeError(`the source of stream ${source.stream} cannot start after event ${after}`);
  return source.pagesAfter(after);
}

interface PreparedBatch {
  readonly records: readonly AuditRecord[];
  /** One per record, cut after the first event that stops the replay. */
  readonly prepared: readonly PreparedEvent[];
}

/** The source's records with their prepared events, in stream order. */
async function* preparedBatches(
  pages: AsyncIterable<readonly AuditRecord[]>,
  after: number,
  registry: CurrencyRegistry,
  workers: number,
): AsyncGenerator<PreparedBatch> {
  if (workers <= 0) {
    let position = after;
    for await (const page of pages) {
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
  yield* parallelBatches(pages, after, new PreparePool(workers, registry), workers);
}

/** Batches prepared by the pool, a few ahead of the fold; the pool closes when reading stops. */
async function* parallelBatches(
  pages: AsyncIterable<readonly AuditRecord[]>,
  after: number,
  pool: PreparePool,
  workers: number,
): AsyncGenerator<PreparedBatch> {
  const ahead: { records: readonly AuditRecord[]; prepared: Promise<readonly PreparedEvent[]> }[] =
    [];
  let batch: AuditRecord[] = [];
  let sent = after;
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
    for await (const page of pages) {
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
