/**
 * What the verifiable-ledger e2e tests share: a signer key and its verifier key, a signed
 * checkpoint, a ledger grown by two commands (the next day), and a forger's rewrite of one
 * stored event with the chain re-hashed after it (so the full audit's chain check passes).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { deposit } from "@pacioli/core/testing/requests";
import { pacioli } from "./run-cli.js";
import { openSqlite, rechainFile, recordOf } from "./tamper-kit.js";

const MORE_COMMANDS = [
  {
    idempotencyKey: "late-open",
    command: { type: "OpenWallet", walletId: "w-late", ownerId: "lee" },
  },
  deposit("w-late", "25.00", "USD", "late-dep"),
];

export function keyed(dir: string): { key: string; vkey: string } {
  const key = join(dir, `${Math.random().toString(36).slice(2)}.key`);
  const run = pacioli(["keygen", "--name", "pacioli.example/ledger-main", "--out", key, "--json"]);
  expect(run.status, run.stderr).toBe(0);
  return { key, vkey: (JSON.parse(run.stdout) as { verifierKey: string }).verifierKey };
}

export function checkpoint(db: string, key: string, out: string): void {
  const run = pacioli(["checkpoint", "--db", db, "--key-file", key, "--out", out]);
  expect(run.status, run.stderr).toBe(0);
}

export function grow(dir: string, db: string, commands: readonly unknown[] = MORE_COMMANDS): void {
  const file = join(dir, `more-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, `${commands.map((line) => JSON.stringify(line)).join("\n")}\n`);
  const run = pacioli(["apply", "--db", db, "--now", "2026-11-26T10:00:00Z", file]);
  expect(run.status, run.stderr).toBe(0);
}

/** A forger with write access: changes one event and re-hashes the chain after it, so the full audit's chain check passes. */
export function rewriteAndRehash(db: string, streamIndex: number, from: string, to: string): void {
  const sqlite = openSqlite(db);
  const payloads = sqlite
    .prepare("SELECT payload FROM events WHERE stream = 'ledger-main' ORDER BY stream_index")
    .all() as { payload: string }[];
  sqlite.close();
  const records = payloads.map(({ payload }, index) => {
    const record = recordOf(payload);
    if (index !== streamIndex) return record;
    expect(record).toContain(from);
    return record.replace(from, to);
  });
  rechainFile(db, records);
}
