/** Where the workspace is, which packages it publishes, and how to call its pnpm. */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const WORKSPACE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A published package, by its directory under packages/ (its npm name is `@pacioli/<dir>`). */
export type PublishedPackage = string;

/** Every package under packages/ that is not private: each one must pass the check. */
export const PUBLISHED: readonly PublishedPackage[] = readdirSync(`${WORKSPACE_ROOT}packages`, {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .filter((dir) => {
    try {
      return (
        (
          JSON.parse(readFileSync(`${WORKSPACE_ROOT}packages/${dir}/package.json`, "utf8")) as {
            private?: boolean;
          }
        ).private !== true
      );
    } catch {
      return false; // a directory without a package.json is no package
    }
  })
  .sort();
export const npmName = (dir: PublishedPackage): string => `@pacioli/${dir}`;

export const workspaceBin = (name: string): string => `${WORKSPACE_ROOT}node_modules/.bin/${name}`;

/**
 * pnpm as the test command was started (`npx -y pnpm@… test` sets npm_execpath to it: a
 * native executable in pnpm 12, a script in older versions), or the version the root
 * package.json names when vitest was started some other way.
 */
export function pnpmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env["npm_execpath"];
  if (execPath !== undefined && /pnpm[^/\\]*$/.test(execPath)) {
    return /\.[cm]?js$/.test(execPath)
      ? { command: process.execPath, prefix: [execPath] }
      : { command: execPath, prefix: [] };
  }
  const manifest = JSON.parse(readFileSync(`${WORKSPACE_ROOT}package.json`, "utf8")) as {
    packageManager?: string;
  };
  return { command: "npx", prefix: ["-y", manifest.packageManager ?? "pnpm"] };
}
