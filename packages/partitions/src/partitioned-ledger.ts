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
 */
import {
  AssertionFailure,
  isRetryable,
  commandRequestCodec,
  decodeFailure,
  type CommandOf,
  type CommandRequest,
  type CurrencyRegistry,
  type LedgerState,
  type RecordedEvent,
  type Rejection,
  type WalletBalance,
} from "@pacioli/core";
import { journalEntries, takeInTyped, type ExecuteResult, type Ledger } from "@pacioli/engine";
import {
  legOf,
  legRequest,
  LEG_METADATA_KEYS,
  transferRequestDigest,
  METADATA_PREFIX,
  type LegKind,
  type RecordedLeg,
  type TransferTicket,
} from "./clearing-legs.js";
import { decodeRefusal } from "./refusal-memo.js";
import { routeOf } from "./command-routing.js";
import type { PartitionedResult } from "./partitioned-result.js";
import { partitionOf, type PartitionIndex, type Placement } from "./placement.js";
import { TransferBook, type TransferProgress } from "./transfer-book.js";

export interface PartitionedLedgerOptions {
  readonly placement: Placement;
  /** One open engine per partition, at its index (`openLedger({ ledgerId: "p{index}" })`). */
  readonly partitions: readonly Ledger[];
}

/** Opens over open engines: reads every journal once to rebuild the transfers, then resumes any in flight. */
export async function openPartitionedLedger(
  options: PartitionedLedgerOptions,
): Promise<PartitionedLedger> {
  if (options.partitions.length !== options.placement.partitionCount)
    throw new RangeError(
      `placement has ${options.placement.partitionCount} partitions, ${options.partitions.length} engines given`,
    );
  const book = new TransferBook();
  for (const partition of options.partitions) {
    const registry = partition.currentState.registry;
    for await (const page of journalEntries(partition.store, partition.stream, registry))
      for (const entry of page) {
        const leg = legOrNothing(entry.recorded);
        if (leg !== undefined) book.noteRecorded(leg);
      }
  }
  const ledger = new PartitionedLedger(options.placement, options.partitions, book);
  await ledger.resumeTransfers();
  return ledger;
}

export class PartitionedLedger {
  /** Transfer ids between their rule check and their send leg's answer. */
  private readonly reserved = new Set<string>();
  private readonly registry: CurrencyRegistry;

  constructor(
    readonly placement: Placement,
    readonly partitions: readonly Ledger[],
    private readonly book: TransferBook,
  ) {
    const [first] = partitions;
    if (first === undefined) throw new RangeError("a partitioned ledger needs a partition");
    this.registry = first.currentState.registry;
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

  execute(request: CommandRequest): Promise<PartitionedResult> {
    // The codec checks refinements a typed caller may have skipped, as the engine does.
    const intake = takeInTyped(this.registry, request, 0);
    if (intake._tag === "Invalid") return Promise.resolve(intake);
    const reserved = Object.keys(request.metadata ?? {}).find((name) =>
      name.startsWith(METADATA_PREFIX),
    );
    // A caller's metadata must not pass for a leg's: the audit and the restart trust them.
    if (reserved !== undefined)
      return Promise.resolve({
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
      });
    const route = routeOf(this.placement, intake.envelope.command);
    switch (route._tag) {
      case "Unsupported":
        return Promise.resolve({ _tag: "Unsupported", commandType: route.commandType });
      case "Single":
        return this.executeSingle(route.partition, request);
      case "Across":
        return this.transferAcross(
          request,
          intake.envelope.command as CommandOf<"TransferFunds">,
          route.source,
          route.target,
        );
    }
  }

  /** The wallet's balances, read from the partition it lives in. */
  walletBalances(walletId: string): WalletBalance[] {
    return this.partitionOfWallet(walletId).walletBalances(walletId);
  }

  partitionOfWallet(walletId: string): Ledger {
    return this.engineAt(partitionOf(this.placement, walletId));
  }

  /** Transfers whose send leg is durable and whose receive or return is not yet. */
  inFlight(): TransferTicket[] {
    return this.book.inFlight().map((progress) => progress.ticket);
  }

  /** Carries every transfer in flight to its end (receive, or return). Returns how many. */
  async resumeTransfers(): Promise<number> {
    const pending = this.book.inFlight();
    for (const progress of pending) await this.finish(progress);
    return pending.length;
  }

  async close(): Promise<void> {
    for (const partition of this.partitions) await partition.close();
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
      this.transferIdTakenOutside(command.transferId, partition)
    )
      return this.refused({ _tag: "TransferAlreadyExists", transferId: command.transferId });
    return this.engineAt(partition).execute(request);
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
    const seen = this.book.get(ticket.requestKey);
    if (seen !== undefined) {
      if (seen.ticket.requestDigest !== ticket.requestDigest)
        return this.refused({ _tag: "IdempotencyKeyReused", idempotencyKey: ticket.requestKey });
      return this.finish(seen, true);
    }
    // 2. the rules checked before funds, in the unpartitioned order
    const broken = this.rulesBeforeFunds(command, source, target);
    if (broken !== undefined) return this.refused(broken);
    // 3. the send leg (funds are decided here, in the source's single writer)
    this.reserved.add(ticket.transferId);
    let sent: ExecuteResult;
    try {
      sent = await this.engineAt(source).execute(legRequest(ticket, "send", request));
    } finally {
      this.reserved.delete(ticket.transferId);
    }
    if (sent._tag !== "Accepted") return sent;
    this.book.note(ticket, "send", sent.events);
    // 4. the receive leg, or the return
    const progress = this.book.get(ticket.requestKey);
    if (progress === undefined) throw new AssertionFailure("a noted send is in the book");
    return this.finish(progress, false, request);
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
    const result = await this.engineAt(partition).execute(request);
    if (result._tag === "Accepted") this.book.note(ticket, leg, result.events);
    return result;
  }

