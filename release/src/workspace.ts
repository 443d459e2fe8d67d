/** Where the workspace is, which packages it publishes, and how to call its pnpm. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const WORKSPACE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The published packages, in dependency order (directory under packages/ and npm name). */
export const PUBLISHED = ["core", "engine", "store-sqlite", "store-eventstoredb", "store-testkit", "cli"] as const;
export type PublishedPackage = (typeof PUBLISHED)[number];
export const npmName = (dir: PublishedPackage): string => `@pacioli/${dir}`;

export const workspaceBin = (name: string): string => `${WORKSPACE_ROOT}node_modules/.bin/${name}`;

/**
 * pnpm as the test command was started (`npx -y pnpm@… test` sets npm_execpath to it), or
 * the version the root package.json names when vitest was started some other way.
 */
export function pnpmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env["npm_execpath"];
  if (execPath !== undefined && /pnpm/.test(execPath)) return { command: process.execPath, prefix: [execPath] };
  const manifest = JSON.parse(readFileSync(`${WORKSPACE_ROOT}package.json`, "utf8")) as { packageManager?: string };
  return { command: "npx", prefix: ["-y", manifest.packageManager ?? "pnpm"] };
}
