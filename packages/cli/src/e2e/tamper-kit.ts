/**
 * Tools the tampering tests share: a ledger with many events, raw SQL on a ledger file (as a
 * forger would have it), and re-chaining an archive or a file after an edit, so that only
 * the semantic checks can find what was changed.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { deposit } from "@pacioli/core/testing/requests";
import { appliedLedger } from "./run-cli.js";

export const GENESIS = "0".repeat(64);
/** Where the record starts in a stored payload: `{"hash":"…","previousHash":"…","record":`. */
const RECORD_OFFSET = 166;

export interface Sqlite {
  prepare(sql: string): {
    run(...args: unknown[]): unknown;
    all(...args: unknown[]): unknown[];
    get(...args: unknown[]): unknown;
  };
  exec(sql: string): void;
  close(): void;
}

/** A raw connection to a ledger file; better-sqlite3 is the store's dependency. */
export function openSqlite(path: string): Sqlite {
  const requireFromStore = createRequire(
    new URL("../../../store-sqlite/package.json", import.meta.url),
  );
  const Database = requireFromStore("better-sqlite3") as new (path: string) => Sqlite;
  return new Database(path);
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export const recordOf = (payload: string): string => payload.slice(RECORD_OFFSET, -1);

/** Payloads re-hashed from genesis: each keeps its record bytes and links to the one before. */
export function rechain(records: readonly string[]): string[] {
  let previous = GENESIS;
  return records.map((record) => {
    const hash = sha256(`${previous}\n${record}`);
    const payload = `{"hash":"${hash}","previousHash":"${previous}","record":${record}}`;
    previous = hash;
    return payload;
  });
}

/** An archive's lines (header first) re-chained, with the header's count and head to match. */
export function rechainArchive(lines: readonly string[]): string[] {
  const events = lines.slice(1).filter((line) => line !== "");
  const payloads = rechain(events.map(recordOf));
  const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
  const lastHash =
    payloads.length === 0
      ? GENESIS
      : (JSON.parse(payloads.at(-1) as string) as { hash: string }).hash;
  return [
    JSON.stringify({
      events: payloads.length,
      format: header["format"],
      lastHash,
      stream: header["stream"],
      version: header["version"],
    }),
    ...payloads,
  ];
}

/** Rewrites every payload of a ledger file's stream from `records`, re-chained. */
export function rechainFile(
  path: string,
  records: readonly string[],
  stream = "ledger-main",
): void {
  const sqlite = openSqlite(path);
  try {
    const update = sqlite.prepare(
      "UPDATE events SET payload = ? WHERE stream = ? AND stream_index = ?",
    );
    rechain(records).forEach((payload, index) => update.run(payload, stream, index));
    sqlite.exec("DELETE FROM snapshots");
  } finally {
    sqlite.close();
  }
}

/** A ledger of one wallet and `deposits` deposits (1 + deposits events), applied by the CLI. */
export function depositLedger(dir: string, deposits: number): string {
  const requests: unknown[] = [
    { idempotencyKey: "open-w1", command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" } },
  ];
  for (let index = 1; index <= deposits; index += 1)
    requests.push(deposit("w1", `${index}.00`, "USD", `dep-${index}`));
  return appliedLedger(dir, requests, "deposits");
}
