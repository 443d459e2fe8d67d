#!/usr/bin/env node
/** Entry point of the `pacioli` binary. */
import { EXIT_INTERNAL } from "./cli/cli-error.js";
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `pacioli: internal error (a bug, please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_INTERNAL;
  },
);
