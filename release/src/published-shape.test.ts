/**
 * The published shape, proven on the tarballs themselves (issue 15): every package packs
 * with only what a user runs and a complete manifest; publint and attw report nothing; a
 * strict service outside the workspace installs the tarballs with npm, typechecks the
 * READMEs' examples with `skipLibCheck: false` under `bundler` and `nodenext`, runs them and
 * gets what the READMEs say; the CLI works without its optional EventStoreDB adapter.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packPackages, tarballOf, type Tarballs } from "./pack-packages.js";
import { readmeExample } from "./readme-example.js";
import { run, runOk } from "./run.js";
import { installScratchProject, writeTsconfig, type ScratchProject } from "./scratch-project.js";
import { notShipped, unpack, unresolvedImports, type Unpacked } from "./tarball-contents.js";
import {
  PUBLISHED,
  WORKSPACE_ROOT,
  npmName,
  workspaceBin,
  type PublishedPackage,
} from "./workspace.js";

/** The packages a wallet service installs, and whose README examples it runs. */
const SERVICE_PACKAGES: readonly PublishedPackage[] = ["core", "engine", "store-sqlite", "server"];
/**
 * The packages whose README examples run here: the service's, and partitions (in memory).
 * store-eventstoredb's needs a server and store-testkit's a test runner; the CLI's README
 * (shell lines) is run by its own test below.
 */
const EXAMPLE_PACKAGES: readonly PublishedPackage[] = [...SERVICE_PACKAGES, "partitions"];
const TSC = join(WORKSPACE_ROOT, "node_modules", "typescript", "bin", "tsc");

let work = "";
let tarballs: Tarballs;
const unpacked = new Map<PublishedPackage, Unpacked>();
let scratch: ScratchProject;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "pacioli-published-"));
  tarballs = await packPackages(join(work, "tarballs"));
  expect(PUBLISHED).toEqual(
    expect.arrayContaining([
      ...SERVICE_PACKAGES,
      "store-eventstoredb",
      "store-testkit",
      "partitions",
      "cli",
    ]),
  );
  for (const dir of PUBLISHED)
    unpacked.set(dir, await unpack(tarballOf(tarballs, dir), join(work, "unpacked", dir)));
  // The CLI depends on @pacioli/partitions (`pacioli partitions`), so its tarball goes in too.
  scratch = await installScratchProject(join(work, "service"), tarballs, [
    ...SERVICE_PACKAGES,
    "partitions",
    "cli",
  ]);
  for (const dir of EXAMPLE_PACKAGES)
    writeFileSync(join(scratch.root, `${dir}-example.ts`), readmeExample(dir).code);
}, 600_000);

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

const contents = (dir: PublishedPackage): Unpacked => {
  const found = unpacked.get(dir);
  if (found === undefined) throw new Error(`packages/${dir} was not unpacked`);
  return found;
};

describe.each(PUBLISHED)("the %s tarball", (dir) => {
  it("ships its build, README and the full license, and no tests, test helpers or build state", () => {
    const { files } = contents(dir);
    expect(notShipped(contents(dir))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
      ]),
    );
    const license = readFileSync(join(contents(dir).root, "LICENSE"), "utf8");
    expect(license).toBe(readFileSync(join(WORKSPACE_ROOT, "LICENSE"), "utf8"));
    expect(license).toContain("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    expect(readFileSync(join(contents(dir).root, "README.md"), "utf8")).toMatch(/^## Example\n/m);
  });

  it("imports only files it ships and packages it declares", () => {
    expect(unresolvedImports(contents(dir))).toEqual([]);
  });

  it("has a publishable manifest: public, engines, repository, license, caret ranges, typed exports", () => {
    const manifest = contents(dir).manifest;
    expect(manifest.name).toBe(npmName(dir));
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe("Apache-2.0");
    expect(manifest.engines).toEqual({ node: ">=20.19" });
    expect(manifest.repository).toMatchObject({ type: "git", directory: `packages/${dir}` });
    expect(manifest.publishConfig).toEqual({ access: "public" });
    expect(manifest.sideEffects).toBeDefined();
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const [name, range] of Object.entries(ranges))
      expect(`${name}@${range}`).toMatch(/@\^\d+\.\d+\.\d+$/);
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (target === null || typeof target === "string") continue;
      expect(Object.keys(target as object)[0], `exports["${subpath}"] names its types first`).toBe(
        "types",
      );
    }
  });

  it("passes publint and attw (ESM-only profile) with nothing to report", async () => {
    const publint = await runOk(
      workspaceBin("publint"),
      ["run", "--strict", tarballOf(tarballs, dir)],
      { cwd: work },
    );
    expect(publint.stdout).toContain("All good!");
    const attw = await run(
      workspaceBin("attw"),
      [tarballOf(tarballs, dir), "--profile", "esm-only", "--format", "json"],
      { cwd: work },
    );
    const report = JSON.parse(attw.stdout) as {
      problems?: Record<string, { resolutionKind?: string }[]>;
    };
    // The ESM-only profile ignores node10 and require-from-CommonJS resolution: these packages are ESM.
    const problems = Object.values(report.problems ?? {})
      .flat()
      .filter(
        (problem) => problem.resolutionKind !== "node10" && problem.resolutionKind !== "node16-cjs",
      );
    expect(problems).toEqual([]);
    expect(attw.status).toBe(0);
  }, 120_000);
});

