/**
 * fast-check arbitraries for what the engine hands a store: event types, canonical JSON
 * payloads (with non-ASCII text, so byte-for-byte storage is exercised) and batches of
 * events with distinct ids.
 */
import fc from "fast-check";
import type { NewEvent } from "@pacioli/engine";

/** An event without its id: ids are assigned by whoever runs the command (deterministic). */
export interface EventBody {
  readonly type: string;
  readonly payload: string;
}

export const eventTypeArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("EntryPosted", "HoldPlaced", "HoldCaptured", "HoldReleased", "AccountOpened"),
  fc.string({ minLength: 1, maxLength: 24, unit: "grapheme" }),
);

/** Canonical JSON text: JSON.stringify escapes lone surrogates, so the text is valid UTF-8. */
export const payloadArbitrary: fc.Arbitrary<string> = fc
  .jsonValue({ maxDepth: 2, stringUnit: "grapheme" })
  .map((value) => JSON.stringify(value));

export const eventBodyArbitrary: fc.Arbitrary<EventBody> = fc.record({
  type: eventTypeArbitrary,
  payload: payloadArbitrary,
});

export interface BatchConstraints {
  readonly minLength?: number;
  readonly maxLength?: number;
}

export function eventBodiesArbitrary(
  constraints: BatchConstraints = {},
): fc.Arbitrary<EventBody[]> {
  return fc.array(eventBodyArbitrary, {
    minLength: constraints.minLength ?? 1,
    maxLength: constraints.maxLength ?? 6,
  });
}

export const newEventArbitrary: fc.Arbitrary<NewEvent> = fc.record({
  eventId: fc.uuid(),
  type: eventTypeArbitrary,
  payload: payloadArbitrary,
});

/** A non-empty batch (by default) of events whose ids are distinct within the batch. */
export function newEventBatchArbitrary(
  constraints: BatchConstraints = {},
): fc.Arbitrary<NewEvent[]> {
  return fc.uniqueArray(newEventArbitrary, {
    selector: (event) => event.eventId,
    minLength: constraints.minLength ?? 1,
    maxLength: constraints.maxLength ?? 6,
  });
}

/** Gives bodies ids, in order; `freshId` is called once per body. */
export function withEventIds(bodies: readonly EventBody[], freshId: () => string): NewEvent[] {
  return bodies.map((body) => ({ eventId: freshId(), type: body.type, payload: body.payload }));
}
