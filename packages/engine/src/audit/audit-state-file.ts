/**
 * The audit state file (`pacioli audit --save-state FILE`; format in
 * docs/reference/audit-state.md): UTF-8 text, one JSON value per line, so a state of millions
 * of idempotency keys is written and read a line at a time, never as one string.
 *
 *   line 1      header   {"format":"pacioli-audit-state/1","stream","treeSize","root","frontier",
 *                         "lastHash","idempotencyRetentionMs","idempotencyKeys"}
 *   line 2      {"sequence":{…}}   line 3 {"balances":…}   line 4 {"holds":…}   line 5 {"ledger":…}
 *   then        one line per idempotency key: [key, digest, position, events, recordedAt]
 *   last line   {"digest":"<SHA-256, hex, of every byte before this line>"}
 *
 * Bigints, Maps and Sets use the snapshot encoding (`{"$bigint"}`, `{"$map"}`, `{"$set"}`).
 * The digest catches a damaged or edited file (and says so before anything is decoded); it
 * is not a signature: the file is the auditor's, kept where they keep their checkpoints.
 * The file is written beside its destination and renamed into place, so a failed write never
 * leaves half a state under the name.
 *
 * Reading is strict: every section is checked for the shape the audit needs, and any fault is
 * a `Refused` naming the line, never an exception from deep inside a later replay.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, renameSync, rmSync } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import * as t from "io-ts";
import {
  IdempotencyTable,
  type Balances,
  type IdempotencyEntry,
  type LedgerState,
} from "@pacioli/core";
import { decodeValue, encodeState, encodeValue } from "../snapshot/state-codec.js";
import { isTreeHash } from "../verifiable/merkle-hash.js";
import { strictBase64 } from "../verifiable/strict-base64.js";
import type { AuditState } from "./audit-state.js";
import type { HoldCheckState, HoldModel } from "./hold-check.js";
import type { SequenceCheckState } from "./sequence-check.js";

export const AUDIT_STATE_FORMAT = "pacioli-audit-state/1";

const Header = t.type({
  format: t.literal(AUDIT_STATE_FORMAT),
  stream: t.string,
  treeSize: t.number,
  root: t.string,
  frontier: t.array(t.string),
  lastHash: t.string,
  idempotencyRetentionMs: t.number,
  idempotencyKeys: t.number,
});

const SequenceSection = t.type({
  sequence: t.type({
    highest: t.number,
    lastRecordedAt: t.union([t.number, t.null]),
    commandId: t.union([t.string, t.null]),
    nextIndex: t.number,
    eventsInCommand: t.number,
    indexOffset: t.number,
  }),
});

const IdempotencyLine = t.tuple([t.string, t.string, t.number, t.number, t.number]);

const HASH_HEX = /^[0-9a-f]{64}$/;

export type AuditStateRead =
  | { readonly _tag: "Read"; readonly state: AuditState }
  | { readonly _tag: "Refused"; readonly reason: string };

/** Writes the state to `path` (through `path.tmp`, renamed into place). */
export async function writeAuditState(path: string, state: AuditState): Promise<void> {
  const partial = `${path}.tmp`;
  const out = createWriteStream(partial, { encoding: "utf8" });
  const digest = createHash("sha256");
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => undefined);
  const line = async (value: unknown): Promise<void> => {
    const text = `${JSON.stringify(value)}\n`;
    digest.update(text, "utf8");
    if (!out.write(text)) await Promise.race([once(out, "drain"), failed]);
  };
  try {
    await line({
      format: AUDIT_STATE_FORMAT,
      stream: state.stream,
      treeSize: state.treeSize,
      root: state.root.toString("base64"),
      frontier: state.frontier.map((node) => node.toString("base64")),
      lastHash: state.lastHash,
      idempotencyRetentionMs: state.idempotencyRetentionMs,
      idempotencyKeys: state.idempotency.length,
    });
    await line({ sequence: state.sequence });
    await line({ balances: encodeValue(state.balances) });
    await line({ holds: encodeValue(state.holds) });
    await line({ ledger: encodeState(state.ledger) });
    for (const entry of state.idempotency)
      await line([
        entry.key,
        entry.digest,
        entry.firstSequence,
        entry.eventCount,
        entry.recordedAt,
      ]);
    out.end(`${JSON.stringify({ digest: digest.digest("hex") })}\n`);
    await Promise.race([once(out, "finish"), failed]);
    renameSync(partial, path);
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Reads and checks a state file: the digest first, then every section's shape. */
export async function readAuditState(path: string): Promise<AuditStateRead> {
  const lines: string[] = [];
  const digest = createHash("sha256");
  let last: string | undefined;
  const input = createReadStream(path, { encoding: "utf8" });
  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const text of reader) {
    if (last !== undefined) {
      digest.update(`${last}\n`, "utf8");
      lines.push(last);
    }
    last = text;
  }
  if (last === undefined || lines.length < 5)
    return refused(
      `it is not an audit state file (${lines.length + (last === undefined ? 0 : 1)} lines)`,
    );
  const trailer = parseLine(last);
  if (
    !(typeof trailer === "object" && trailer !== null && "digest" in trailer) ||
    typeof trailer.digest !== "string"
  )
    return refused(`line ${lines.length + 1}: the last line is not {"digest":…}`);
  if (trailer.digest !== digest.digest("hex"))
    return refused(
      "its digest does not match its contents: the file was damaged or edited after it was written",
    );
  try {
    return { _tag: "Read", state: decodeSections(lines) };
  } catch (error) {
    if (error instanceof StateFormatError) return refused(error.message);
    throw error;
  }
}

