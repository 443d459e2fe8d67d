/**
 * A partitioned ledger: one engine (one single writer, one stream) per partition, a placement
 * that says where each wallet lives, and a process manager that carries transfers across.
 *
 * A command that touches one partition goes straight to that partition's engine and gets its
 * answer unchanged. A `TransferFunds` whose wallets live apart is carried out as two balanced
 * legs through the partitions' clearing accounts (clearing-legs.ts), in this order:
 *
 * 1. idempotency: the caller's key seen before answers with the original outcome (the legs are
 *    completed first if a crash left them half done), or `IdempotencyKeyReused`;
 * 2. the rules one unpartitioned ledger checks before funds, in its order (amount, transfer id
 *    unique across all partitions, both wallets exist, source debitable, target creditable),
 *    read from the partitions' current states;
 * 3. the send leg in the source partition (which decides funds and records the debit);
 * 4. the receive leg in the target partition; if refused (the target changed since step 2),
 *    the return leg in the source, and the caller gets the refusal with the reversal.
 *
 * The caller is answered once both legs are durable. A crash between 3 and 4 leaves a send
 * without a receive in the journal: `open` (and `resumeTransfers`) finds it and finishes it.
 * Leg keys are derived from the caller's key, so a leg sent twice is recorded once.
 *
 * Each partition's writer sits behind the `PartitionWriter` port: in this thread, or in a
 * worker thread of its own (ADR 0025). When a writer stops, the calls it had not answered are
 * answered `Unavailable` (retry with the same key), a new writer is started on the same file,
 * its legs are read back into the transfer book before anyone else may use it, and every
 * transfer in flight is finished. One transfer's steps never run twice at once: they hold a
 * lock on the caller's key, so a retry, a restart's resumption and the original never race.
 */
import {
  AssertionFailure,
  isRetryable,
  commandRequestCodec,
  decodeFailure,
  type CommandOf,
  type CommandRequest,
  type CurrencyRegistry,
  type LedgerCommand,
  type Rejection,
  type WalletBalance,
} from "@pacioli/core";
import { takeInTyped, type Clock, type ExecuteResult, type Ledger } from "@pacioli/engine";
import {
  legIdempotencyKey,
  CLEARING_ACCOUNT_PREFIX,
  legRequest,
  LEG_METADATA_KEYS,
  transferRequestDigest,
  METADATA_PREFIX,
  type LegKind,
  type TransferTicket,
} from "./clearing-legs.js";
import { decodeRefusal } from "./refusal-memo.js";
import { partiesOf, type NamedEntity, type Party } from "./command-parties.js";
import { routeOf, UNSUPPORTED_ON_SEVERAL_PARTITIONS, type Route } from "./command-routing.js";
import type { PartitionedResult } from "./partitioned-result.js";
import { inProcessWriter, WriterUnavailable, type PartitionWriter } from "./partition-writer.js";
import { partitionOf, type PartitionIndex, type Placement } from "./placement.js";
import { TransferBook, type TransferProgress } from "./transfer-book.js";

export type PartitionedLedgerOptions = {
  readonly placement: Placement;
  /**
   * The time the key lookup in other partitions forgets keys by (their retention): the
   * partitions' own clock. Absent, each partition forgets by its own last event's time, which
   * keeps a key longer than one ledger would when that partition has been quiet.
   */
  readonly clock?: Clock;
  /** Starts a new writer for a partition whose writer stopped (absent: answer `Unavailable`). */
  readonly restartWriter?: (partition: PartitionIndex) => Promise<PartitionWriter>;
} & (
  | {
      /** One open engine per partition, at its index (`openLedger({ ledgerId: "p{index}" })`). */
      readonly partitions: readonly Ledger[];
    }
  | {
      /** One writer per partition, at its index; `registry` is the partitions' registry. */
      readonly writers: readonly PartitionWriter[];
      readonly registry: CurrencyRegistry;
    }
);

