import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pacioli, scratchDir } from "./run-cli.js";

/** What the demo's story must tell on the way: each step's event, and the refusal it provokes. */
const STORY_FACTS = [
  "FundingSourceVerified",
  "WalletToppedUp",
  "MerchantAuthorized",
  "CurrencyConverted",
  "HoldCaptured",
  "EscrowReleased",
  "OrderRefunded",
  "HoldExpired",
  "refused: InsufficientFunds",
];

describe("pacioli demo", () => {
  it("tells the story, prints balances and history, and its audit is clean", () => {
    const dir = scratchDir();
    const db = join(dir, "demo.db");
    const run = pacioli(["demo", "--db", db]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const fact of STORY_FACTS) expect(run.stdout).toContain(fact);
    expect(run.stdout).toMatch(/EUR\s+138\.08\s+0\.00\s+138\.08/); // Ana's euros after all of it
    expect(run.stdout).toContain("income:fees:checkout");
    expect(run.stdout).toContain("Verdict: CLEAN");
    const audit = pacioli(["audit", "--db", db]);
    expect(audit.status).toBe(0);
    expect(audit.stdout).toContain("compared at version");
  });

  it("is deterministic: two runs record byte-identical streams", () => {
    const archives = [0, 1].map(() => {
      const dir = scratchDir();
      expect(pacioli(["demo", "--db", join(dir, "demo.db")]).status).toBe(0);
      expect(
        pacioli([
          "export",
          "--db",
          join(dir, "demo.db"),
          "--format",
          "jsonl",
          "--output",
          join(dir, "a.jsonl"),
        ]).status,
      ).toBe(0);
      return readFileSync(join(dir, "a.jsonl"), "utf8");
    });
    expect(archives[0]).toBe(archives[1]);
  });

  it("refuses to overwrite an existing file", () => {
    const dir = scratchDir();
    const db = join(dir, "demo.db");
    expect(pacioli(["demo", "--db", db]).status).toBe(0);
    const again = pacioli(["demo", "--db", db]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("already exists");
  });
});
