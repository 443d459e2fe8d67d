/**
 * Cross-checks with independent tools. hledger and beancount are Debian packages that
 * `.ci/run` installs; a machine without them fails here with the command to install them,
 * never skips.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_USAGE } from "../cli/cli-error.js";
import { merchantSale, payoutSchedule } from "@pacioli/core/testing/requests";
import { appliedLedger, demoLedger, pacioli, scratchDir } from "./run-cli.js";

function tool(
  name: string,
  args: readonly string[],
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(name, args, { encoding: "utf8" });
  if (run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(
      `${name} is not installed: run \`apt-get install -y hledger beancount\` (.ci/run does this in CI)`,
    );
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** "12.30" / "-1000" → minor units at the given exponent, without floats. */
function minorUnits(text: string): bigint {
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^-/, "").replace(/,/g, "").split(".");
  const value = BigInt(`${whole}${fraction}`);
  return negative ? -value : value;
}

/** Exports the ledger for hledger and compares `hledger balance` with `pacioli balances`, account by account. */
function expectHledgerAgrees(dir: string, db: string): void {
  expect(
    pacioli(["export", "--db", db, "--format", "hledger", "--output", join(dir, "l.journal")])
      .status,
  ).toBe(0);
  const hledger = tool("hledger", [
    "-f",
    join(dir, "l.journal"),
    "balance",
    "--flat",
    "--layout=bare",
    "--no-total",
    "-O",
    "csv",
  ]);
  expect(hledger.stderr).toBe("");
  expect(hledger.status).toBe(0);
  const fromHledger = hledger.stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((row) => row.split(",").map((cell) => cell.replace(/^"|"$/g, "")))
    .map(([account, currency, amount]) => `${account} ${currency} ${minorUnits(amount ?? "")}`)
    .sort();
  const ours = JSON.parse(pacioli(["balances", "--db", db, "--json"]).stdout) as {
    account: string;
    currency: string;
    signed: string;
  }[];
  const fromPacioli = ours
    .map((row) => `${row.account} ${row.currency} ${minorUnits(row.signed)}`)
    .sort();
  expect(fromPacioli.length).toBeGreaterThan(1);
  expect(fromHledger).toEqual(fromPacioli);
}

const open = (walletId: string) => ({
  idempotencyKey: `open-${walletId}`,
  command: { type: "OpenWallet", walletId, ownerId: "ana" },
});
const deposit = (walletId: string, currency: string, amount: string) => ({
  idempotencyKey: `dep-${walletId}-${currency}-${amount}`,
  command: { type: "DepositFunds", walletId, amount: { currency, amount }, channel: "card" },
});