/** Opens over open writers: reads every journal's legs once, then resumes any transfer in flight. */
export async function openPartitionedLedger(
  options: PartitionedLedgerOptions,
): Promise<PartitionedLedger> {
  const writers = "writers" in options ? options.writers : options.partitions.map(inProcessWriter);
  if (writers.length !== options.placement.partitionCount)
    throw new RangeError(
      `placement has ${options.placement.partitionCount} partitions, ${writers.length} writers given`,
    );
  const registry =
    "writers" in options ? options.registry : options.partitions[0]?.currentState.registry;
  if (registry === undefined) throw new RangeError("a partitioned ledger needs a partition");
  const book = new TransferBook();
  for (const writer of writers)
    for (const leg of await writer.recordedLegs()) book.noteRecorded(leg);
  const ledger = new PartitionedLedger(
    options.placement,
    writers,
    registry,
    book,
    options.restartWriter,
    options.clock,
  );
  await ledger.resumeTransfers();
  return ledger;
}

export class PartitionedLedger {
  /** Transfer ids between their rule check and their send leg's answer. */
  private readonly reserved = new Set<string>();
  /** Per caller's key: the tail of its command's steps (one at a time, restarts included). */
  private readonly keyLocks = new Map<string, Promise<void>>();
  /** Per id a command creates (`hold:h1`): one creation at a time across all partitions. */
  private readonly entityLocks = new Map<string, Promise<void>>();
  /** Per partition: the restart under way (a new writer, its legs read back). */
  private readonly restarting = new Map<PartitionIndex, Promise<void>>();
  /** Resumptions started by restarts, so `settled()` can wait for them. */
  private readonly resuming = new Set<Promise<unknown>>();
  private readonly writers: PartitionWriter[];
  /** Once closing, a writer that stops is not restarted. */
  private closing = false;

  constructor(
    readonly placement: Placement,
    writers: readonly PartitionWriter[],
    private readonly registry: CurrencyRegistry,
    private readonly book: TransferBook,
    private readonly restartWriter?: (partition: PartitionIndex) => Promise<PartitionWriter>,
    private readonly clock: Clock = { now: () => 0 },
  ) {
    if (writers.length === 0) throw new RangeError("a partitioned ledger needs a partition");
    this.writers = [...writers];
    this.writers.forEach((writer, index) => this.watch(writer, index));
  }

  /** JSON from outside the process: decoded (io-ts) before it is routed. */
  executeWire(input: unknown): Promise<PartitionedResult> {
    const decoded = commandRequestCodec(this.registry).decode(input);
    if (decoded._tag === "Left")
      return Promise.resolve({
        _tag: "Invalid",
        failure: decodeFailure("command request", decoded.left),
      });
    return this.execute(decoded.right);
  }

  async execute(request: CommandRequest): Promise<PartitionedResult> {
    try {
      return await this.route(request);
    } catch (error) {
      // The writer stopped before answering: the command may be durable. A retry with the
      // same key answers the original result once the writer is back.
      if (error instanceof WriterUnavailable)
        return { _tag: "Unavailable", partition: error.partition, retryable: true };
      throw error;
    }
  }

  /** The wallet's balances, read from the partition it lives in. */
  async walletBalances(walletId: string): Promise<WalletBalance[]> {
    return (await this.writerAt(this.partitionIndexOf(walletId))).walletBalances(walletId);
  }

  partitionIndexOf(walletId: string): PartitionIndex {
    return partitionOf(this.placement, walletId);
  }

  /** The partition's writer as it is now (a stopped one is replaced on its next use). */
  writer(index: PartitionIndex): PartitionWriter {
    const writer = this.writers[index];
    if (writer === undefined) throw new RangeError(`no partition ${index}`);
    return writer;
  }

  /** The engines, when every writer runs in this thread (`writers: "in-process"`). */
  get partitions(): readonly Ledger[] {
    return this.writers.map((writer, index) => {
      if (writer.engine === undefined)
        throw new RangeError(`partition ${index}'s writer runs in a thread of its own`);
      return writer.engine;
    });
  }

  /** The engine of the wallet's partition, when it runs in this thread. */
  partitionOfWallet(walletId: string): Ledger {
    const engine = this.partitions[this.partitionIndexOf(walletId)];
    if (engine === undefined) throw new AssertionFailure("placement names a partition");
    return engine;
  }

