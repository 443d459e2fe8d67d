/**
 * What an audit finds: violations named by check family and by the position of the event
 * (1-based, in stream order) where each was found, and the figures the replay recomputed.
 *
 * A violation does not stop the audit: an auditor wants every finding of a stream, not the
 * first. Only an event that cannot be read at all (not JSON, not a known event) stops the
 * replay, because nothing after it can be folded; that is `fatal`.
 */
import type { AccountBalance } from "@pacioli/core";
import type { AuditState } from "./audit-state.js";

/** The check families, one file each in this folder. */
export type AuditCheck =
  | "canonical" // the stored bytes are the canonical JSON of the event
  | "hash-chain" // previousHash links to the event before, hash covers the event
  | "sequence" // positions, sequence numbers, command groups and time run without gaps
  | "envelope" // the store's event id and type agree with the payload
  | "balanced" // every event's postings sum to zero per currency
  | "fields" // every event's own fields (amount, fee, rate, wallet…) imply its postings
  | "fold" // evolve accepts the event (its assertions hold)
  | "holds" // hold, capture, release, expiry and refund arithmetic
  | "balances" // held = open holds, available >= -overdraft, escrow never negative
  | "idempotency" // an idempotency key records one command within its retention window
  | "trial-balance" // every currency sums to zero over all accounts
  | "projection" // the recomputed balances equal evolve's state and the stored snapshot
  | "decode" // the event could not be read: replay stopped here
  | "consistency"; // the ledger does not extend a trusted checkpoint (audit --since)

export interface Violation {
  readonly check: AuditCheck;
  /** 1-based position of the event in the stream as read (0 for whole-stream findings). */
  readonly position: number;
  readonly message: string;
}

export interface AuditReport {
  readonly stream: string;
  /** Events read and checked (up to the fatal one, if any). */
  readonly events: number;
  /** Set when the audit resumed from a saved state: the events it covers were not re-read. */
  readonly resumedAt?: number | undefined;
  /** Hash of the last event read (the head of the chain). */
  readonly lastHash: string;
  readonly violations: readonly Violation[];
  /** Violations found beyond `violationsMax` (counted, not kept). */
  readonly violationsOmitted: number;
  /** Set when an event could not be decoded: the replay stopped there. */
  readonly fatal: Violation | undefined;
  /** Every non-zero account balance, recomputed from the postings alone. */
  readonly balances: readonly AccountBalance[];
  /** Per currency, the sum over all accounts (zero when the books balance). */
  readonly trialBalance: ReadonlyMap<string, bigint>;
  /** Snapshot compared with the replay, if the source had one. */
  readonly snapshotVersion: number | undefined;
  /** RFC 6962 root over the payloads read (when the audit kept its tree: saving or resuming). */
  readonly treeRoot?: Buffer | undefined;
  /** The state after the last event, when asked for (`saveState`) and the replay did not stop. */
  readonly state?: AuditState | undefined;
  readonly elapsedMs: number;
}

/** Findings as the checks report them, bounded so a badly broken stream cannot exhaust memory. */
export class Findings {
  readonly kept: Violation[] = [];
  omitted = 0;

  constructor(private readonly max: number) {}

  add(check: AuditCheck, position: number, message: string): void {
    if (this.kept.length < this.max) this.kept.push({ check, position, message });
    else this.omitted += 1;
  }

  get count(): number {
    return this.kept.length + this.omitted;
  }
}
