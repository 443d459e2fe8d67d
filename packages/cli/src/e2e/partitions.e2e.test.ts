/** `pacioli partitions`: a partitioned ledger directory through demo, apply, balances and audit. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pacioli } from "./run-cli.js";

const work = mkdtempSync(join(tmpdir(), "pacioli-partitions-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const line = (key: string, command: Record<string, unknown>): string =>
  JSON.stringify({ idempotencyKey: key, command });

describe("pacioli partitions", () => {
  it("runs the demo on 3 partitions and audits it clean", () => {
    const dir = join(work, "demo");
    const run = pacioli(["partitions", "demo", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("4 sent, 4 received, 0 returned");
    expect(run.stdout).toContain("Verdict: CLEAN");
    const again = pacioli(["partitions", "demo", "--dir", dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("placement.json exists already");
  });

  it("applies JSONL across partitions, sums balances, and the audit finds clearing moved without a leg (exit 1)", () => {
    const dir = join(work, "apply");
    expect(pacioli(["partitions", "init", "--dir", dir, "--partitions", "2"]).status).toBe(0);
    // With 2 partitions, FNV-1a puts "w1" in p1 and "w2" in p0 (docs/operations/partitions.md).
    const commands = [
      line("o1", { type: "OpenWallet", walletId: "w1", ownerId: "a" }),
      line("o2", { type: "OpenWallet", walletId: "w2", ownerId: "b" }),
      line("d1", {
        type: "DepositFunds",
        walletId: "w1",
        amount: { currency: "USD", amount: "50.00" },
        channel: "card",
      }),
      line("t1", {
        type: "TransferFunds",
        transferId: "t1",
        fromWalletId: "w1",
        toWalletId: "w2",
        amount: { currency: "USD", amount: "20.00" },
      }),
      line("v1", { type: "DefineVerificationTier", tierId: "basic", limits: [] }),
    ];
    writeFileSync(join(work, "commands.jsonl"), `${commands.join("\n")}\n`);
    const applied = pacioli(["partitions", "apply", "--dir", dir, join(work, "commands.jsonl")]);
    expect(applied.status).toBe(0);
    const statuses = applied.stdout
      .trim()
      .split("\n")
      .map((text) => (JSON.parse(text) as { status: string }).status);
    expect(statuses).toEqual(["accepted", "accepted", "accepted", "accepted", "unsupported"]);
    const failing = pacioli([
      "partitions",
      "apply",
      "--dir",
      dir,
      "--fail-on-rejected",
      join(work, "commands.jsonl"),
    ]);
    expect(failing.status).toBe(4);

    const wallet = pacioli(["partitions", "balances", "--dir", dir, "--wallet", "w2", "--json"]);
    expect(wallet.status).toBe(0);
    expect(JSON.parse(wallet.stdout)).toEqual([
      {
        account: "liabilities:wallets:w2:available",
        currency: "USD",
        signed: "-20.00",
        balance: "20.00",
      },
    ]);
    expect(pacioli(["partitions", "audit", "--dir", dir]).status).toBe(0);

    // A withdrawal into a clearing account, not made by the process manager.
    writeFileSync(
      join(work, "forged.jsonl"),
      `${line("f1", { type: "WithdrawFunds", walletId: "w1", amount: { currency: "USD", amount: "1.00" }, channel: "partition-p0" })}\n`,
    );
    expect(pacioli(["partitions", "apply", "--dir", dir, join(work, "forged.jsonl")]).status).toBe(
      0,
    );
    const audit = pacioli(["partitions", "audit", "--dir", dir, "--json"]);
    expect(audit.status).toBe(1);
    const report = JSON.parse(audit.stdout) as { clean: boolean; violations: { check: string }[] };
    expect(report.clean).toBe(false);
    expect(report.violations.map((violation) => violation.check)).toEqual(["clearing"]);
  });

  it("says what is wrong, without a stack trace, for a directory that is not a partitioned ledger", () => {
    const run = pacioli(["partitions", "audit", "--dir", join(work, "nothing-here")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("is not a partitioned ledger: no placement.json");
    const nothing = pacioli(["partitions"]);
    expect(nothing.status).toBe(2);
    expect(`${run.stderr}${nothing.stderr}`).not.toMatch(/\n\s+at /);
  });
});
