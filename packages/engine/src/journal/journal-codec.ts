/**
 * How a recorded event is stored: one canonical JSON document per event,
 *
 *   {"hash":"<64 hex>","previousHash":"<64 hex>","record":{ the recorded event in its wire
 *    form, amounts as decimal strings }}
 *
 * The keys are in canonical (sorted) order, so the stored text is canonical JSON and the
 * record's canonical text, which the hash covers, is a substring of it: encoding costs one
 * canonicalisation, and verifying needs no re-serialisation of the envelope.
 *
 * and how it is read back: decoded with io-ts, never trusted. A stored event that fails to
 * decode stops the read with a `JournalDecodeError` naming its stream position.
 */
import { decodeFailure, describeDecodeFailure, recordedEventCodec, type CurrencyRegistry, type DecodeFailure, type RecordedEvent } from "@pacioli/core";
import type { NewEvent, StoredEvent } from "../store/event-store.js";
import { canonicalJson } from "./canonical-json.js";
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
  const record = canonicalJson(recordedEventCodec(registry).encode(recorded));
  const hash = chainHash(previousHash, record);
  const payload = `{"hash":"${hash}","previousHash":"${previousHash}","record":${record}}`;
  return { entry: { recorded, previousHash, hash }, newEvent: { eventId: eventIdOf(recorded), type: recorded.event.type, payload } };
}

export interface DecodedPayload {
  readonly wire: Record<string, unknown>;
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
  return { wire: record as Record<string, unknown>, previousHash, hash };
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