  /**
   * Money in flight, per currency: every partition's clearing accounts summed. Each send
   * credits its partition's clearing account and each receive or return debits one, so every
   * total is zero once nothing is in flight (`writers: "in-process"`: it reads the engines).
   */
  clearingTotals(): Map<string, bigint> {
    const totals = new Map<string, bigint>();
    for (const engine of this.partitions)
      for (const { currency, balance } of engine.accountBalances(CLEARING_ACCOUNT_PREFIX))
        totals.set(currency, (totals.get(currency) ?? 0n) + balance);
    return totals;
  }

  /** Transfers whose send leg is durable and whose receive or return is not yet. */
  inFlight(): TransferTicket[] {
    return this.book.inFlight().map((progress) => progress.ticket);
  }

  /** Carries every transfer in flight to its end (receive, or return). Returns how many. */
  async resumeTransfers(): Promise<number> {
    const pending = this.book.inFlight();
    for (const progress of pending)
      await this.underKeyLock(progress.ticket.requestKey, async () => {
        const now = this.book.get(progress.ticket.requestKey);
        if (now !== undefined) await this.finish(now);
      });
    return pending.length;
  }

  /** Waits for every restart under way and the resumptions it started. */
  async settled(): Promise<void> {
    while (this.restarting.size > 0 || this.resuming.size > 0)
      await Promise.allSettled([...this.restarting.values(), ...this.resuming]);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.settled();
    for (const writer of this.writers) await writer.close();
  }

  // -------------------------------------------------------------------------------------------
  // routing

  private async route(request: CommandRequest): Promise<PartitionedResult> {
    // The codec checks refinements a typed caller may have skipped, as the engine does.
    const intake = takeInTyped(this.registry, request, 0);
    if (intake._tag === "Invalid") return intake;
    const reserved = Object.keys(request.metadata ?? {}).find((name) =>
      name.startsWith(METADATA_PREFIX),
    );
    // A caller's metadata must not pass for a leg's: the audit and the restart trust them.
    if (reserved !== undefined)
      return {
        _tag: "Invalid",
        failure: {
          _tag: "DecodeFailure",
          what: "command request",
          issues: [
            {
              path: `metadata.${reserved}`,
              expected: `a metadata key not starting with ${METADATA_PREFIX} (reserved for transfer legs)`,
              actual: reserved,
            },
          ],
        },
      };
    if (
      this.placement.partitionCount > 1 &&
      UNSUPPORTED_ON_SEVERAL_PARTITIONS.includes(intake.envelope.command.type)
    )
      return { _tag: "Unsupported", commandType: intake.envelope.command.type };
    const { digest } = intake.envelope;
    const command = intake.envelope.command;
    // One key space across partitions: the key is checked everywhere and used once, under
    // its lock, so two commands with one key never run at the same time (ADR 0025). The ids
    // the command creates are locked too, so two commands never create one id in two
    // partitions at once (ADR 0028).
    return this.underKeyLock(request.idempotencyKey, () =>
      this.underEntityLocks(createdIdsOf(command), async () => {
        const route = await routeOf(this.placement, command, (party) => this.locate(party));
        if (route._tag === "Unsupported")
          return { _tag: "Unsupported", commandType: route.commandType };
        const elsewhere = await this.keySeenElsewhere(request.idempotencyKey, route);
        if (elsewhere !== undefined)
          return elsewhere.digest === digest
            ? (await this.writerAt(elsewhere.partition)).execute(request) // the original result
            : this.refusal({
                _tag: "IdempotencyKeyReused",
                idempotencyKey: request.idempotencyKey,
              });
        if (route._tag === "Spans")
          return {
            _tag: "SpansPartitions",
            commandType: route.commandType,
            parties: route.parties,
          };
        if (route._tag === "Single") return this.executeSingle(route.partition, request);
        return this.transferAcross(
          request,
          command as CommandOf<"TransferFunds">,
          route.source,
          route.target,
        );
      }),
    );
  }

  /**
   * The transfer across booked under a caller's key, while the key is live: its send leg's
   * derived key is still in the source partition's window. After the retention the key is
   * forgotten as one ledger forgets it (the transfer id is not: it stays taken).
   */
  private async bookedLive(key: string): Promise<TransferProgress | undefined> {
    const booked = this.book.get(key);
    if (booked === undefined || booked.legs.receive === undefined) return booked; // in flight
    const source = await this.writerAt(booked.ticket.source);
    const send = await source.keyRecord(legIdempotencyKey(key, "send"), this.clock.now());
    return send === undefined ? undefined : booked;
  }

