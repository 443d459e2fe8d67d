/**
 * Flag parsing on top of `node:util` `parseArgs`, turning its exceptions into `CliError`s
 * that point at the command's `--help`.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError, EXIT_USAGE } from "./cli-error.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

export function parseFlags(
  command: string,
  argv: readonly string[],
  options: Options,
  positionalsMax: number,
): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(
      (error as Error).message.replace(/\. To specify a positional.*$/s, ""),
      EXIT_USAGE,
      `run \`pacioli ${command} --help\` for usage`,
    );
  }
  if (parsed.positionals.length > positionalsMax) {
    throw new CliError(
      `unexpected argument ${JSON.stringify(parsed.positionals[positionalsMax])}`,
      EXIT_USAGE,
      `run \`pacioli ${command} --help\` for usage`,
    );
  }
  return {
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
  };
}

export function requireString(command: string, parsed: Parsed, flag: string): string {
  const value = parsed.values[flag];
  if (typeof value !== "string" || value === "")
    throw new CliError(
      `--${flag} is required`,
      EXIT_USAGE,
      `run \`pacioli ${command} --help\` for usage`,
    );
  return value;
}

export function optionalString(parsed: Parsed, flag: string): string | undefined {
  const value = parsed.values[flag];
  return typeof value === "string" ? value : undefined;
}

export function positiveInteger(
  flag: string,
  text: string | undefined,
  fallback: number,
  max = 999_999_999,
): number {
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]{0,8}$/.test(text) || Number(text) > max) {
    throw new CliError(
      `--${flag} must be a whole number from 1 to ${max}, got ${JSON.stringify(text)}`,
      EXIT_USAGE,
      `run \`pacioli --help\` for usage`,
    );
  }
  return Number(text);
}
