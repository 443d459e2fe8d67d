/**
 * `pacioli demo --store kurrentdb://…` against the EventStoreDB/KurrentDB gRPC test double
 * (no server can run on CI machines). The double is served from this test process, so the
 * CLI is spawned asynchronously: a synchronous spawn would block the event loop serving it.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { kurrentDoubleForSuite } from "./kurrent-double.js";
import { BIN } from "./run-cli.js";

function pacioliAsync(
  args: readonly string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("pacioli demo on KurrentDB (test double)", () => {
  const connectionString = kurrentDoubleForSuite();

  it("runs the story on the server, and its audit of the server's stream is clean", async () => {
    const run = await pacioliAsync(["demo", "--store", connectionString()]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("EscrowReleased");
    expect(run.stdout).toContain("Verdict: CLEAN");
    expect(run.status).toBe(0);
    // The events are on the server, not in a file: a second process reads them back.
    const audit = await pacioliAsync(["audit", "--db", connectionString(), "--json"]);
    expect(audit.status).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ clean: true, events: 21 });
  });

  it("refuses a --store that is not a connection string", async () => {
    const run = await pacioliAsync(["demo", "--store", "/tmp/ledger.db"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("kurrentdb://");
  });
});
