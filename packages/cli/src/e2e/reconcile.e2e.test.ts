import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import { merchantSale, payoutSchedule } from "@pacioli/core/testing/requests";
import { appliedLedger, pacioli, scratchDir } from "./run-cli.js";

const usd = (amount: string) => ({ currency: "USD", amount });
const request = (idempotencyKey: string, command: Record<string, unknown>) => ({
  idempotencyKey,
  command,
});

/** w1 topped up 100.00 by card; m1 earned 48.25 and was paid 43.17 out through the bank. */
function ledger(dir: string): string {
  const requests = [
    request("open", { type: "OpenWallet", walletId: "w1", ownerId: "ana" }),
    request("dep-1", {
      type: "DepositFunds",
      walletId: "w1",
      amount: usd("100.00"),
      channel: "card",
    }),
    ...merchantSale(false, { holdId: "h1", expiresAt: "2026-12-25T10:00:00Z" }),
    request("rcpt", { type: "ConfirmReceipt", orderId: "o1" }),
    payoutSchedule("m1", { minimum: "0.00", reserveDays: 30 }, "sched"),
    request("p1", { type: "PayOutMerchant", payoutId: "p1", merchantId: "m1" }),
  ];
  return appliedLedger(dir, requests);
}

function settlement(dir: string, lines: string[]): string {
  const path = join(dir, "settlement.csv");
  writeFileSync(path, `channel,reference,currency,amount\n${lines.join("\n")}\n`);
  return path;
}

describe("pacioli reconcile", () => {
  it("matches every line, records them once, and leaves nothing in flight", () => {
    const dir = scratchDir();
    const db = ledger(dir);
    const file = settlement(dir, ["card,dep-1,USD,100.00", "bank,p1,USD,-43.17"]);
    const first = pacioli(["reconcile", "--db", db, "--file", file, "--record", "--json"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(EXIT_OK);
    const report = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      mismatched: [],
      unmatchedLines: [],
      unmatchedLedger: [],
      recorded: 2,
    });
    const balances = JSON.parse(pacioli(["balances", "--db", db, "--json"]).stdout) as {
      account: string;
      signed: string;
    }[];
    const signed = (account: string) => balances.find((row) => row.account === account)?.signed;
    expect(signed("assets:bank:card")).toBe("100.00");
    expect(signed("assets:bank:bank")).toBe("-43.17");
    expect(signed("assets:clearing:card")).toBeUndefined(); // zero: not listed
    // Settled references are no longer in flight: the same file now matches nothing.
    const again = pacioli(["reconcile", "--db", db, "--file", file, "--json"]);
    expect(again.status).toBe(EXIT_VIOLATIONS);
    expect(JSON.parse(again.stdout)).toMatchObject({ matched: [], recorded: 0 });
    expect(pacioli(["audit", "--db", db]).status).toBe(EXIT_OK);
  });

  it("reports mismatched and unmatched lines on both sides, records nothing, exits 1", () => {
    const dir = scratchDir();
    const db = ledger(dir);
    const file = settlement(dir, ["card,dep-1,USD,99.99", "bank,p9,USD,-1.00"]);
    const run = pacioli(["reconcile", "--db", db, "--file", file, "--record", "--json"]);
    expect(run.status).toBe(EXIT_VIOLATIONS);
    expect(JSON.parse(run.stdout)).toEqual({
      matched: [],
      mismatched: [
        {
          line: 2,
          channel: "card",
          reference: "dep-1",
          currency: "USD",
          amount: "99.99",
          ledger: "100.00",
        },
      ],
      unmatchedLines: [
        { line: 3, channel: "bank", reference: "p9", currency: "USD", amount: "-1.00" },
      ],
      unmatchedLedger: [{ channel: "bank", reference: "p1", currency: "USD", amount: "-43.17" }],
      recorded: 0,
    });
  });

  it("refuses a malformed file naming the line, before reading or writing the ledger", () => {
    const dir = scratchDir();
    const db = ledger(dir);
    const file = settlement(dir, ["card,dep-1,USD,100.001"]);
    const run = pacioli(["reconcile", "--db", db, "--file", file, "--record"]);
    expect(run.status).toBe(EXIT_USAGE);
    expect(run.stderr).toContain("line 2: 100.001 is not a non-zero amount in USD");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