  /** The partition holding a named entity, if any: every partition asked at once. */
  private async locate(party: Party<NamedEntity>): Promise<PartitionIndex | undefined> {
    const held = await Promise.all(
      this.writers.map(async (_, index) => (await this.writerAt(index)).holdsEntity(party)),
    );
    const index = held.indexOf(true);
    return index < 0 ? undefined : index;
  }

  /**
   * Where else the key was used: in a partition the command is not routed to (its idempotency
   * window), or by a transfer across (the book) when the command is not one. All partitions
   * are asked at once: one round trip, not N.
   */
  private async keySeenElsewhere(
    key: string,
    route: Exclude<Route, { readonly _tag: "Unsupported" }>,
  ): Promise<{ readonly partition: PartitionIndex; readonly digest: string } | undefined> {
    const booked = await this.bookedLive(key);
    if (route._tag !== "Across" && booked !== undefined)
      return { partition: 0, digest: "a transfer across partitions" };
    if (route._tag === "Across" && booked !== undefined) return undefined;
    const others = this.writers
      .map((_, index) => index)
      .filter((index) => route._tag !== "Single" || index !== route.partition);
    const records = await Promise.all(
      others.map(async (index) => (await this.writerAt(index)).keyRecord(key, this.clock.now())),
    );
    const found = records.findIndex((record) => record !== undefined);
    const record = records[found];
    const partition = others[found];
    return record === undefined || partition === undefined
      ? undefined
      : { partition, digest: record.digest };
  }

  // -------------------------------------------------------------------------------------------
  // one partition

  private async executeSingle(
    partition: PartitionIndex,
    request: CommandRequest,
  ): Promise<PartitionedResult> {
    const command = request.command;
    // A transfer id is unique across the whole ledger, not only inside this partition.
    if (
      command.type === "TransferFunds" &&
      this.moneyRule(command) === undefined &&
      (await this.transferIdTakenOutside(command.transferId, partition))
    )
      return this.refusal({ _tag: "TransferAlreadyExists", transferId: command.transferId });
    return (await this.writerAt(partition)).execute(request);
  }

  // -------------------------------------------------------------------------------------------
  // across two partitions

  private async transferAcross(
    request: CommandRequest,
    command: CommandOf<"TransferFunds">,
    source: PartitionIndex,
    target: PartitionIndex,
  ): Promise<PartitionedResult> {
    const ticket: TransferTicket = {
      transferId: command.transferId,
      sourceWalletId: command.fromWalletId,
      targetWalletId: command.toWalletId,
      source,
      target,
      amount: command.amount,
      requestKey: request.idempotencyKey,
      requestDigest: transferRequestDigest(this.registry, request),
    };
    // 1. idempotency
    const seen = await this.bookedLive(ticket.requestKey);
    if (seen !== undefined) {
      if (seen.ticket.requestDigest !== ticket.requestDigest)
        return this.refusal({ _tag: "IdempotencyKeyReused", idempotencyKey: ticket.requestKey });
      return this.finish(seen, true);
    }
    // 2. the rules checked before funds, in the unpartitioned order
    const broken = await this.rulesBeforeFunds(command, source, target);
    if (broken !== undefined) return this.refusal(broken);
    // 3. the send leg (funds are decided here, in the source's single writer)
    this.reserved.add(ticket.transferId);
    let sent: ExecuteResult;
    try {
      sent = await (await this.writerAt(source)).execute(legRequest(ticket, "send", request));
    } finally {
      this.reserved.delete(ticket.transferId);
    }
    if (sent._tag !== "Accepted") return sent;
    this.book.note(ticket, "send", sent.events);
    // 4. the receive leg, or the return
    const progress = this.book.get(ticket.requestKey);
    if (progress === undefined) throw new AssertionFailure("a noted send is in the book");
    return this.finish(progress, sent.repeated, request);
  }

