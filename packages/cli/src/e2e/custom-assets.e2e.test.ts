/**
 * A ledger that books a registered custom asset (`PACIOLI_ASSETS`, the registry the
 * embedding service gives `openLedger`) is read, audited, exported and imported with it;
 * without it, reading stops with a message naming the event, never a stack trace.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deposit } from "@pacioli/core/testing/requests";
import { pacioli, scratchDir } from "./run-cli.js";

const line = (value: unknown) => JSON.stringify(value);
const GOLD = { PACIOLI_ASSETS: "GOLD:3" };

function goldLedger(): { dir: string; db: string } {
  const dir = scratchDir();
  const db = join(dir, "gold.db");
  const commands = [
    line({
      idempotencyKey: "open-w1",
      command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
    }),
    line({
      idempotencyKey: "open-w2",
      command: { type: "OpenWallet", walletId: "w2", ownerId: "bo" },
    }),
    line(deposit("w1", "1.250", "GOLD", "dep-1")),
    line({
      idempotencyKey: "tr-1",
      command: {
        type: "TransferFunds",
        transferId: "t1",
        fromWalletId: "w1",
        toWalletId: "w2",
        amount: { currency: "GOLD", amount: "0.125" },
      },
    }),
  ];
  writeFileSync(join(dir, "commands.jsonl"), `${commands.join("\n")}\n`);
  const run = pacioli(
    ["apply", "--db", db, "--now", "2026-11-25T10:00:00Z", join(dir, "commands.jsonl")],
    { env: GOLD },
  );
  expect(run.stdout.split("\n").filter((text) => text.includes('"accepted"'))).toHaveLength(4);
  return { dir, db };
}

describe("a ledger with a registered custom asset", () => {
  it("audits, exports, imports and shows balances with PACIOLI_ASSETS", () => {
    const { dir, db } = goldLedger();
    expect(pacioli(["audit", "--db", db], { env: GOLD }).status).toBe(0);
    const archive = join(dir, "a.jsonl");
    expect(
      pacioli(["export", "--db", db, "--format", "jsonl", "--output", archive], { env: GOLD })
        .status,
    ).toBe(0);
    expect(pacioli(["audit", "--jsonl", archive], { env: GOLD }).status).toBe(0);
    const imported = pacioli(["import", "--db", join(dir, "copy.db"), archive], { env: GOLD });
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    const again = pacioli(["export", "--db", join(dir, "copy.db"), "--format", "jsonl"], {
      env: GOLD,
    });
    expect(again.stdout).toBe(readFileSync(archive, "utf8"));
    const csv = pacioli(["export", "--db", db, "--format", "csv"], { env: GOLD });
    expect(csv.status).toBe(0);
    expect(csv.stdout).toContain("GOLD");
    expect(csv.stdout).toContain("0.125");
    const wallet = pacioli(["balances", "--db", join(dir, "copy.db"), "--wallet", "w2", "--json"], {
      env: GOLD,
    });
    expect(JSON.parse(wallet.stdout)).toEqual([
      { walletId: "w2", currency: "GOLD", available: "0.125", held: "0.000", total: "0.125" },
    ]);
  });

  it("without the asset, reading stops with a message naming the event, not a trace", () => {
    const { db } = goldLedger();
    for (const args of [
      ["export", "--db", db, "--format", "csv"],
      ["audit", "--db", db],
      ["balances", "--db", db],
    ]) {
      const run = pacioli(args, { env: { PACIOLI_ASSETS: "" } });
      expect([1, 3], args.join(" ")).toContain(run.status);
      expect(run.stderr + run.stdout).toMatch(/event 3|sequence 3|position 3/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("refuses a PACIOLI_ASSETS it cannot read (exit 2)", () => {
    const { db } = goldLedger();
    const run = pacioli(["audit", "--db", db], { env: { PACIOLI_ASSETS: "GOLD" } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("PACIOLI_ASSETS");
  });
});
