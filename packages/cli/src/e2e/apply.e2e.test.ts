import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pacioli, scratchDir } from "./run-cli.js";

const line = (value: unknown) => JSON.stringify(value);

const COMMANDS = [
  line({ idempotencyKey: "open-w1", command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" } }),
  line({ idempotencyKey: "dep-1", command: { type: "DepositFunds", walletId: "w1", amount: { currency: "USD", amount: "25.00" }, channel: "card" } }),
  "",
  line({ idempotencyKey: "hold-1", command: { type: "PlaceHold", holdId: "h1", walletId: "w1", merchantId: "m1", amount: { currency: "USD", amount: "40.00" }, expiresAt: "2026-12-01T00:00:00Z" } }),
  line({ idempotencyKey: "dep-2", command: { type: "DepositFunds", walletId: "w1", amount: { currency: "USD", amount: 12.5 }, channel: "card" } }),
  line({ idempotencyKey: "dep-1", command: { type: "DepositFunds", walletId: "w1", amount: { currency: "USD", amount: "25.00" }, channel: "card" } }),
  line({ idempotencyKey: "dep-1", command: { type: "DepositFunds", walletId: "w1", amount: { currency: "USD", amount: "26.00" }, channel: "card" } }),
  line({ idempotencyKey: "hold-2", command: { type: "PlaceHold", holdId: "h2", walletId: "w1", merchantId: "m1", amount: { currency: "USD", amount: "1.00" }, expiresAt: "2026-11-25T09:00:00Z" } }),
].join("\n");

describe("pacioli apply", () => {
  it("prints one documented result per command line and exits 0 even with rejections", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "commands.jsonl"), `${COMMANDS}\n`);
    const run = pacioli(["apply", "--db", join(dir, "l.db"), "--now", "2026-11-25T10:00:00Z", join(dir, "commands.jsonl")]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const results = run.stdout.trim().split("\n").map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(results.map((result) => [result["line"], result["status"]])).toEqual([
      [1, "accepted"],
      [2, "accepted"],
      [4, "rejected"],
      [5, "invalid"],
      [6, "accepted"],
      [7, "rejected"],
      [8, "rejected"],
    ]);
    expect(results[0]).toMatchObject({ idempotencyKey: "open-w1", repeated: false, events: [{ sequence: 1, recordedAt: "2026-11-25T10:00:00.000Z", event: { type: "WalletOpened", walletId: "w1" } }] });
    expect(results[1]).toMatchObject({ events: [{ event: { type: "FundsDeposited", amount: { currency: "USD", amount: "25.00" } } }] });
    expect(results[2]).toMatchObject({ rejection: { _tag: "InsufficientFunds", walletId: "w1", available: "2500", requested: "4000" }, retryable: true });
    expect(results[3]).toMatchObject({ issues: [{ path: expect.stringContaining("amount") as unknown }] });
    expect(results[4]).toMatchObject({ repeated: true, events: results[1]?.["events"] });
    expect(results[5]).toMatchObject({ rejection: { _tag: "IdempotencyKeyReused", idempotencyKey: "dep-1" }, retryable: false });
    // Times in a rejection are ISO-8601 strings on the wire, as docs/reference/rejections.md says.
    expect(results[6]).toMatchObject({ rejection: { _tag: "HoldExpired", holdId: "h2", expiresAt: "2026-11-25T09:00:00.000Z", at: "2026-11-25T10:00:00.000Z" }, retryable: false });
    const balances = pacioli(["balances", "--db", join(dir, "l.db"), "--wallet", "w1", "--json"]);
    expect(JSON.parse(balances.stdout)).toEqual([{ walletId: "w1", currency: "USD", available: "25.00", held: "0.00", total: "25.00" }]);
  });

  it("applies nothing from a file with a line that is not JSON, and says which line", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "bad.jsonl"), `${line({ idempotencyKey: "a", command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" } })}\n{"idempotencyKey": oops}\n`);
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "bad.jsonl")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("bad.jsonl:2 is not JSON");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).toBe("");
  });

  it("reports a missing command file as unusable input", () => {
    const dir = scratchDir();
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "nope.jsonl")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no command file");
  });
});
