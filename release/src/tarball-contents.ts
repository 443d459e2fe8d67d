/**
 * What a packed tarball holds, read the way a user's install will see it: its files, its
 * manifest, and every import its shipped code makes. A relative import must name a shipped
 * file (nothing that `files` left out), and a bare one must be a Node built-in or a declared
 * dependency or peer (a user's install holds nothing else).
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, posix, relative } from "node:path";
import { runOk } from "./run.js";

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly engines?: Record<string, string>;
  readonly repository?: {
    readonly type: string;
    readonly url: string;
    readonly directory?: string;
  };
  readonly publishConfig?: Record<string, string>;
  readonly sideEffects?: boolean | readonly string[];
  readonly exports?: Record<string, unknown>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

export interface Unpacked {
  readonly root: string;
  /** Paths relative to the package root, with forward slashes. */
  readonly files: readonly string[];
  readonly manifest: Manifest;
}

export async function unpack(tarball: string, into: string): Promise<Unpacked> {
  mkdirSync(into, { recursive: true });
  await runOk("tar", ["xzf", tarball, "-C", into], { cwd: into });
  const root = join(into, "package");
  const files = walk(root)
    .map((file) => relative(root, file).split("\\").join("/"))
    .sort();
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest;
  return { root, files, manifest };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Files a user never runs: tests, test helpers, examples, build state. */
export const NOT_SHIPPED = [
  /\.test\.[cm]?[jt]s/,
  /\.tsbuildinfo$/,
  /(^|\/)testing\//,
  /(^|\/)e2e\//,
  /(^|\/)examples\//,
];

/**
 * Shipped files that should not be. Test support is allowed only on a documented
 * `./testing` subpath (core's reference model): its directory may ship, and
 * `unresolvedImports` then holds it to its declared dependencies like any other file.
 */
export function notShipped(unpacked: Unpacked): string[] {
  const testing = unpacked.manifest.exports?.["./testing"];
  const target =
    typeof testing === "string" ? testing : (testing as { default?: string } | undefined)?.default;
  const documented = target === undefined ? undefined : posix.dirname(posix.normalize(target));
  const onDocumentedSubpath = (file: string): boolean =>
    documented !== undefined &&
    [documented, documented.replace(/^dist\//, "src/")].some((dir) => file.startsWith(`${dir}/`)) &&
    !/\.test\./.test(file);
  return unpacked.files.filter(
    (file) => NOT_SHIPPED.some((pattern) => pattern.test(file)) && !onDocumentedSubpath(file),
  );
}

/** Static imports and re-exports as tsc emits them (each starts a line), and dynamic imports. */
const IMPORTS = [
  /^(?:import|export)\b[^;"]*?\bfrom\s*"([^"]+)"/gm,
  /^import\s*"([^"]+)"/gm,
  /\bimport\(\s*"([^"]+)"\s*\)/g,
];

/** Imports of the shipped JavaScript and declarations that a user's install cannot satisfy. */
export function unresolvedImports(unpacked: Unpacked): string[] {
  const shipped = new Set(unpacked.files);
  const declared = new Set(
    Object.keys({
      ...unpacked.manifest.dependencies,
      ...unpacked.manifest.peerDependencies,
      ...unpacked.manifest.optionalDependencies,
    }),
  );
  const problems: string[] = [];
  for (const file of unpacked.files.filter((name) => /\.(js|d\.ts)$/.test(name))) {
    const text = readFileSync(join(unpacked.root, file), "utf8");
    for (const specifier of IMPORTS.flatMap((pattern) =>
      [...text.matchAll(pattern)].map((match) => match[1] ?? ""),
    )) {
      if (specifier.startsWith(".")) {
        const target = posix.normalize(posix.join(dirname(file), specifier));
        const candidates = file.endsWith(".d.ts")
          ? [target.replace(/\.js$/, ".d.ts"), target]
          : [target];
        if (!candidates.some((candidate) => shipped.has(candidate)))
          problems.push(`${file}: ${specifier} is not in the tarball`);
      } else if (!isBuiltin(specifier) && !declared.has(packageOf(specifier))) {
        problems.push(`${file}: ${specifier} is not a declared dependency`);
      }
    }
  }
  return problems;
}

const packageOf = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
