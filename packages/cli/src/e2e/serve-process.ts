/**
 * Test helper: `pacioli serve` as a child process on a free loopback port, for the tests that
 * need a real process (killed, restarted, signalled, or driven by a client in another language).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { BIN } from "./run-cli.js";

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly base: string;
  /** Standard error so far (the JSON log lines). */
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
}

export async function startServe(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then((code) =>
      reject(new Error(`pacioli serve exited (${code}) before listening:\n${stderr}`)),
    );
  });
  return { child, base, stderr: () => stderr, exited };
}

export async function postJson(
  base: string,
  path: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