describe("a strict service outside the workspace, on the installed tarballs", () => {
  const examples = EXAMPLE_PACKAGES.map((dir) => `${dir}-example.ts`);

  it("typechecks the READMEs' examples with skipLibCheck off under moduleResolution bundler", async () => {
    const tsconfig = writeTsconfig(scratch.root, "tsconfig.bundler.json", "bundler", examples);
    await runOk(process.execPath, [TSC, "-p", tsconfig], { cwd: scratch.root });
  }, 120_000);

  it("typechecks them under nodenext", async () => {
    const tsconfig = writeTsconfig(
      scratch.root,
      "tsconfig.nodenext.json",
      "nodenext",
      examples,
      "out",
    );
    await runOk(process.execPath, [TSC, "-p", tsconfig], { cwd: scratch.root });
  }, 120_000);

  it.each(EXAMPLE_PACKAGES)(
    "runs the %s README's example (on SQLite files), and it prints what the README says",
    async (dir) => {
      const ran = await runOk(process.execPath, [join("out", `${dir}-example.js`)], {
        cwd: scratch.root,
      });
      expect(ran.stdout, `packages/${dir}/README.md's example`).toBe(readmeExample(dir).prints);
    },
    60_000,
  );

  it("runs every line of the CLI README's example with the installed pacioli, each exiting 0", async () => {
    const readme = readFileSync(join(WORKSPACE_ROOT, "packages", "cli", "README.md"), "utf8");
    const block = /^## Example\n[\s\S]*?^```sh\n([\s\S]*?)^```$/m.exec(readme)?.[1] ?? "";
    const lines = block
      .split("\n")
      .map((line) => line.replace(/#.*$/, "").trim())
      .filter((line) => line.startsWith("pacioli "));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const pacioli = join(scratch.root, "node_modules", ".bin", "pacioli");
    const dir = mkdtempSync(join(work, "cli-readme-"));
    for (const line of lines) {
      const ran = await run(pacioli, line.split(/\s+/).slice(1), { cwd: dir });
      expect(ran.status, `${line}\n${ran.stderr}`).toBe(0);
      expect(ran.stderr, line).not.toMatch(/\n\s+at /);
    }
  }, 300_000);

  it("runs the CLI without the EventStoreDB adapter, and a kurrentdb:// location exits 2 saying how to add it", async () => {
    const modules = join(scratch.root, "node_modules");
    expect(existsSync(join(modules, "@pacioli", "store-eventstoredb"))).toBe(false);
    expect(existsSync(join(modules, "@grpc"))).toBe(false);
    const pacioli = join(modules, ".bin", "pacioli");
    const demo = await run(pacioli, ["demo", "--db", join(work, "demo.db")], { cwd: scratch.root });
    expect(demo.status, demo.stderr).toBe(0);
    const server = await run(pacioli, ["audit", "--db", "kurrentdb://127.0.0.1:2113?tls=false"], {
      cwd: scratch.root,
    });
    expect(server.status).toBe(2);
    expect(server.stderr).toContain("EventStoreDB/KurrentDB support is not installed");
    expect(server.stderr).toContain("npm install @pacioli/store-eventstoredb");
    expect(server.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
