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
].join("\n");

describe("pacioli apply", () => {
  it("prints one documented result per command line and exits 0 even with rejections", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "commands.jsonl"), `${COMMANDS}\n`);
    const run = pacioli(["apply", "--db", join(dir, "l.db"), "--now", "2026-11-25T10:00:00Z", join(dir, "commands.jsonl")]);
    expect(run.stderr).toMatch(/^apply: 6 lines: 3 accepted \(1 repeated\), 2 rejected, 1 invalid in [0-9.]+ s \([0-9,]+ lines\/s\)\n$/);
    expect(run.status).toBe(0);
    const results = run.stdout.trim().split("\n").map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(results.map((result) => [result["line"], result["status"]])).toEqual([
      [1, "accepted"],
      [2, "accepted"],
      [4, "rejected"],
      [5, "invalid"],
      [6, "accepted"],
      [7, "rejected"],
    ]);
    expect(results[0]).toMatchObject({ idempotencyKey: "open-w1", repeated: false, events: [{ sequence: 1, recordedAt: "2026-11-25T10:00:00.000Z", event: { type: "WalletOpened", walletId: "w1" } }] });
    expect(results[1]).toMatchObject({ events: [{ event: { type: "FundsDeposited", amount: { currency: "USD", amount: "25.00" } } }] });
    expect(results[2]).toMatchObject({ rejection: { _tag: "InsufficientFunds", walletId: "w1", available: "2500", requested: "4000" }, retryable: true });
    expect(results[3]).toMatchObject({ issues: [{ path: expect.stringContaining("amount") as unknown }] });
    expect(results[4]).toMatchObject({ repeated: true, events: results[1]?.["events"] });
    expect(results[5]).toMatchObject({ rejection: { _tag: "IdempotencyKeyReused", idempotencyKey: "dep-1" }, retryable: false });
    const balances = pacioli(["balances", "--db", join(dir, "l.db"), "--wallet", "w1", "--json"]);
    expect(JSON.parse(balances.stdout)).toEqual([{ walletId: "w1", currency: "USD", available: "25.00", held: "0.00", total: "25.00" }]);
  });

  it("refuses a line that is not JSON as invalid on that line and decides the others", () => {
    const dir = scratchDir();
    const open = (id: string) => line({ idempotencyKey: `open-${id}`, command: { type: "OpenWallet", walletId: id, ownerId: "ana" } });
    writeFileSync(join(dir, "bad.jsonl"), `${open("w1")}\n{"idempotencyKey": oops}\n${open("w2")}\n`);
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "bad.jsonl")]);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const results = run.stdout.trim().split("\n").map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(results.map((result) => [result["line"], result["status"]])).toEqual([
      [1, "accepted"],
      [2, "invalid"],
      [3, "accepted"],
    ]);
    expect(results[1]).toEqual({ line: 2, status: "invalid", issues: [{ path: "", expected: expect.stringContaining("one JSON command request per line") as unknown, actual: '{"idempotencyKey": oops}' }] });
  });

  it("reports a missing command file as unusable input", () => {
    const dir = scratchDir();
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "nope.jsonl")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no command file");
  });
});
