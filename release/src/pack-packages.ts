/**
 * Packs every published package as `pnpm publish` would: `prepack` builds it, `files`
 * chooses what ships, and `workspace:^` ranges become caret ranges on the packed version.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runOk } from "./run.js";
import { PUBLISHED, WORKSPACE_ROOT, pnpmCommand, type PublishedPackage } from "./workspace.js";

export type Tarballs = ReadonlyMap<PublishedPackage, string>;

export async function packPackages(destination: string): Promise<Tarballs> {
  mkdirSync(destination, { recursive: true });
  const pnpm = pnpmCommand();
  const filters = PUBLISHED.flatMap((dir) => ["--filter", `./packages/${dir}`]);
  await runOk(
    pnpm.command,
    [...pnpm.prefix, ...filters, "-r", "pack", "--pack-destination", destination],
    { cwd: WORKSPACE_ROOT },
  );
  const entries = PUBLISHED.map((dir) => {
    const { version } = JSON.parse(
      readFileSync(join(WORKSPACE_ROOT, "packages", dir, "package.json"), "utf8"),
    ) as { version: string };
    const tarball = join(destination, `pacioli-${dir}-${version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`pnpm pack wrote no ${tarball}`);
    return [dir, tarball] as const;
  });
  return new Map(entries);
}

export function tarballOf(tarballs: Tarballs, dir: PublishedPackage): string {
  const tarball = tarballs.get(dir);
  if (tarball === undefined) throw new Error(`packages/${dir} was not packed`);
  return tarball;
}
