/**
 * A service outside the workspace that installs the packed tarballs with npm, as a team
 * would: nothing of the monorepo is visible to it, only what the tarballs declare.
 *
 * better-sqlite3 compiles its native addon from source on install (about 80 s here). The
 * scratch project pins the version the workspace's lockfile tested (an npm override of the
 * caret range store-sqlite declares), installs with scripts off, and reuses the workspace's
 * addon for that same version and Node; when the workspace has none it builds it with
 * `npm rebuild`. Either way the service below loads a real better-sqlite3.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { tarballOf, type Tarballs } from "./pack-packages.js";
import { runOk } from "./run.js";
import { WORKSPACE_ROOT, npmName, type PublishedPackage } from "./workspace.js";

export interface ScratchProject {
  readonly root: string;
  /** Whether better-sqlite3's addon was copied from the workspace (else built by npm). */
  readonly reusedAddon: boolean;
}

const NATIVE_ADDON = join("build", "Release", "better_sqlite3.node");

export async function installScratchProject(
  root: string,
  tarballs: Tarballs,
  packages: readonly PublishedPackage[],
): Promise<ScratchProject> {
  mkdirSync(root, { recursive: true });
  const workspaceSqlite = dirname(
    createRequire(join(WORKSPACE_ROOT, "packages", "store-sqlite", "package.json")).resolve(
      "better-sqlite3/package.json",
    ),
  );
  const sqliteVersion = (
    JSON.parse(readFileSync(join(workspaceSqlite, "package.json"), "utf8")) as { version: string }
  ).version;
  const typesNodeVersion = (
    JSON.parse(readFileSync(join(WORKSPACE_ROOT, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies["@types/node"];
  const manifest = {
    name: "pacioli-scratch-service",
    private: true,
    type: "module",
    dependencies: Object.fromEntries(
      packages.map((dir) => [npmName(dir), `file:${tarballOf(tarballs, dir)}`]),
    ),
    devDependencies: { "@types/node": typesNodeVersion },
    overrides: { "better-sqlite3": sqliteVersion },
  };
  writeFileSync(join(root, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await runOk(
    "npm",
    [
      "install",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
    ],
    { cwd: root },
  );

  const installedSqlite = join(root, "node_modules", "better-sqlite3");
  const reusedAddon = existsSync(join(workspaceSqlite, NATIVE_ADDON));
  if (reusedAddon) {
    mkdirSync(dirname(join(installedSqlite, NATIVE_ADDON)), { recursive: true });
    copyFileSync(join(workspaceSqlite, NATIVE_ADDON), join(installedSqlite, NATIVE_ADDON));
  } else {
    await runOk("npm", ["rebuild", "better-sqlite3", "--foreground-scripts"], { cwd: root });
  }
  return { root, reusedAddon };
}

/** A tsconfig as a strict service writes it: every library's declarations checked too. */
export function writeTsconfig(
  root: string,
  name: string,
  moduleResolution: "bundler" | "nodenext",
  files: readonly string[],
  outDir?: string,
): string {
  const compilerOptions = {
    target: "ES2022",
    lib: ["ES2022"],
    module: moduleResolution === "bundler" ? "preserve" : "nodenext",
    moduleResolution,
    strict: true,
    skipLibCheck: false,
    types: ["node"],
    ...(outDir === undefined ? { noEmit: true } : { outDir, rootDir: "." }),
  };
  const path = join(root, name);
  writeFileSync(path, `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`);
  return path;
}
