/**
 * Cross-checks with independent tools. hledger and beancount are Debian packages that
 * `.ci/run` installs; a machine without them fails here with the command to install them,
 * never skips.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoLedger, pacioli, scratchDir } from "./run-cli.js";

function tool(name: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(name, args, { encoding: "utf8" });
  if (run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(`${name} is not installed: run \`apt-get install -y hledger beancount\` (.ci/run does this in CI)`);
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

describe("journals for independent tools", () => {
  it("hledger balance equals pacioli balances for every account and currency", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    expect(pacioli(["export", "--db", db, "--format", "hledger", "--output", join(dir, "l.journal")]).status).toBe(0);
    const hledger = tool("hledger", ["-f", join(dir, "l.journal"), "balance", "--flat", "--layout=bare", "--no-total", "-O", "csv"]);
    expect(hledger.stderr).toBe("");
    expect(hledger.status).toBe(0);
    const fromHledger = hledger.stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((row) => row.split(",").map((cell) => cell.replace(/^"|"$/g, "")))
      .map(([account, currency, amount]) => `${account} ${currency} ${minorUnits(amount ?? "")}`)
      .sort();
    const ours = JSON.parse(pacioli(["balances", "--db", db, "--json"]).stdout) as { account: string; currency: string; signed: string }[];
    const fromPacioli = ours.map((row) => `${row.account} ${row.currency} ${minorUnits(row.signed)}`).sort();
    expect(fromPacioli.length).toBeGreaterThan(5);
    expect(fromHledger).toEqual(fromPacioli);
  });

  it("bean-check accepts the beancount journal, including its closing balance assertions", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const path = join(dir, "l.beancount");
    expect(pacioli(["export", "--db", db, "--format", "beancount", "--output", path]).status).toBe(0);
    const check = tool("bean-check", [path]);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
    // The check must be able to fail: a wrong closing balance is caught by bean-check itself.
    const broken = join(dir, "broken.beancount");
    const text = pacioli(["export", "--db", db, "--format", "beancount"]).stdout.replace(/balance Assets:Clearing:Card\s+300\.00 USD/, "balance Assets:Clearing:Card  301.00 USD");
    spawnSync("sh", ["-c", `cat > '${broken}'`], { input: text });
    expect(tool("bean-check", [broken]).status).not.toBe(0);
  });

  it("CSV rows sum to zero per event and currency", () => {
    const db = demoLedger();
    const csv = pacioli(["export", "--db", db, "--format", "csv"]).stdout.trim().split("\n");
    expect(csv[0]).toBe("sequence,recorded_at,effective_at,event_type,command_id,idempotency_key,account,currency,amount");
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
