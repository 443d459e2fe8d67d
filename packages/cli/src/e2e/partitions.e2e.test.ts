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
    expect(run.stdout).toContain("Payments to merchant market (partition 0):");
    expect(run.stdout).toContain("ana    partition 0  held and captured EUR 25.00");
    expect(run.stdout).toContain(
      "ben    partition 1  refused, spans partitions (wallet ben in p1, merchant market in p0)",
    );
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

  it("applies merchants, holds and captures where buyer and merchant share a partition, and names the parties of one that spans two", () => {
    const dir = join(work, "market");
    expect(pacioli(["partitions", "init", "--dir", dir, "--partitions", "2"]).status).toBe(0);
    // The buyer beside the shop; bob elsewhere (overrides take merchant ids too).
    writeFileSync(
      join(dir, "placement.json"),
      JSON.stringify({ partitions: 2, overrides: { alice: 1, shop: 1, bob: 0 } }),
    );
    const usd = (amount: string) => ({ currency: "USD", amount });
    const commands = [
      line("o1", { type: "OpenWallet", walletId: "alice", ownerId: "a" }),
      line("o2", { type: "OpenWallet", walletId: "bob", ownerId: "b" }),
      line("d1", {
        type: "DepositFunds",
        walletId: "alice",
        amount: usd("50.00"),
        channel: "card",
      }),
      line("d2", { type: "DepositFunds", walletId: "bob", amount: usd("50.00"), channel: "card" }),
      line("m1", {
        type: "RegisterMerchant",
        merchantId: "shop",
        settlementCurrency: "USD",
        allowNegativeBalance: false,
      }),
      line("h1", {
        type: "PlaceHold",
        holdId: "h1",
        walletId: "alice",
        merchantId: "shop",
        amount: usd("20.00"),
        expiresAt: "2100-01-01T00:00:00.000Z",
      }),
      line("c1", { type: "CaptureHold", holdId: "h1", amount: usd("20.00"), final: true }),
      line("h2", {
        type: "PlaceHold",
        holdId: "h2",
        walletId: "bob",
        merchantId: "shop",
        amount: usd("5.00"),
        expiresAt: "2100-01-01T00:00:00.000Z",
      }),
    ];
    writeFileSync(join(work, "market.jsonl"), `${commands.join("\n")}\n`);
    const applied = pacioli(["partitions", "apply", "--dir", dir, join(work, "market.jsonl")]);
    expect(applied.stderr).toBe("");
    expect(applied.status).toBe(0);
    const results = applied.stdout
      .trim()
      .split("\n")
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(results.map((result) => result["status"])).toEqual([
      ...Array<string>(7).fill("accepted"),
      "spans-partitions",
    ]);
    expect(results[7]).toEqual({
      line: 8,
      status: "spans-partitions",
      commandType: "PlaceHold",
      parties: [
        { entity: "wallet", id: "bob", partition: 0 },
        { entity: "merchant", id: "shop", partition: 1 },
      ],
    });
    const balances = pacioli(["partitions", "balances", "--dir", dir, "--json"]);
    expect(balances.status).toBe(0);
    expect(JSON.parse(balances.stdout)).toContainEqual({
      account: "liabilities:merchants:shop",
      currency: "USD",
      signed: "-20.00",
      balance: "20.00",
    });
    expect(pacioli(["partitions", "audit", "--dir", dir]).status).toBe(0);
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
