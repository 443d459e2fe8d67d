/**
 * Deciding a batch: every command of a group commit in order against the live state, folding
 * each accepted command's events before the next is decided, encoding them onto the hash
 * chain, and closing the batch before a command whose events would push the append past the
 * store's size limit.
 *
 * The state is folded here, before the append: the writer owns it, and a failed append is
 * answered by reloading memory from the store (ledger.ts), never by undoing.
 */
import {
  evolve,
  handle as handleCommand,
  isRetryable,
  type CommandEnvelope,
  type CommandRequest,
  type LedgerState,
  type RecordedEvent,
} from "@pacioli/core";
import { encodeEntry } from "../journal/journal-codec.js";
import type { IdempotencyRecord, NewEvent } from "../store/event-store.js";
import { takeInTyped, takeInWire } from "./command-intake.js";
import type { PendingCommand } from "./command-queue.js";
import type { ExecuteResult } from "./execute-result.js";
import { legacyRequestDigest } from "./request-digest.js";

/** Default bytes per append: far below SQLite's limits, the 1 MiB default of EventStoreDB. */
export const BATCH_BYTES_MAX_DEFAULT = 1_000_000;
/**
 * Bytes budgeted per event on top of its payload when sizing an append: a store frames each
 * event (EventStoreDB counts the metadata carrying the event id and twice the type, about
 * 100-200 bytes), so payloads alone would let a batch of many small events cross the limit.
 */
export const APPEND_EVENT_OVERHEAD_BYTES = 256;

/** What the decision made of one accepted command, answered once the append is durable. */
export type Decided =
  | { readonly _tag: "Done"; readonly result: ExecuteResult }
  | { readonly _tag: "Recorded"; readonly events: readonly RecordedEvent[] }
  | { readonly _tag: "Repeated"; readonly firstSequence: number; readonly eventCount: number };

export interface BatchDecision {
  /** One per command of `accepted`, in the same order. */
  readonly decided: readonly Decided[];
  /** Commands answered after the append: accepted, refused or repeats. */
  readonly accepted: readonly PendingCommand[];
  /** The events to append, encoded, in order. */
  readonly newEvents: readonly NewEvent[];
  /** Hash of the last of `newEvents` (the previous head when there are none). */
  readonly lastHash: string;
  /** Commands left undecided because the append was full: they head the next batch. */
  readonly overflow: readonly PendingCommand[];
}

export interface BatchContext {
  /** The live state, folded in place as commands are accepted. */
  readonly state: LedgerState;
  readonly headHash: string;
  /** Ledger time of the batch (never before the last recorded event's). */
  readonly at: number;
  readonly bytesMax: number;
}

/**
 * Decides the batch. A request that does not decode is answered `Invalid` at once (it changes
 * nothing and waits for nothing); every other command is answered by the caller after the
 * append, from `decided`.
 */
export function decideBatch(
  context: BatchContext,
  batch: readonly PendingCommand[],
): BatchDecision {
  const { state, at, bytesMax } = context;
  const decided: Decided[] = [];
  const accepted: PendingCommand[] = [];
  const newEvents: NewEvent[] = [];
  let hash = context.headHash;
  let bytes = 0;
  for (let index = 0; index < batch.length; index += 1) {
    const pending = batch[index] as PendingCommand;
    const intake = pending.typed
      ? takeInTyped(state.registry, pending.request as CommandRequest, at)
      : takeInWire(state.registry, pending.request, at);
    if (intake._tag === "Invalid") {
      pending.resolve({ _tag: "Invalid", failure: intake.failure });
      continue;
    }
    // Decided without folding first: a command whose events would push the append over
    // the limit must head the next batch undecided, not be folded and then withdrawn.
    const outcome = handleCommand(state, withLegacyDigest(state, intake.envelope));
    if (outcome._tag === "Left") {
      accepted.push(pending);
      const rejection = outcome.left;
      decided.push({
        _tag: "Done",
        result: { _tag: "Rejected", rejection, retryable: isRetryable(rejection) },
      });
      continue;
    }
    if (outcome.right._tag === "Repeated") {
      accepted.push(pending);
      decided.push(outcome.right);
      continue;
    }
    const encoded = encodeCommandEvents(state, outcome.right.events, hash);
    if (newEvents.length > 0 && bytes + encoded.bytes > bytesMax) {
      // Closed before the command that would cross the limit: it and the rest wait for the
      // next append. A command too large on its own still goes alone (the store refuses it).
      return { decided, accepted, newEvents, lastHash: hash, overflow: batch.slice(index) };
    }
    for (const recorded of outcome.right.events) evolve(state, recorded);
    accepted.push(pending);
    hash = encoded.lastHash;
    bytes += encoded.bytes;
    newEvents.push(...encoded.events);
    decided.push({ _tag: "Recorded", events: outcome.right.events });
  }
  return { decided, accepted, newEvents, lastHash: hash, overflow: [] };
}

/** One command's events encoded onto the chain after `previousHash`, and their append size. */
function encodeCommandEvents(
  state: LedgerState,
  events: readonly RecordedEvent[],
  previousHash: string,
): { readonly events: NewEvent[]; readonly lastHash: string; readonly bytes: number } {
  const encoded: NewEvent[] = [];
  let lastHash = previousHash;
  let bytes = 0;
  for (const recorded of events) {
    const { entry, newEvent } = encodeEntry(state.registry, recorded, lastHash);
    lastHash = entry.hash;
    bytes += Buffer.byteLength(newEvent.payload, "utf8") + APPEND_EVENT_OVERHEAD_BYTES;
    encoded.push(newEvent);
  }
  return { events: encoded, lastHash, bytes };
}

/** What the store keeps for each command recorded by this append (ADR 0011). */
export function idempotencyRecords(decided: readonly Decided[]): IdempotencyRecord[] {
  const records: IdempotencyRecord[] = [];
  for (const item of decided) {
    if (item._tag !== "Recorded") continue;
    const first = item.events[0];
    if (first === undefined) continue;
    records.push({
      key: first.idempotencyKey,
      digest: first.digest,
      firstSequence: first.sequence,
      eventCount: item.events.length,
      recordedAt: first.recordedAt,
    });
  }
  return records;
}

/** The events this batch recorded, in order. */
export function recordedEvents(decided: readonly Decided[]): RecordedEvent[] {
  return decided.flatMap((item) => (item._tag === "Recorded" ? item.events : []));
}

/**
 * The envelope with the legacy digest added when its key was recorded under another digest:
 * perhaps the same request, digested by a release before the digest's formula changed. Only
 * on that rare path is the request re-encoded.
 */
function withLegacyDigest(state: LedgerState, envelope: CommandEnvelope): CommandEnvelope {
  const seen = state.idempotency.get(envelope.idempotencyKey);
  if (seen === undefined || seen.digest === envelope.digest) return envelope;
  return { ...envelope, legacyDigest: legacyRequestDigest(state.registry, envelope) };
}
