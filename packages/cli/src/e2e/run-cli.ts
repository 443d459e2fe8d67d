/**
 * Test helpers for the end-to-end tests: run the built `pacioli` binary (dist/bin.js, which
 * the test command builds first) in a fresh temporary directory per test.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user and group (only root may): file permissions then apply to the CLI. */
  readonly uid?: number;
}

export function pacioli(args: readonly string[], options: RunOptions = {}): CliRun {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx tsc -b)`);
  const env = options.env === undefined ? undefined : { ...process.env, ...options.env };
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    env,
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 1 << 30,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Whether a user other than the owner can reach `path`: every folder above it must be
 * searchable by others. A clone under a private folder (`mktemp -d` makes 0700 ones) is not,
 * and a test that runs the CLI as another user cannot start it there.
 */
export function othersCanReach(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "pacioli-e2e-"));
}

/** Runs the demo into a new ledger file and returns its path. */
export function demoLedger(dir: string = scratchDir()): string {
  const db = join(dir, "demo.db");
  const run = pacioli(["demo", "--db", db]);
  if (run.status !== 0)
    throw new Error(`demo failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return db;
}

/** Ledger time at which the e2e ledgers decide their commands. */
export const APPLY_NOW = "2026-11-25T10:00:00Z";

/** Command requests written as a JSONL file `${name}.jsonl` in `dir`; returns its path. */
export function requestsFile(dir: string, requests: readonly unknown[], name = "c"): string {
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${requests.map((request) => JSON.stringify(request)).join("\n")}\n`);
  return path;
}

/**
 * A ledger file `${name}.db` (its requests in `${name}.jsonl`) built by `pacioli apply --fail-on-rejected` from command
 * requests decided at APPLY_NOW; throws when a request is not accepted.
 */
export function appliedLedger(dir: string, requests: readonly unknown[], name = "l"): string {
  const db = join(dir, `${name}.db`);
  const file = requestsFile(dir, requests, name);
  const run = pacioli(["apply", "--db", db, "--now", APPLY_NOW, "--fail-on-rejected", file]);
  if (run.status !== 0)
    throw new Error(`apply failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return db;
}

/**
 * Runs `pacioli` with its standard output read by a reader that goes away after the first
 * chunk, as `| head -1` does; resolves with the status and stderr once it has exited.
 */
export function pacioliIntoClosedPipe(
  args: readonly string[],
  options: { input?: string } = {},
): Promise<CliRun & { readonly firstChunk: string }> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx tsc -b)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let firstChunk = "";
    let stderr = "";
    child.stdout.once("data", (chunk: Buffer) => {
      firstChunk = chunk.toString("utf8");
      child.stdout.destroy(); // the reader is gone: the next write gets EPIPE
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: firstChunk, stderr, firstChunk }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** A violation an audit reports: its check, the event's position and, when given, words of its message. */
export const violationAt = (check: string, position: number, words?: string): unknown =>
  expect.objectContaining({
    check,
    position,
    ...(words === undefined ? {} : { message: expect.stringContaining(words) as unknown }),
  });