  /** Receive (or, if refused, return) for a transfer whose send is durable; one answer. */
  private async finish(
    progress: TransferProgress,
    repeated = false,
    caller: Pick<CommandRequest, "actor" | "metadata" | "effectiveAt"> = callerOf(progress),
  ): Promise<PartitionedResult> {
    const { ticket } = progress;
    const send = progress.legs.send ?? [];
    if (progress.legs.receive !== undefined)
      return { _tag: "Accepted", events: [...send, ...progress.legs.receive], repeated: true };
    const reversal = progress.legs.return;
    if (reversal !== undefined) {
      // Reversed before: the same refusal again, never a second try at the receive.
      const memo = reversal[0]?.metadata?.[LEG_METADATA_KEYS.refusal];
      const refusal = memo === undefined ? undefined : decodeRefusal(memo);
      if (refusal === undefined)
        throw new AssertionFailure(`the return leg of ${ticket.transferId} names no refusal`);
      return { ...this.refusal(refusal), reversal };
    }
    const received = await this.leg(ticket, "receive", caller);
    if (received._tag === "Accepted")
      return { _tag: "Accepted", events: [...send, ...received.events], repeated };
    if (received._tag !== "Rejected")
      throw new AssertionFailure(`a receive leg was ${received._tag}`);
    const returned = await this.leg(ticket, "return", caller, received.rejection);
    if (returned._tag === "Accepted")
      return { ...this.refusal(received.rejection), reversal: returned.events };
    if (returned._tag !== "Rejected")
      throw new AssertionFailure(`a return leg was ${returned._tag}`);
    return {
      _tag: "Stranded",
      transferId: ticket.transferId,
      rejection: received.rejection,
      returnRejection: returned.rejection,
    };
  }

  private async leg(
    ticket: TransferTicket,
    leg: LegKind,
    caller: Pick<CommandRequest, "actor" | "metadata" | "effectiveAt">,
    refusal?: Rejection,
  ): Promise<ExecuteResult> {
    const partition = leg === "receive" ? ticket.target : ticket.source;
    const request = legRequest(ticket, leg, caller, refusal);
    const result = await (await this.writerAt(partition)).execute(request);
    if (result._tag === "Accepted") this.book.note(ticket, leg, result.events);
    return result;
  }

  /** The unpartitioned ledger's rules before funds, in its precedence (wallet-decisions.ts). */
  private async rulesBeforeFunds(
    command: CommandOf<"TransferFunds">,
    source: PartitionIndex,
    target: PartitionIndex,
  ): Promise<Rejection | undefined> {
    const money = this.moneyRule(command);
    if (money !== undefined) return money;
    if (await this.transferIdTakenOutside(command.transferId, undefined))
      return { _tag: "TransferAlreadyExists", transferId: command.transferId };
    const [sender, receiver] = await Promise.all([
      (await this.writerAt(source)).walletStanding(command.fromWalletId),
      (await this.writerAt(target)).walletStanding(command.toWalletId),
    ]);
    if (sender === undefined) return { _tag: "WalletNotFound", walletId: command.fromWalletId };
    if (receiver === undefined) return { _tag: "WalletNotFound", walletId: command.toWalletId };
    if (sender.status === "closed") return { _tag: "WalletClosed", walletId: command.fromWalletId };
    if (sender.status === "frozen")
      return {
        _tag: "WalletFrozen",
        walletId: command.fromWalletId,
        reason: sender.frozenReason ?? "",
      };
    if (receiver.status === "closed") return { _tag: "WalletClosed", walletId: command.toWalletId };
    return undefined;
  }

  private moneyRule(command: CommandOf<"TransferFunds">): Rejection | undefined {
    const { amount, currency } = command.amount;
    if (amount <= 0n) return { _tag: "AmountNotPositive", amount };
    if (!this.registry.has(currency)) return { _tag: "CurrencyUnknown", currency };
    return undefined;
  }

  /** Taken by a transfer in another partition (or any, when `except` is undefined) or in flight. */
  private async transferIdTakenOutside(
    transferId: string,
    except: PartitionIndex | undefined,
  ): Promise<boolean> {
    if (this.book.isTaken(transferId) || this.reserved.has(transferId)) return true;
    const others = this.writers.map((_, index) => index).filter((index) => index !== except);
    const taken = await Promise.all(
      others.map(async (index) => (await this.writerAt(index)).hasTransferId(transferId)),
    );
    return taken.includes(true);
  }

