/**
 * `--stream NAME` on every command that reads a ledger (issue 15): each such command's help
 * names it, and each, run through the binary on a file whose only ledger is on `ledger-eu`,
 * reads that ledger when given `--stream ledger-eu`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../main.js";
import { pacioli, scratchDir } from "./run-cli.js";
import { startServe } from "./serve-process.js";

/** Commands with a ledger location that write a new ledger rather than read one. */
const CREATING = new Set(["demo", "import"]);

const deposit = (key: string, walletId: string, amount: string) =>
  JSON.stringify({
    idempotencyKey: key,
    command: {
      type: "DepositFunds",
      walletId,
      amount: { currency: "USD", amount },
      channel: "card",
    },
  });

describe("--stream on every command that reads a ledger", () => {
  it("is in the help of every command that takes a ledger location", () => {
    const reading = COMMANDS.filter(
      (command) => /--db\b/.test(command.usage) && !CREATING.has(command.name),
    );
    expect(reading.map((command) => command.name)).toEqual(
      expect.arrayContaining(["apply", "audit", "balances", "history", "export", "statement"]),
    );
    for (const command of reading) expect(command.usage, command.name).toContain("--stream NAME");
  });

  it("reads the ledger on the stream it names, in every such command", async () => {
    const dir = scratchDir();
    const db = join(dir, "l.db");
    const input = join(dir, "c.jsonl");
    writeFileSync(
      input,
      [
        JSON.stringify({
          idempotencyKey: "open",
          command: { type: "OpenWallet", walletId: "w1", ownerId: "o1" },
        }),
        deposit("d1", "w1", "5.00"),
      ].join("\n") + "\n",
    );
    const eu = ["--stream", "ledger-eu"];
    expect(pacioli(["apply", "--db", db, ...eu, input]).status).toBe(0);
    const key = join(dir, "signer.key");
    expect(pacioli(["keygen", "--name", "pacioli.test/eu", "--out", key]).status).toBe(0);
    const runs: [string, string[], string][] = [
      ["audit", ["audit", "--db", db, ...eu], "2 events"],
      ["balances", ["balances", "--db", db, ...eu, "--wallet", "w1", "--json"], '"5.00"'],
      ["history", ["history", "--db", db, ...eu, "--wallet", "w1", "--json"], '"d1"'],
      ["export", ["export", "--db", db, ...eu, "--format", "jsonl"], "FundsDeposited"],
      ["rebuild-history", ["rebuild-history", "--db", db, ...eu, "--check"], "matches"],
      ["checkpoint", ["checkpoint", "--db", db, ...eu, "--key-file", key, "--json"], '"size":2'],
      ["prove", ["prove", "--db", db, ...eu, "--sequence", "2", "--key-file", key], "2"],
      [
        "statement",
        ["statement", "--db", db, ...eu, "--wallet", "w1", "--key-file", key, "--json"],
        "FundsDeposited",
      ],
    ];
    for (const [name, args, shows] of runs) {
      const run = pacioli(args);
      expect(run.status, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout, name).toContain(shows);
    }
    const served = await startServe(["--db", db, ...eu]);
    try {
      const answer = await fetch(`${served.base}/wallets/w1/balances`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ sequence: 2 });
    } finally {
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
    }
  });
});
