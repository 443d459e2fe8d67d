import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const packages = [
  "core",
  "engine",
  "store-sqlite",
  "store-eventstoredb",
  "store-testkit",
  "server",
  "cli",
  "partitions",
];

// Tests run against the TypeScript sources, so `vitest` needs no prior build;
// the CLI end-to-end tests spawn the built `dist/` (the test command builds first).
export default defineConfig({
  resolve: {
    alias: [
      // Exact matches (a string `find` matches any import it prefixes).
      {
        find: /^@pacioli\/core\/testing\/requests$/,
        replacement: fileURLToPath(
          new URL("./packages/core/src/testing/command-requests.ts", import.meta.url),
        ),
      },
      {
        find: /^@pacioli\/core\/testing\/arbitraries$/,
        replacement: fileURLToPath(
          new URL("./packages/core/src/testing/model-run-arbitraries.ts", import.meta.url),
        ),
      },
      {
        find: /^@pacioli\/core\/testing$/,
        replacement: fileURLToPath(
          new URL("./packages/core/src/testing/reference-model.ts", import.meta.url),
        ),
      },
      ...packages.map((name) => ({
        find: new RegExp(`^@pacioli/${name}$`),
        replacement: fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
      })),
    ],
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "benchmarks/src/**/*.test.ts",
      "release/src/**/*.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