  // -------------------------------------------------------------------------------------------
  // writers and their restarts

  /** The partition's writer; if it stopped, the new one, once its legs are back in the book. */
  private async writerAt(index: PartitionIndex): Promise<PartitionWriter> {
    for (;;) {
      const restart = this.restarting.get(index);
      if (restart !== undefined) {
        await restart;
        continue;
      }
      const writer = this.writers[index];
      if (writer === undefined) throw new RangeError(`no partition ${index}`);
      if (!writer.stopped) return writer;
      if (this.closing) throw new WriterUnavailable(index, "the partitioned ledger is closing");
      if (this.restartWriter === undefined)
        throw new WriterUnavailable(index, "it stopped and no restart is configured");
      const started = this.restart(index, this.restartWriter).finally(() =>
        this.restarting.delete(index),
      );
      this.restarting.set(index, started);
    }
  }

  /**
   * A new writer on the partition's file; its journal's legs go into the book before anyone
   * may use it (a leg made durable by the stopped writer whose answer was lost is known then),
   * and every transfer in flight is finished after.
   */
  private async restart(
    index: PartitionIndex,
    start: (partition: PartitionIndex) => Promise<PartitionWriter>,
  ): Promise<void> {
    let writer: PartitionWriter;
    try {
      writer = await start(index);
      for (const leg of await writer.recordedLegs()) this.book.noteRecorded(leg);
    } catch (error) {
      throw error instanceof WriterUnavailable
        ? error
        : new WriterUnavailable(index, `restart failed: ${(error as Error).message}`);
    }
    this.writers[index] = writer;
    this.watch(writer, index);
    const resumption = this.resumeTransfers().catch(() => undefined); // a later restart resumes
    this.resuming.add(resumption);
    void resumption.finally(() => this.resuming.delete(resumption));
  }

  /** Restarts a writer as soon as it stops, if it says when (a thread), and restarts are on. */
  private watch(writer: PartitionWriter, index: PartitionIndex): void {
    if (this.restartWriter === undefined || writer.onStop === undefined) return;
    writer.onStop(() => void this.writerAt(index).catch(() => undefined));
  }

  private underKeyLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return underLock(this.keyLocks, key, work);
  }

  /** Under the locks of every id given, taken in sorted order (no two commands wait in a cycle). */
  private underEntityLocks<T>(ids: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = ids;
    if (first === undefined) return work();
    return underLock(this.entityLocks, first, () => this.underEntityLocks(rest, work));
  }

  // -------------------------------------------------------------------------------------------
  // utils

  private refusal(rejection: Rejection) {
    return { _tag: "Rejected", rejection, retryable: isRetryable(rejection) } as const;
  }
}

/** Runs `work` after the work queued before it under `key`, so one key's work runs one at a time. */
async function underLock<T>(
  locks: Map<string, Promise<void>>,
  key: string,
  work: () => Promise<T>,
): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.then(work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

/** The ids a command creates, as lock names (`hold:h1`), sorted. */
function createdIdsOf(command: LedgerCommand): string[] {
  const of = partiesOf(command);
  if (of._tag === "Setting") return [];
  return of.parties.created.map(({ entity, id }) => `${entity}:${id}`).sort();
}

/** After a restart, the caller's actor, metadata and effective time are read back from the send leg. */
function callerOf(
  progress: TransferProgress,
): Pick<CommandRequest, "actor" | "metadata" | "effectiveAt"> {
  const [send] = progress.legs.send ?? [];
  if (send === undefined) throw new AssertionFailure("a transfer in flight has a send leg");
  const metadata = Object.fromEntries(
    Object.entries(send.metadata ?? {}).filter(([name]) => !name.startsWith(METADATA_PREFIX)),
  );
  return {
    metadata,
    ...(send.actor === undefined ? {} : { actor: send.actor }),
    ...(send.effectiveAt === undefined ? {} : { effectiveAt: send.effectiveAt }),
  };
}