describe("journals for independent tools", () => {
  it("hledger balance equals pacioli balances for every account and currency", () => {
    const dir = scratchDir();
    expectHledgerAgrees(dir, demoLedger(dir));
  });

  it("hledger reads zero-decimal currencies (JPY) beside two- and three-decimal ones", () => {
    const dir = scratchDir();
    const db = appliedLedger(dir, [
      open("w1"),
      open("w2"),
      deposit("w1", "JPY", "15000"),
      deposit("w2", "JPY", "1"),
      deposit("w1", "USD", "12.34"),
      deposit("w2", "KWD", "1.005"),
    ]);
    const journal = pacioli(["export", "--db", db, "--format", "hledger"]).stdout;
    expect(journal).toContain("commodity 1000. JPY");
    expect(journal).toContain("commodity 1000.000 KWD");
    expectHledgerAgrees(dir, db);
  });

  it("beancount holds a 28-digit amount; a 30-digit one is refused by the export, naming the event, not written wrong", () => {
    const dir = scratchDir();
    const db = appliedLedger(dir, [
      open("w1"),
      deposit("w1", "USD", "99999999999999999999999999.99"),
    ]);
    const path = join(dir, "l.beancount");
    expect(pacioli(["export", "--db", db, "--format", "beancount", "--output", path]).status).toBe(
      0,
    );
    const check = tool("bean-check", [path]);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);

    const wide = scratchDir();
    const wideDb = appliedLedger(wide, [
      open("w1"),
      deposit("w1", "USD", "9999999999999999999999999999.99"),
    ]);
    const refused = pacioli([
      "export",
      "--db",
      wideDb,
      "--format",
      "beancount",
      "--output",
      join(wide, "l.beancount"),
    ]);
    expect(refused.status).toBe(EXIT_USAGE);
    expect(refused.stderr).toContain(
      "event 2: 9999999999999999999999999999.99 USD has 30 significant digits; beancount computes with 28",
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(wide, "l.beancount"))).toBe(false);
    // What bean-check says about the journal the export refuses to write:
    const naive = join(wide, "naive.beancount");
    writeFileSync(
      naive,
      '2026-01-01 open Assets:A\n2026-01-01 open Equity:B\n2026-11-25 * "t"\n  Assets:A  9999999999999999999999999999.99 USD\n  Equity:B  -9999999999999999999999999999.99 USD\n',
    );
    expect(tool("bean-check", [naive]).stderr).toContain("Transaction does not balance");
    // hledger holds it: the same ledger cross-checks there.
    expectHledgerAgrees(wide, wideDb);
  });

  it("bean-check accepts the beancount journal, including its closing balance assertions", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const path = join(dir, "l.beancount");
    expect(pacioli(["export", "--db", db, "--format", "beancount", "--output", path]).status).toBe(
      0,
    );
    const check = tool("bean-check", [path]);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
    // The check must be able to fail: a wrong closing balance is caught by bean-check itself.
    const broken = join(dir, "broken.beancount");
    const text = pacioli(["export", "--db", db, "--format", "beancount"]).stdout.replace(
      /balance Assets:Clearing:Card\s+300\.00 USD/,
      "balance Assets:Clearing:Card  301.00 USD",
    );
    spawnSync("sh", ["-c", `cat > '${broken}'`], { input: text });
    expect(tool("bean-check", [broken]).status).not.toBe(0);
  });

  it("payouts, reserves, returns, adjustments and reversals: hledger agrees, bean-check accepts, the audit is clean", () => {
    const dir = scratchDir();
    const usd = (amount: string) => ({ currency: "USD", amount });
    const request = (key: string, command: Record<string, unknown>) => ({
      idempotencyKey: key,
      command,
    });
    const db = appliedLedger(dir, [
      open("w1"),
      deposit("w1", "USD", "100.00"),
      ...merchantSale(true, { holdId: "h1", expiresAt: "2026-12-25T10:00:00Z" }),
      request("receipt", { type: "ConfirmReceipt", orderId: "o1" }),
      payoutSchedule("m1", { minimum: "10.00", reserveDays: 0 }, "schedule"),
      request("p1", { type: "PayOutMerchant", payoutId: "p1", merchantId: "m1" }),
      request("release", { type: "ReleasePayoutReserve", payoutId: "p1" }),
      request("return", { type: "ReturnPayout", payoutId: "p1", reason: "account closed" }),
      request("clawback", {
        type: "RefundOrder",
        refundId: "r1",
        orderId: "o1",
        amount: usd("20.00"),
      }),
      ...["a1", "a2"].flatMap((adjustmentId) => [
        request(`propose-${adjustmentId}`, {
          type: "ProposeAdjustment",
          adjustmentId,
          proposedBy: "alice",
          reason: "goodwill credit",
          postings: [
            { account: "expenses:goodwill", currency: "USD", amount: "5.00" },
            { account: "liabilities:wallets:w1:available", currency: "USD", amount: "-5.00" },
          ],
        }),
        request(`approve-${adjustmentId}`, {
          type: "ApproveAdjustment",
          adjustmentId,
          approvedBy: "bob",
        }),
      ]),
      request("reverse", {
        type: "ReverseAdjustment",
        adjustmentId: "a2",
        reversedBy: "carol",
        reason: "entered twice",
      }),
    ]);
    expectHledgerAgrees(dir, db);
    const path = join(dir, "l.beancount");
    expect(pacioli(["export", "--db", db, "--format", "beancount", "--output", path]).status).toBe(
      0,
    );
    const check = tool("bean-check", [path]);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
    const audit = pacioli(["audit", "--db", db]);
    expect(audit.stdout + audit.stderr).toContain("CLEAN");
    expect(audit.status).toBe(0);
  });

  it("CSV rows sum to zero per event and currency", () => {
    const db = demoLedger();
    const csv = pacioli(["export", "--db", db, "--format", "csv"]).stdout.trim().split("\n");
    expect(csv[0]).toBe(
      "sequence,recorded_at,effective_at,event_type,command_id,idempotency_key,account,currency,amount",
    );
    const sums = new Map<string, bigint>();
    for (const row of csv.slice(1)) {
      const cells = row.split(",");
      const key = `${cells[0]} ${cells[7]}`;
      sums.set(key, (sums.get(key) ?? 0n) + minorUnits(cells[8] ?? ""));
    }
    expect(sums.size).toBeGreaterThan(10);
    expect([...sums.values()].every((sum) => sum === 0n)).toBe(true);
  });
});
