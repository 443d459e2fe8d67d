/**
 * `handle(state, envelope)`: idempotency around `decide`, then recording.
 *
 * - A key seen within the retention window with the same digest is a retry: the outcome
 *   names the events it produced the first time and nothing new is decided.
 * - The same key with another digest (and another legacy digest, when the engine gave one)
 *   is `IdempotencyKeyReused`.
 * - Otherwise the command is decided; accepted events are stamped with their sequence,
 *   time and command identity, ready to be stored and folded with `evolve`.
 *
 * Rejected commands are not remembered: a rejection changes nothing, so deciding the same
 * command again is safe, and it may succeed once the world has changed (ADR 0002).
 */
import type { Either } from "fp-ts/lib/Either.js";
import type { CommandEnvelope } from "../commands/ledger-command.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import type { RecordedEvent } from "../journal/recorded-event.js";
import type { Rejection } from "../rejections/rejection.js";
import { evolve } from "../state/evolve.js";
import type { LedgerState } from "../state/ledger-state.js";
import { decide } from "./decide.js";

export type Outcome =
  | { readonly _tag: "Accepted"; readonly events: readonly RecordedEvent[] }
  | { readonly _tag: "Repeated"; readonly firstSequence: number; readonly eventCount: number };

export function handle(state: LedgerState, envelope: CommandEnvelope): Either<Rejection, Outcome> {
  const seen = state.idempotency.get(envelope.idempotencyKey);
  if (seen !== undefined && seen.recordedAt > envelope.at - state.idempotency.retentionMs) {
    if (seen.digest !== envelope.digest && seen.digest !== envelope.legacyDigest)
      return {
        _tag: "Left",
        left: { _tag: "IdempotencyKeyReused", idempotencyKey: envelope.idempotencyKey },
      };
    return {
      _tag: "Right",
      right: { _tag: "Repeated", firstSequence: seen.firstSequence, eventCount: seen.eventCount },
    };
  }
  const decision = decide(state, envelope.command, envelope.at);
  if (decision._tag === "Left") return decision;
  return {
    _tag: "Right",
    right: { _tag: "Accepted", events: record(state.sequence, envelope, decision.right) },
  };
}

/**
 * Stamps decided events with their place in the ledger and the command's identity.
 * Written as one object literal with a fixed shape and the optional fields added only when
 * present: this runs once per event on the hot path, where spreads cost allocations.
 */
export function record(
  lastSequence: number,
  envelope: CommandEnvelope,
  events: readonly LedgerEvent[],
): RecordedEvent[] {
  const recorded: RecordedEvent[] = new Array<RecordedEvent>(events.length);
  for (let index = 0; index < events.length; index += 1) {
    const stamped: Mutable<RecordedEvent> = {
      sequence: lastSequence + index + 1,
      recordedAt: envelope.at,
      commandId: envelope.commandId,
      idempotencyKey: envelope.idempotencyKey,
      digest: envelope.digest,
      indexInCommand: index,
      eventsInCommand: events.length,
      event: events[index] as LedgerEvent,
    };
    if (envelope.effectiveAt !== undefined) stamped.effectiveAt = envelope.effectiveAt;
    if (envelope.actor !== undefined) stamped.actor = envelope.actor;
    if (envelope.metadata !== undefined) stamped.metadata = envelope.metadata;
    recorded[index] = stamped;
  }
  return recorded;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Handles a command and folds its events into the state: the single writer's step. */
export function execute(state: LedgerState, envelope: CommandEnvelope): Either<Rejection, Outcome> {
  const outcome = handle(state, envelope);
  if (outcome._tag === "Right" && outcome.right._tag === "Accepted") {
    for (const recorded of outcome.right.events) evolve(state, recorded);
  }
  return outcome;
}
