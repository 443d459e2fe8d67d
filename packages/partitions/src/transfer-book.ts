/**
 * What the process manager knows about cross-partition transfers: for each caller's key, the
 * legs recorded so far. It holds nothing durable of its own; it is rebuilt from the
 * partitions' journals (the send legs are the outbox, the receive and return legs the inbox),
 * so a restarted process manager knows exactly what a crashed one had made durable.
 */
import type { RecordedEvent } from "@pacioli/core";
import type { LegKind, RecordedLeg, TransferTicket } from "./clearing-legs.js";

export interface TransferProgress {
  readonly ticket: TransferTicket;
  readonly legs: Partial<Record<LegKind, readonly RecordedEvent[]>>;
}

export class TransferBook {
  private readonly byKey = new Map<string, TransferProgress>();
  /** Transfer ids of sends that were not returned: taken, as in one unpartitioned ledger. */
  private readonly takenTransferIds = new Map<string, number>();

  get(requestKey: string): TransferProgress | undefined {
    return this.byKey.get(requestKey);
  }

  isTaken(transferId: string): boolean {
    return (this.takenTransferIds.get(transferId) ?? 0) > 0;
  }

  /** Records a leg read from a journal (one event per leg command). */
  noteRecorded(leg: RecordedLeg): void {
    this.note(leg.ticket, leg.leg, [leg.recorded]);
  }

  note(ticket: TransferTicket, leg: LegKind, events: readonly RecordedEvent[]): void {
    const progress = this.byKey.get(ticket.requestKey) ?? { ticket, legs: {} };
    if (progress.legs[leg] !== undefined) return; // a repeated leg: already counted
    this.byKey.set(ticket.requestKey, { ticket, legs: { ...progress.legs, [leg]: events } });
    const delta = leg === "send" ? 1 : leg === "return" ? -1 : 0;
    if (delta !== 0)
      this.takenTransferIds.set(
        ticket.transferId,
        (this.takenTransferIds.get(ticket.transferId) ?? 0) + delta,
      );
  }

  /** Sends with neither a receive nor a return: money in clearing, to be carried on. */
  inFlight(): TransferProgress[] {
    return [...this.byKey.values()].filter(
      (progress) =>
        progress.legs.send !== undefined &&
        progress.legs.receive === undefined &&
        progress.legs.return === undefined,
    );
  }
}
