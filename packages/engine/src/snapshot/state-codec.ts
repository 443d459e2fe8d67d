/**
 * Snapshot encoding of the core's ledger state: a generic, lossless JSON form for the plain
 * data the state is made of (Maps, Sets, bigints, nested records) plus the one class it
 * holds (the idempotency table). Generic on purpose: the state grows with every feature,
 * and a snapshot format that must be edited with it would drift from it.
 *
 *   bigint → { "$bigint": "123" }    Map → { "$map": [[k, v], ...] }    Set → { "$set": [...] }
 */
import { IdempotencyTable, type LedgerState } from "@pacioli/core";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function encodeState(state: LedgerState): Json {
  return encodeValue(state);
}

function encodeValue(value: unknown): Json {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value instanceof IdempotencyTable) return { $idempotency: { retentionMs: value.retentionMs, entries: [...value.live()].map(encodeValue) } };
  if (value instanceof Map) return { $map: [...value].map(([key, item]) => [encodeValue(key), encodeValue(item)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeValue) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (key.startsWith("$")) throw new Error(`assertion failed: state field ${key} collides with the snapshot encoding`);
      out[key] = encodeValue(item);
    }
    return out;
  }
  throw new Error(`assertion failed: cannot snapshot a ${typeof value}`);
}

export function decodeState(json: unknown): LedgerState {
  return decodeValue(json) as LedgerState;
}

function decodeValue(json: unknown): unknown {
  if (json === null || typeof json !== "object") return json;
  if (Array.isArray(json)) return json.map(decodeValue);
  const record = json as Record<string, unknown>;
  if ("$bigint" in record) return BigInt(record["$bigint"] as string);
  if ("$map" in record) return new Map((record["$map"] as [unknown, unknown][]).map(([key, item]) => [decodeValue(key), decodeValue(item)]));
  if ("$set" in record) return new Set((record["$set"] as unknown[]).map(decodeValue));
  if ("$idempotency" in record) return decodeIdempotency(record["$idempotency"] as { retentionMs: number; entries: unknown[] });
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = decodeValue(item);
  return out;
}

function decodeIdempotency(json: { retentionMs: number; entries: unknown[] }): IdempotencyTable {
  const table = new IdempotencyTable(json.retentionMs);
  for (const entry of json.entries) table.remember(decodeValue(entry) as Parameters<IdempotencyTable["remember"]>[0]);
  return table;
}
