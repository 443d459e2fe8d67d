/**
 * Flag parsing on top of `node:util` `parseArgs`, turning its exceptions into `CliError`s
 * that point at the command's `--help`.
 *
 * A command declares its flags once, by kind (`{ db: "string", json: "boolean" }`), and reads
 * them through `Flags`, which knows the command's name for its usage errors and accepts only
 * the flags declared (a misspelt flag name is a type error, not an always-absent flag).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseTimestamp } from "@pacioli/core";
import { TestClock, type Clock } from "@pacioli/engine";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { DEFAULT_STREAM } from "./ledger-file.js";

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

/** A command's flags and their kinds. */
export type FlagKinds = Readonly<Record<string, "string" | "boolean">>;

/** Where a command finds its ledger: `--db FILE` and `--stream NAME`, read by `Flags.ledger()`. */
export const LEDGER_FLAGS = { db: "string", stream: "string" } as const;

/** The names of the flags of one kind. */
type FlagsOfKind<K extends FlagKinds, Kind> = {
  [F in keyof K]: K[F] extends Kind ? F : never;
}[keyof K] &
  string;

/** One command's parsed flags, read by name. */
export class Flags<K extends FlagKinds> {
  constructor(
    readonly command: string,
    private readonly parsed: Parsed,
  ) {}

  get positionals(): readonly string[] {
    return this.parsed.positionals;
  }

  /** The flag's value; a missing or empty one is a usage error. */
  required(flag: FlagsOfKind<K, "string">): string {
    return requireString(this.command, this.parsed, flag);
  }

  /** The flag's value, or undefined when it is not given. */
  string(flag: FlagsOfKind<K, "string">): string | undefined {
    return optionalString(this.parsed, flag);
  }

  /** The first positional argument; without it, a usage error that says what to name. */
  requiredPositional(missing: string, hint: string): string {
    const first = this.parsed.positionals[0];
    if (first === undefined) throw new CliError(missing, EXIT_USAGE, hint);
    return first;
  }

  /** `--db` (required) and `--stream` (the default stream when it is not given). */
  ledger(this: K extends typeof LEDGER_FLAGS ? Flags<K> : never): {
    readonly db: string;
    readonly stream: string;
  } {
    return {
      db: requireString(this.command, this.parsed, "db"),
      stream: optionalString(this.parsed, "stream") ?? DEFAULT_STREAM,
    };
  }

  /** Whether a boolean flag is given. */
  boolean(flag: FlagsOfKind<K, "boolean">): boolean {
    return this.parsed.values[flag] === true;
  }
}

/** Parses `argv` against the command's flags (and `--help`), at most `positionalsMax` positionals. */
export function commandFlags<const K extends FlagKinds>(
  command: string,
  argv: readonly string[],
  kinds: K,
  positionalsMax = 0,
): Flags<K> {
  const options: Options = {};
  for (const [flag, type] of Object.entries(kinds)) options[flag] = { type };
  return new Flags(command, parseFlags(command, argv, options, positionalsMax));
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

/** `--now TIME`: every command decided at this ledger time; undefined (the system clock) without it. */
export function clockFlag(text: string | undefined): Clock | undefined {
  if (text === undefined) return undefined;
  const at = parseTimestamp(text);
  if (at === undefined)
    throw new CliError(
      `--now ${JSON.stringify(text)} is not an ISO-8601 UTC time`,
      EXIT_USAGE,
      "write it like 2026-11-25T10:00:00Z",
    );
  return new TestClock(at);
}
