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
 *
 * This file and `journal-reader.ts` are the only code that knows the envelope; everything
 * else (replay, the audit, snapshots, the CLI's archives) goes through the functions here.
 */
import {
  decodeFailure,
  describeDecodeFailure,
  recordedEventCodec,
  type CurrencyRegistry,
  type DecodeFailure,
  type RecordedEvent,
} from "@pacioli/core";
import type { NewEvent, StoredEvent } from "../store/event-store.js";
import { chainHash } from "./hash-chain.js";

// ─── model ──────────────────────────────────────────────────────────────────────────────

export interface JournalEntry {
  readonly recorded: RecordedEvent;
  readonly previousHash: string;
  readonly hash: string;
}

/** The envelope of a stored event in its exact layout: both hashes and the hashed bytes. */
export interface JournalEnvelope {
  readonly hash: string;
  readonly previousHash: string;
  /** The stored bytes of the record, which `hash` covers. */
  readonly recordText: string;
}

/** A stored payload split into the record's wire form and its envelope. */
export type ParsedPayload =
  | {
      readonly _tag: "Parsed";
      readonly wire: Record<string, unknown>;
      /** Undefined when the bytes are not in the exact layout (whitespace, key order, fields). */
      readonly envelope: JournalEnvelope | undefined;
      /** The `hash` field as parsed, whatever the layout (a chain can continue from it). */
      readonly hash: unknown;
      readonly previousHash: unknown;
    }
  | { readonly _tag: "Unreadable"; readonly message: string };

// ─── errors ─────────────────────────────────────────────────────────────────────────────

export class JournalDecodeError extends Error {
  override readonly name = "JournalDecodeError";
  constructor(
    readonly sequence: number,
    readonly failure: DecodeFailure | { readonly _tag: "NotJson"; readonly message: string },
  ) {
    super(
      `stored event at sequence ${sequence} cannot be read: ${failure._tag === "NotJson" ? failure.message : describeDecodeFailure(failure)}`,
    );
  }
}

// ─── writing ────────────────────────────────────────────────────────────────────────────

/** Deterministic event id: the same command's same event always gets the same id. */
export const eventIdOf = (recorded: RecordedEvent): string =>
  `${recorded.commandId}/${recorded.indexInCommand}`;

export function encodeEntry(
  registry: CurrencyRegistry,
  recorded: RecordedEvent,
  previousHash: string,
): { entry: JournalEntry; newEvent: NewEvent } {
  const record = JSON.stringify(recordedEventCodec(registry).encode(recorded));
  const hash = chainHash(previousHash, record);
  const payload = `{"hash":"${hash}","previousHash":"${previousHash}","record":${record}}`;
  return {
    entry: { recorded, previousHash, hash },
    newEvent: { eventId: eventIdOf(recorded), type: recorded.event.type, payload },
  };
}

// ─── reading ────────────────────────────────────────────────────────────────────────────

/** The fixed envelope in front of every record: 9 + 64 + 18 + 64 + 11 characters. */
const PAYLOAD_ENVELOPE = /^\{"hash":"([0-9a-f]{64})","previousHash":"([0-9a-f]{64})","record":\{/;
const RECORD_OFFSET = 166;

/** The envelope of a payload in the exact layout the writer produces; undefined otherwise. */
export function readEnvelope(payload: string): JournalEnvelope | undefined {
  const match = payload.endsWith("}") ? PAYLOAD_ENVELOPE.exec(payload) : null;
  if (match === null) return undefined;
  const [, hash, previousHash] = match as unknown as [string, string, string];
  return { hash, previousHash, recordText: payload.slice(RECORD_OFFSET, -1) };
}

/** The chain hash a stored event carries (undefined when its layout is broken). */
export const storedHash = (stored: StoredEvent): string | undefined =>
  readEnvelope(stored.payload)?.hash;

/** Splits a stored payload into the recorded event's wire form and its hash fields. */
export function parsePayload(payload: string): ParsedPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch (error) {
    return { _tag: "Unreadable", message: `not JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { _tag: "Unreadable", message: "not a JSON object" };
  const { previousHash, hash, record } = parsed as Record<string, unknown>;
  if (typeof record !== "object" || record === null || Array.isArray(record))
    return { _tag: "Unreadable", message: "without a record object" };
  return {
    _tag: "Parsed",
    wire: record as Record<string, unknown>,
    envelope: readEnvelope(payload),
    hash,
    previousHash,
  };
}

/** Decodes the payload of the event at `sequence` (1-based), or throws `JournalDecodeError`. */
export function decodePayload(
  registry: CurrencyRegistry,
  payload: string,
  sequence: number,
): JournalEntry {
  const parsed = parsePayload(payload);
  if (parsed._tag === "Unreadable")
    throw new JournalDecodeError(sequence, { _tag: "NotJson", message: parsed.message });
  const decoded = recordedEventCodec(registry).decode(parsed.wire);
  if (decoded._tag === "Left")
    throw new JournalDecodeError(sequence, decodeFailure(`event ${sequence}`, decoded.left));
  const { previousHash, hash } = parsed;
  if (typeof previousHash !== "string" || typeof hash !== "string") {
    throw new JournalDecodeError(sequence, {
      _tag: "NotJson",
      message: "missing previousHash/hash",
    });
  }
  return { recorded: decoded.right, previousHash, hash };
}

export const decodeEntry = (registry: CurrencyRegistry, stored: StoredEvent): JournalEntry =>
  decodePayload(registry, stored.payload, stored.streamIndex + 1);

/**
 * An archived payload back as the event the writer appended: decoded (so nothing unreadable
 * is restored), its id and type taken from the record, its bytes kept exactly.
 */
export function restoreEvent(
  registry: CurrencyRegistry,
  payload: string,
  sequence: number,
): NewEvent {
  const { recorded } = decodePayload(registry, payload, sequence);
  return { eventId: eventIdOf(recorded), type: recorded.event.type, payload };
}
