/**
 * `pacioli … | head`: the reader goes away after the first lines. Every command ends quietly
 * with its documented status (0 for reading commands, EXIT_OUTPUT_CLOSED for apply), never
 * an EPIPE stack trace, and what apply decided before is durable.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_OK, EXIT_OUTPUT_CLOSED } from "../cli/cli-error.js";
import { deposit } from "@pacioli/core/testing/requests";
import { pacioli, pacioliIntoClosedPipe, requestsFile, scratchDir } from "./run-cli.js";

const DEPOSITS = 5_000;

function depositsFile(dir: string): string {
  const requests: unknown[] = [
    { idempotencyKey: "open", command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" } },
  ];
  for (let index = 0; index < DEPOSITS; index += 1)
    requests.push(deposit("w1", "1.00", "USD", `dep-${index}`));
  return requestsFile(dir, requests, "deposits");
}

describe("a closed standard output", () => {
  it("stops apply quietly with status 5, every printed line durable, the rest applicable later", async () => {
    const dir = scratchDir();
    const file = depositsFile(dir);
    const db = join(dir, "l.db");
    const run = await pacioliIntoClosedPipe([
      "apply",
      "--db",
      db,
      "--now",
      "2026-11-25T10:00:00Z",
      file,
    ]);
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(run.status).toBe(EXIT_OUTPUT_CLOSED);
    const stopped = /stopped after line (\d+)/.exec(run.stderr);
    expect(stopped).not.toBeNull();
    const decided = Number(stopped?.[1]);
    expect(decided).toBeGreaterThan(0);
    expect(decided).toBeLessThan(DEPOSITS + 1);
    // Every decided line is durable: the wallet holds one dollar per decided deposit.
    const balances = pacioli(["balances", "--db", db, "--wallet", "w1", "--json"]);
    expect(JSON.parse(balances.stdout)).toEqual([
      {
        walletId: "w1",
        currency: "USD",
        available: `${decided - 1}.00`,
        held: "0.00",
        total: `${decided - 1}.00`,
      },
    ]);
    // Applying the file again finishes the job: the decided lines are repeats.
    const again = pacioli(["apply", "--db", db, "--now", "2026-11-25T10:00:00Z", file]);
    expect(again.status).toBe(EXIT_OK);
    expect(again.stderr).toContain(`${DEPOSITS + 1} accepted (${decided} repeated)`);
  });

  it("ends history, balances and every export format quietly with status 0", async () => {
    const dir = scratchDir();
    const db = join(dir, "l.db");
    expect(pacioli(["apply", "--db", db, depositsFile(dir)]).status).toBe(EXIT_OK);
    for (const args of [
      ["history", "--db", db, "--wallet", "w1", "--limit", "1000"],
      ["history", "--db", db, "--wallet", "w1", "--limit", "1000", "--json"],
      ["balances", "--db", db],
      ["export", "--db", db, "--format", "csv"],
      ["export", "--db", db, "--format", "jsonl"],
      ["export", "--db", db, "--format", "hledger"],
      ["export", "--db", db, "--format", "beancount"],
    ]) {
      const run = await pacioliIntoClosedPipe(args);
      expect(run.stderr, args.join(" ")).toBe("");
      expect(run.status, args.join(" ")).toBe(EXIT_OK);
      expect(run.firstChunk.length, args.join(" ")).toBeGreaterThan(0);
    }
  });
});
