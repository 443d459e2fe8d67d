/**
 * A package README's runnable example: the first `ts` block of its "## Example" section,
 * and what it prints, the first `text` block of the same section. The published-shape check
 * compiles the one against the installed tarballs and compares its output with the other,
 * so a README cannot promise what the packages do not do.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WORKSPACE_ROOT, type PublishedPackage } from "./workspace.js";

export interface ReadmeExample {
  readonly code: string;
  readonly prints: string;
}

export function readmeExample(dir: PublishedPackage): ReadmeExample {
  const readme = readFileSync(join(WORKSPACE_ROOT, "packages", dir, "README.md"), "utf8");
  const section = /^## Example\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined)
    throw new Error(`packages/${dir}/README.md has no "## Example" section`);
  const block = (language: string): string => {
    const found = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "m").exec(section)?.[1];
    if (found === undefined)
      throw new Error(`packages/${dir}/README.md's Example has no \`\`\`${language} block`);
    return found;
  };
  return { code: block("ts"), prints: block("text") };
}
