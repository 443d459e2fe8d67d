/**
 * What a core test reads of the run it is in. Core is pure, tests included: it has no `process`
 * or `console` types, so the environment and the log are reached through `globalThis`, here once.
 */

/** The run's environment variables (empty where there is no `process`). */
export const testEnv: Readonly<Record<string, string | undefined>> =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/** `PACIOLI_SOAK=1`: the long runs (minutes) instead of the ordinary ones. */
export const soak = testEnv["PACIOLI_SOAK"] === "1";

/** Prints a line of the run's figures. */
export const log = (line: string): void =>
  (globalThis as { console?: { log: (text: string) => void } }).console?.log(line);