  /** The unpartitioned ledger's rules before funds, in its precedence (wallet-decisions.ts). */
  private rulesBeforeFunds(
    command: CommandOf<"TransferFunds">,
    source: PartitionIndex,
    target: PartitionIndex,
  ): Rejection | undefined {
    const money = this.moneyRule(command);
    if (money !== undefined) return money;
    if (this.transferIdTakenOutside(command.transferId, undefined))
      return { _tag: "TransferAlreadyExists", transferId: command.transferId };
    const sender = this.stateAt(source).wallets.get(command.fromWalletId);
    if (sender === undefined) return { _tag: "WalletNotFound", walletId: command.fromWalletId };
    const receiver = this.stateAt(target).wallets.get(command.toWalletId);
    if (receiver === undefined) return { _tag: "WalletNotFound", walletId: command.toWalletId };
    if (sender.status === "closed") return { _tag: "WalletClosed", walletId: sender.id };
    if (sender.status === "frozen")
      return { _tag: "WalletFrozen", walletId: sender.id, reason: sender.frozenReason ?? "" };
    if (receiver.status === "closed") return { _tag: "WalletClosed", walletId: receiver.id };
    return undefined;
  }

  private moneyRule(command: CommandOf<"TransferFunds">): Rejection | undefined {
    const { amount, currency } = command.amount;
    if (amount <= 0n) return { _tag: "AmountNotPositive", amount };
    if (!this.registry.has(currency)) return { _tag: "CurrencyUnknown", currency };
    return undefined;
  }

  /** Taken by a transfer in another partition (or any, when `except` is undefined) or in flight. */
  private transferIdTakenOutside(transferId: string, except: PartitionIndex | undefined): boolean {
    if (this.book.isTaken(transferId) || this.reserved.has(transferId)) return true;
    return this.partitions.some(
      (partition, index) => index !== except && partition.currentState.transferIds.has(transferId),
    );
  }

  // -------------------------------------------------------------------------------------------
  // utils

  private refused(rejection: Rejection): PartitionedResult {
    return this.refusal(rejection);
  }

  private refusal(rejection: Rejection) {
    return { _tag: "Rejected", rejection, retryable: isRetryable(rejection) } as const;
  }

  private engineAt(index: PartitionIndex): Ledger {
    const engine = this.partitions[index];
    if (engine === undefined) throw new RangeError(`no partition ${index}`);
    return engine;
  }

  private stateAt(index: PartitionIndex): LedgerState {
    return this.engineAt(index).currentState;
  }
}

/**
 * A leg, or nothing for an event whose leg metadata is incomplete: such an event was not
 * written by a process manager (callers cannot use the prefix), and the audit reports it;
 * it must not stop the ledger from opening.
 */
function legOrNothing(recorded: RecordedEvent): RecordedLeg | undefined {
  try {
    return legOf(recorded);
  } catch {
    return undefined;
  }
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
