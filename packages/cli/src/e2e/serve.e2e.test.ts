/**
 * `pacioli serve` as a process: a retry after the server was killed (SIGKILL, no shutdown)
 * and started again returns the original result; SIGTERM shuts down gracefully with status
 * 0; the Python client of docs/recipes runs against it; bad flags are usage errors.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deposit } from "@pacioli/core/testing/requests";
import { pacioli, scratchDir } from "./run-cli.js";
import { postJson, startServe } from "./serve-process.js";

const PYTHON_CLIENT = fileURLToPath(
  new URL("../../../../docs/recipes/http-client.py", import.meta.url),
);
/** The output docs/recipes/http.md shows under the client's command line (its "# " lines). */
function documentedOutput(): string {
  const text = readFileSync(
    fileURLToPath(new URL("../../../../docs/recipes/http.md", import.meta.url)),
    "utf8",
  );
  const after = text.slice(
    text.indexOf("python3 docs/recipes/http-client.py http://127.0.0.1:8080\n"),
  );
  const lines = after.split("\n").slice(1);
  return `${lines
    .slice(
      0,
      lines.findIndex((line) => !line.startsWith("# ")),
    )
    .map((line) => line.slice(2))
    .join("\n")}\n`;
}

const open = {
  idempotencyKey: "open-w1",
  command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
};
const depositOf25 = deposit("w1", "25.00", "USD", "dep-1");

describe("pacioli serve", () => {
  it("returns the original result to a retry after the server was killed and restarted", async () => {
    const db = join(scratchDir(), "ledger.db");
    const first = await startServe(["--db", db]);
    expect((await postJson(first.base, "/commands", open)).status).toBe(201);
    const accepted = await postJson(first.base, "/commands", depositOf25);
    expect(accepted.status).toBe(201);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");

    const second = await startServe(["--db", db]);
    const retry = await postJson(second.base, "/commands", depositOf25);
    expect(retry.status).toBe(200);
    expect(retry.text).toBe(accepted.text);
    const balances = await fetch(`${second.base}/wallets/w1/balances`);
    expect(await balances.json()).toEqual({
      walletId: "w1",
      sequence: 2,
      balances: [{ currency: "USD", available: "25.00", held: "0.00", total: "25.00" }],
    });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toContain('"msg":"stopped"');
  });

  it("serves the Python standard-library client of docs/recipes/http-client.py", async () => {
    const server = await startServe([
      "--db",
      join(scratchDir(), "ledger.db"),
      "--now",
      "2026-12-01T09:00:00Z",
    ]);
    try {
      const run = spawnSync("python3", [PYTHON_CLIENT, server.base], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("retry: 200, same body: True");
      expect(run.stdout).toContain("overspend: 409 InsufficientFunds");
      expect(run.stdout).toContain("balances: USD available 15.00 held 0.00");
      expect(run.stdout).toBe(documentedOutput()); // docs/recipes/http.md shows exactly this run
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("refuses bad flags with a usage error and no stack trace", () => {
    const both = pacioli(["serve", "--db", "a.db", "--store", "kurrentdb://localhost:2113"]);
    expect(both.status).toBe(2);
    const port = pacioli(["serve", "--db", "a.db", "--port", "99999"]);
    expect(port.status).toBe(2);
    expect(port.stderr).toContain("--port must be 0 to 65535");
    for (const run of [both, port]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
