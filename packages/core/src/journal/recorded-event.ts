/**
 * A recorded event: a domain event with its place in the ledger and the command that caused
 * it. The engine adds the hash chain on top (`previousHash`, `hash`) when it stores it.
 */
import * as t from "io-ts";
import { EntityId, Metadata, Timestamp } from "../codec/primitives.js";
import { IdempotencyKey } from "../commands/ledger-command.js";
import { ledgerEventCodec, type LedgerEvent } from "../events/ledger-event.js";
import type { CurrencyRegistry } from "../money/index.js";
import type { Timestamp as TimestampValue } from "../time/timestamp.js";

export interface RecordedEvent {
  /** 1-based position in the ledger partition's stream. */
  readonly sequence: number;
  /** Engine time when the command was decided. */
  readonly recordedAt: TimestampValue;
  /** Business time, when it differs from the recording time (back-dated entries). */
  readonly effectiveAt?: TimestampValue;
  readonly commandId: string;
  readonly idempotencyKey: string;
  readonly digest: string;
  /** This event's index among the events of its command, and how many there are. */
  readonly indexInCommand: number;
  readonly eventsInCommand: number;
  readonly actor?: string;
  readonly metadata?: Metadata;
  readonly event: LedgerEvent;
}

const NonNegativeInteger = new t.Type<number, number, unknown>(
  "NonNegativeInteger",
  (u): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
  (u, c) => (Number.isSafeInteger(u) && (u as number) >= 0 ? t.success(u as number) : t.failure(u, c, "a non-negative integer")),
  t.identity,
);

const codecs = new WeakMap<CurrencyRegistry, t.Type<RecordedEvent, unknown, unknown>>();

export function recordedEventCodec(registry: CurrencyRegistry): t.Type<RecordedEvent, unknown, unknown> {
  let codec = codecs.get(registry);
  if (codec === undefined) {
    codec = t.intersection([
      t.type({
        sequence: NonNegativeInteger,
        recordedAt: Timestamp,
        commandId: EntityId,
        idempotencyKey: IdempotencyKey,
        digest: t.string,
        indexInCommand: NonNegativeInteger,
        eventsInCommand: NonNegativeInteger,
        event: ledgerEventCodec(registry),
      }),
      t.partial({ effectiveAt: Timestamp, actor: t.string, metadata: Metadata }),
    ]) as unknown as t.Type<RecordedEvent, unknown, unknown>;
    codecs.set(registry, codec);
  }
  return codec;
}
