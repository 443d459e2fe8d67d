// @ts-check
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

// A bug is reported through core's AssertionFailure (one helper, one class the audit and the
// tests can recognise), never a hand-written "assertion failed" Error.
const handWrittenAssertions = [
  {
    selector: "NewExpression[callee.name='Error'] TemplateElement[value.raw=/^assertion.failed/]",
    message: "Throw AssertionFailure from @pacioli/core for a broken invariant.",
  },
  {
    selector: "NewExpression[callee.name='Error'] Literal[value=/^assertion.failed/]",
    message: "Throw AssertionFailure from @pacioli/core for a broken invariant.",
  },
];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/*.js", "**/*.d.ts", "vitest.config.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Money never passes through a JS number in the product. (The benchmarks format
    // throughput figures, which are numbers, with toFixed; they are not money.)
    files: ["packages/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: "Money is never a JS number: parse with core/money.",
        },
        {
          selector: "CallExpression[callee.property.name='toFixed']",
          message: "Money is never a JS number: format with core/money.",
        },
        ...handWrittenAssertions,
      ],
    },
  },
  {
    // The core is pure: no clock, no randomness, no Node built-ins, no I/O.
    files: ["packages/core/src/**/*.ts"],
    ignores: ["packages/core/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "path", "crypto", "os", "better-sqlite3"],
              message: "packages/core is pure: no Node built-ins or drivers.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "packages/core is pure." },
        { name: "Buffer", message: "packages/core is pure." },
        { name: "setTimeout", message: "packages/core is pure: time comes in on commands." },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "Date",
          property: "now",
          message: "packages/core is pure: time comes in on commands.",
        },
        {
          object: "Math",
          property: "random",
          message: "packages/core is pure: ids come in on commands.",
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date']",
          message: "packages/core is pure: time comes in on commands.",
        },
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: "Money is never a JS number.",
        },
        {
          selector: "CallExpression[callee.property.name='toFixed']",
          message: "Money is never a JS number.",
        },
        ...handWrittenAssertions,
      ],
    },
  },
  {
    // No import cycles: a module graph that is a tree (per package) is one a reader can follow
    // from the top, and one that initialises in a defined order.
    files: ["packages/**/*.ts", "benchmarks/**/*.ts", "release/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: "packages/*/tsconfig.json",
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // A source file holds one concept; past 600 lines of code it holds several.
    files: ["packages/**/*.ts", "benchmarks/**/*.ts", "release/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "max-lines": ["error", { max: 600, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ["**/*.test.ts"],
    rules: { "max-lines": ["error", { max: 900, skipBlankLines: true, skipComments: true }] },
  },
);
