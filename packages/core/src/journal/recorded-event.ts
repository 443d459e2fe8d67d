/**
 * A recorded event: a domain event with its place in the ledger and the command that caused
 * it. The engine adds the hash chain on top (`previousHash`, `hash`) when it stores it.
 */
import * as t from "io-ts";
import { EntityId, Metadata, Timestamp } from "../codec/primitives.js";
import { IdempotencyKey } from "../commands/ledger-command.js";
import { ledgerEventCodec, type LedgerEvent } from "../events/ledger-event.js";
import type { CurrencyRegistry } from "../money/index.js";
import { formatTimestamp, type Timestamp as TimestampValue } from "../time/timestamp.js";

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
  (u, c) =>
    Number.isSafeInteger(u) && (u as number) >= 0
      ? t.success(u as number)
      : t.failure(u, c, "a non-negative integer"),
  t.identity,
);

const codecs = new WeakMap<CurrencyRegistry, t.Type<RecordedEvent, unknown, unknown>>();

const OPTIONAL_FIELDS = t.partial({ effectiveAt: Timestamp, actor: t.string, metadata: Metadata });

/**
 * The recorded event's codec. Written out rather than as `t.intersection`: it runs once per
 * event on the write path (encode) and in every replay and audit (decode), where the
 * intersection's merge of two partial results cost more than the fields themselves.
 */
export function recordedEventCodec(
  registry: CurrencyRegistry,
): t.Type<RecordedEvent, unknown, unknown> {
  let codec = codecs.get(registry);
  if (codec === undefined) {
    codec = buildRecordedEventCodec(registry);
    codecs.set(registry, codec);
  }
  return codec;
}

function buildRecordedEventCodec(
  registry: CurrencyRegistry,
): t.Type<RecordedEvent, unknown, unknown> {
  const event = ledgerEventCodec(registry);
  const required = t.type({
    sequence: NonNegativeInteger,
    recordedAt: Timestamp,
    commandId: EntityId,
    idempotencyKey: IdempotencyKey,
    digest: t.string,
    indexInCommand: NonNegativeInteger,
    eventsInCommand: NonNegativeInteger,
    event,
  });
  return new t.Type<RecordedEvent, unknown, unknown>(
    "RecordedEvent",
    (u): u is RecordedEvent => required.is(u) && OPTIONAL_FIELDS.is(u),
    (u, c) => {
      const base = required.validate(u, c);
      if (base._tag === "Left") return base;
      const record = u as Record<string, unknown>;
      if (
        record["effectiveAt"] === undefined &&
        record["actor"] === undefined &&
        record["metadata"] === undefined
      )
        return base as t.Validation<RecordedEvent>;
      const optional = OPTIONAL_FIELDS.validate(u, c);
      if (optional._tag === "Left") return optional;
      // Only the optional fields: `t.partial` hands back its input when nothing changed, and
      // that input still holds the undecoded event.
      const decoded: Record<string, unknown> = { ...base.right };
      const { effectiveAt, actor, metadata } = optional.right;
      if (effectiveAt !== undefined) decoded["effectiveAt"] = effectiveAt;
      if (actor !== undefined) decoded["actor"] = actor;
      if (metadata !== undefined) decoded["metadata"] = metadata;
      return t.success(decoded as unknown as RecordedEvent);
    },
    (recorded) => {
      const wire: Record<string, unknown> = {
        sequence: recorded.sequence,
        recordedAt: formatTimestamp(recorded.recordedAt),
        commandId: recorded.commandId,
        idempotencyKey: recorded.idempotencyKey,
        digest: recorded.digest,
        indexInCommand: recorded.indexInCommand,
        eventsInCommand: recorded.eventsInCommand,
        event: event.encode(recorded.event),
      };
      if (recorded.effectiveAt !== undefined)
        wire["effectiveAt"] = formatTimestamp(recorded.effectiveAt);
      if (recorded.actor !== undefined) wire["actor"] = recorded.actor;
      if (recorded.metadata !== undefined) wire["metadata"] = recorded.metadata;
      return wire;
    },
  );
}
