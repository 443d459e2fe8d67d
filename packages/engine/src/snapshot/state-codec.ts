/**
 * Snapshot encoding of the core's ledger state: a generic, lossless JSON form for the plain
 * data the state is made of (Maps, Sets, bigints, nested records) plus the one class it
 * holds (the idempotency table). Generic on purpose: the state grows with every feature,
 * and a snapshot format that must be edited with it would drift from it.
 *
 *   bigint → { "$bigint": "123" }    Map → { "$map": [[k, v], ...] }    Set → { "$set": [...] }
 *
 * The idempotency table is written without its keys, only its retention (format 4, ADR 0011):
 * the key window lives in the store, and the table in memory is a hot set the engine refills
 * from the store on demand. Keys were 202 of a 10M-event ledger's 236 MB of snapshot, and the
 * seconds the writer paused to serialise them. The columns stay in the format (empty) so that a
 * format-3 snapshot, which has them filled, would decode the same way; it is not read any more
 * (formats before 5 lack transfer ids and open holds per wallet: the ledger replays instead).
 */
import { IdempotencyTable, type LedgerState } from "@pacioli/core";
import { AssertionFailure } from "@pacioli/core";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function encodeState(state: LedgerState): Json {
  return encodeValue(state);
}

export function encodeValue(value: unknown): Json {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value instanceof IdempotencyTable) return { $idempotency: encodeIdempotency(value) };
  if (value instanceof Map)
    return { $map: [...value].map(([key, item]) => [encodeValue(key), encodeValue(item)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeValue) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (key.startsWith("$"))
        throw new AssertionFailure(`state field ${key} collides with the snapshot encoding`);
      out[key] = encodeValue(item);
    }
    return out;
  }
  throw new AssertionFailure(`cannot snapshot a ${typeof value}`);
}

export function decodeState(json: unknown): LedgerState {
  return decodeValue(json) as LedgerState;
}

export function decodeValue(json: unknown): unknown {
  if (json === null || typeof json !== "object") return json;
  if (Array.isArray(json)) return json.map(decodeValue);
  const record = json as Record<string, unknown>;
  if ("$bigint" in record) return BigInt(record["$bigint"] as string);
  if ("$map" in record)
    return new Map(
      (record["$map"] as [unknown, unknown][]).map(([key, item]) => [
        decodeValue(key),
        decodeValue(item),
      ]),
    );
  if ("$set" in record) return new Set((record["$set"] as unknown[]).map(decodeValue));
  if ("$idempotency" in record)
    return decodeIdempotency(record["$idempotency"] as IdempotencyColumns);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = decodeValue(item);
  return out;
}

type IdempotencyColumns = {
  readonly retentionMs: number;
  readonly keys: string[];
  readonly digests: string[];
  readonly firstSequences: number[];
  readonly eventCounts: number[];
  readonly recordedAt: number[];
};

function encodeIdempotency(table: IdempotencyTable): IdempotencyColumns {
  return {
    retentionMs: table.retentionMs,
    keys: [],
    digests: [],
    firstSequences: [],
    eventCounts: [],
    recordedAt: [],
  };
}

/**
 * An empty table with the snapshot's retention; keys a format-3 snapshot carried are dropped
 * (the loader refills the window from the store or the stream, `replay.ts`).
 */
function decodeIdempotency(columns: IdempotencyColumns): IdempotencyTable {
  return new IdempotencyTable(columns.retentionMs);
}
