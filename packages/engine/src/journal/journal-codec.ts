/**
 * How a recorded event is stored: one JSON document per event,
 *
 *   {"hash":"<64 hex>","previousHash":"<64 hex>","record":{ the recorded event in its wire
 *    form, amounts as decimal strings }}
 *
 * The hash covers the record's bytes exactly as stored (a substring at a fixed offset), so
 * verifying never re-serialises anything: an auditor's tool needs only SHA-256 and a slice.
 * The writer emits the record with `JSON.stringify` of its io-ts encoding, whose key order is
 * fixed by the code that built it; no sorting is needed because nobody ever recomputes the
 * bytes, they only rehash them (ADR 0005).
 *
 * and how it is read back: decoded with io-ts, never trusted. A stored event that fails to
 * decode stops the read with a `JournalDecodeError` naming its stream position.
 */
import { decodeFailure, describeDecodeFailure, recordedEventCodec, type CurrencyRegistry, type DecodeFailure, type RecordedEvent } from "@pacioli/core";
import type { NewEvent, StoredEvent } from "../store/event-store.js";
import { chainHash } from "./hash-chain.js";

export interface JournalEntry {
  readonly recorded: RecordedEvent;
  readonly previousHash: string;
  readonly hash: string;
}

export class JournalDecodeError extends Error {
  override readonly name = "JournalDecodeError";
  constructor(
    readonly sequence: number,
    readonly failure: DecodeFailure | { readonly _tag: "NotJson"; readonly message: string },
  ) {
    super(`stored event at sequence ${sequence} cannot be read: ${failure._tag === "NotJson" ? failure.message : describeDecodeFailure(failure)}`);
  }
}

/** Deterministic event id: the same command's same event always gets the same id. */
export const eventIdOf = (recorded: RecordedEvent): string => `${recorded.commandId}/${recorded.indexInCommand}`;

export function encodeEntry(registry: CurrencyRegistry, recorded: RecordedEvent, previousHash: string): { entry: JournalEntry; newEvent: NewEvent } {
  const record = JSON.stringify(recordedEventCodec(registry).encode(recorded));
  const hash = chainHash(previousHash, record);
  const payload = `{"hash":"${hash}","previousHash":"${previousHash}","record":${record}}`;
  return { entry: { recorded, previousHash, hash }, newEvent: { eventId: eventIdOf(recorded), type: recorded.event.type, payload } };
}

/** The fixed envelope in front of every record: 9 + 64 + 18 + 64 + 11 characters. */
export const PAYLOAD_ENVELOPE = /^\{"hash":"([0-9a-f]{64})","previousHash":"([0-9a-f]{64})","record":\{/;
export const RECORD_OFFSET = 166;

/** The stored bytes of the record, which the hash covers; undefined when the layout is broken. */
export function recordText(payload: string): string | undefined {
  return payload.endsWith("}") && PAYLOAD_ENVELOPE.test(payload) ? payload.slice(RECORD_OFFSET, -1) : undefined;
}

export interface DecodedPayload {
  readonly wire: Record<string, unknown>;
  /** The record's stored bytes (what `hash` covers), or undefined when the layout is broken. */
  readonly recordText: string | undefined;
  readonly previousHash: unknown;
  readonly hash: unknown;
}

/** Splits a stored payload into the recorded event's wire form and its hash fields. */
export function parsePayload(stored: StoredEvent): DecodedPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.payload);
  } catch (error) {
    throw new JournalDecodeError(stored.streamIndex + 1, { _tag: "NotJson", message: (error as Error).message });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new JournalDecodeError(stored.streamIndex + 1, { _tag: "NotJson", message: "not a JSON object" });
  }
  const { previousHash, hash, record } = parsed as Record<string, unknown>;
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new JournalDecodeError(stored.streamIndex + 1, { _tag: "NotJson", message: "no record object" });
  }
  return { wire: record as Record<string, unknown>, recordText: recordText(stored.payload), previousHash, hash };
}

export function decodeEntry(registry: CurrencyRegistry, stored: StoredEvent): JournalEntry {
  const { wire, previousHash, hash } = parsePayload(stored);
  const decoded = recordedEventCodec(registry).decode(wire);
  if (decoded._tag === "Left") throw new JournalDecodeError(stored.streamIndex + 1, decodeFailure(`event ${stored.streamIndex + 1}`, decoded.left));
  if (typeof previousHash !== "string" || typeof hash !== "string") {
    throw new JournalDecodeError(stored.streamIndex + 1, { _tag: "NotJson", message: "missing previousHash/hash" });
  }
  return { recorded: decoded.right, previousHash, hash };
}
