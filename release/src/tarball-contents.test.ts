/** The tarball checks find what they look for (a check that cannot fail proves nothing). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { notShipped, unresolvedImports, type Unpacked } from "./tarball-contents.js";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fakePackage(
  files: Record<string, string>,
  dependencies: Record<string, string>,
  exports?: Record<string, unknown>,
): Unpacked {
  root = mkdtempSync(join(tmpdir(), "pacioli-fake-package-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return {
    root,
    files: Object.keys(files).sort(),
    manifest: {
      name: "@pacioli/fake",
      version: "0.1.0",
      dependencies,
      ...(exports === undefined ? {} : { exports }),
    },
  };
}

it("reports a relative import of a file left out and a bare import nobody declared", () => {
  const unpacked = fakePackage(
    {
      "dist/index.js":
        'import { a } from "./a.js";\nexport * from "./testing/helpers.js";\nimport { readFileSync } from "node:fs";\nconst x = "values from "; // from "quoted text" is not an import\n',
      "dist/a.js":
        'import fc from "fast-check";\nimport * as E from "fp-ts/lib/Either.js";\nexport const a = () => import("vitest");\n',
      "dist/index.d.ts":
        'export type Adapter = typeof import("@pacioli/store-eventstoredb");\nexport * from "./a.js";\n',
      "dist/a.d.ts": "export declare const a: () => Promise<unknown>;\n",
    },
    { "fp-ts": "^2.16.11" },
  );
  expect(unresolvedImports(unpacked)).toEqual([
    "dist/a.js: fast-check is not a declared dependency",
    "dist/a.js: vitest is not a declared dependency",
    "dist/index.d.ts: @pacioli/store-eventstoredb is not a declared dependency",
    "dist/index.js: ./testing/helpers.js is not in the tarball",
  ]);
});

/** `notShipped` cases: the files of a package (all empty), its exports map, what it must name. */
const NOT_SHIPPED_CASES = [
  {
    rule: "names tests, test helpers, examples and build state as not to be shipped",
    files: [
      "dist/index.js",
      "dist/a.test.js",
      "dist/testing/money.js",
      "src/e2e/run-cli.ts",
      "dist/examples/x.js",
      "dist/.tsbuildinfo",
      "dist/testkit.js",
    ],
    exports: undefined,
    notShipped: [
      "dist/.tsbuildinfo",
      "dist/a.test.js",
      "dist/examples/x.js",
      "dist/testing/money.js",
      "src/e2e/run-cli.ts",
    ],
  },
  {
    rule: "lets test support ship only on a documented ./testing subpath",
    files: [
      "dist/testing/reference-model.js",
      "src/testing/reference-model.ts",
      "dist/testing/model.test.js",
      "dist/other/testing/x.js",
    ],
    exports: {
      "./testing": {
        types: "./dist/testing/reference-model.d.ts",
        default: "./dist/testing/reference-model.js",
      },
    },
    notShipped: ["dist/other/testing/x.js", "dist/testing/model.test.js"],
  },
];

for (const { rule, files, exports, notShipped: expected } of NOT_SHIPPED_CASES) {
  it(rule, () => {
    const emptyFiles = Object.fromEntries(files.map((file) => [file, ""]));
    expect(notShipped(fakePackage(emptyFiles, {}, exports))).toEqual(expected);
  });
}