class StateFormatError extends Error {}

const refused = (reason: string): AuditStateRead => ({ _tag: "Refused", reason });

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function section<A>(lines: readonly string[], index: number, codec: t.Decoder<unknown, A>): A {
  const decoded = codec.decode(parseLine(lines[index] as string));
  if (decoded._tag === "Left")
    throw new StateFormatError(`line ${index + 1} is not the state's ${codec.name} section`);
  return decoded.right;
}

/** A `{"<name>":<snapshot-encoded value>}` line, decoded and checked by `check`. */
function encodedSection<A>(
  lines: readonly string[],
  index: number,
  name: string,
  check: (value: unknown) => value is A,
): A {
  const parsed = parseLine(lines[index] as string);
  let value: unknown;
  try {
    value =
      typeof parsed === "object" && parsed !== null && name in parsed
        ? decodeValue((parsed as Record<string, unknown>)[name])
        : undefined;
  } catch {
    value = undefined;
  }
  if (!check(value))
    throw new StateFormatError(`line ${index + 1}: the ${name} section is malformed`);
  return value;
}

function decodeSections(lines: readonly string[]): AuditState {
  const header = section(lines, 0, Header);
  const { treeSize, idempotencyKeys } = header;
  if (!isCount(treeSize) || !isCount(idempotencyKeys) || !isCount(header.idempotencyRetentionMs))
    throw new StateFormatError("line 1: sizes and counts must be whole numbers");
  if (lines.length !== 5 + idempotencyKeys)
    throw new StateFormatError(
      `the header lists ${idempotencyKeys} idempotency keys, the file holds ${lines.length - 5}`,
    );
  const root = strictBase64(header.root);
  const frontier = header.frontier.map(strictBase64);
  if (root === undefined || !isTreeHash(root) || !frontier.every(isHash))
    throw new StateFormatError("line 1: the root and frontier must be 32-byte base64 hashes");
  if (!HASH_HEX.test(header.lastHash))
    throw new StateFormatError("line 1: the chain head must be a hex SHA-256");
  const sequence: SequenceCheckState = section(lines, 1, SequenceSection).sequence;
  const balances = encodedSection(lines, 2, "balances", isBalances);
  const holds = encodedSection(lines, 3, "holds", isHoldCheckState);
  const ledger = encodedSection(lines, 4, "ledger", isLedgerState);
  if (ledger.sequence > treeSize)
    throw new StateFormatError(`line 5: the ledger state is after ${treeSize} events`);
  const idempotency: IdempotencyEntry[] = [];
  for (let index = 5; index < lines.length; index += 1) {
    const [key, digest, firstSequence, eventCount, recordedAt] = section(
      lines,
      index,
      IdempotencyLine,
    );
    idempotency.push({ key, digest, firstSequence, eventCount, recordedAt });
  }
  return {
    stream: header.stream,
    treeSize,
    root,
    frontier: frontier as Buffer[],
    lastHash: header.lastHash,
    ledger,
    balances,
    holds,
    idempotencyRetentionMs: header.idempotencyRetentionMs,
    idempotency,
    sequence,
  };
}

const isCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
const isHash = (value: Buffer | undefined): value is Buffer =>
  value !== undefined && isTreeHash(value);

function isMapOf<V>(value: unknown, item: (entry: unknown) => entry is V): value is Map<string, V> {
  if (!(value instanceof Map)) return false;
  for (const [key, entry] of value) if (typeof key !== "string" || !item(entry)) return false;
  return true;
}

const isBigint = (value: unknown): value is bigint => typeof value === "bigint";
const isString = (value: unknown): value is string => typeof value === "string";

function isBalances(value: unknown): value is Balances {
  return isMapOf(value, (currencies): currencies is Map<string, bigint> =>
    isMapOf(currencies, isBigint),
  );
}

function isHoldModel(value: unknown): value is HoldModel {
  if (typeof value !== "object" || value === null) return false;
  const hold = value as Record<string, unknown>;
  return (
    ["walletId", "payeeAccount", "merchantAccount", "currency"].every((field) =>
      isString(hold[field]),
    ) &&
    typeof hold["expiresAt"] === "number" &&
    typeof hold["open"] === "boolean" &&
    ["authorized", "captured", "released", "refunded"].every((field) => isBigint(hold[field]))
  );
}

function isHoldCheckState(value: unknown): value is HoldCheckState {
  if (typeof value !== "object" || value === null) return false;
  const model = value as Record<string, unknown>;
  return (
    isMapOf(model["holds"], isHoldModel) &&
    isMapOf(model["orderHolds"], isString) &&
    isMapOf(model["openRemaining"], isBigint) &&
    isMapOf(model["overdraftLimits"], isBigint)
  );
}

/**
 * The ledger state as the snapshot codec reads it (the same trust a verified snapshot gets):
 * its containers are checked to be there; their contents are what `evolve` itself folded.
 */
function isLedgerState(value: unknown): value is LedgerState {
  if (typeof value !== "object" || value === null) return false;
  const state = value as Record<string, unknown>;
  const maps = ["wallets", "holds", "merchants", "orders", "balances", "payouts", "settlements"];
  return (
    typeof state["sequence"] === "number" &&
    maps.every((field) => state[field] instanceof Map) &&
    state["transferIds"] instanceof Set &&
    state["idempotency"] instanceof IdempotencyTable
  );
}
