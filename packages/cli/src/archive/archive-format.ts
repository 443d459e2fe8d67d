/**
 * The portable JSONL archive of a ledger stream.
 *
 *   line 1      {"events":N,"format":"pacioli-archive","lastHash":"<64 hex>","stream":"ledger-main","version":1}
 *   lines 2..   one stored event payload per line, byte for byte as the store holds it
 *
 * The header is canonical JSON and carries nothing that changes between runs (no export
 * time), so export → import → export gives identical bytes. `events` and `lastHash` anchor
 * the tail: without them, deleting the last events of an archive would leave a valid chain.
 */
import { canonicalJson } from "@pacioli/engine";
import { CliError, EXIT_USAGE } from "../cli/cli-error.js";

export const ARCHIVE_FORMAT = "pacioli-archive";
export const ARCHIVE_VERSION = 1;
/** A stream name an archive may carry: not empty, no whitespace or control characters. */
const STREAM_NAME = /^[^\s\u0000-\u001f\u007f]{1,200}$/;

export interface ArchiveHeader {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly version: number;
  readonly stream: string;
  readonly events: number;
  readonly lastHash: string;
}

export function headerLine(header: Omit<ArchiveHeader, "format" | "version">): string {
  return canonicalJson({
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    stream: header.stream,
    events: header.events,
    lastHash: header.lastHash,
  });
}

export function parseHeader(path: string, line: string | undefined): ArchiveHeader {
  const hint = "an archive starts with the header line `pacioli export --format jsonl` writes";
  if (line === undefined || line === "")
    throw new CliError(`${path} is empty, not a Pacioli archive`, EXIT_USAGE, hint);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new CliError(
      `${path}: line 1 is not JSON, so this is not a Pacioli archive`,
      EXIT_USAGE,
      hint,
    );
  }
  const header = parsed as Partial<ArchiveHeader> | null;
  if (typeof header !== "object" || header === null || header.format !== ARCHIVE_FORMAT) {
    throw new CliError(
      `${path}: line 1 is not a Pacioli archive header (no "format":"${ARCHIVE_FORMAT}")`,
      EXIT_USAGE,
      hint,
    );
  }
  if (header.version !== ARCHIVE_VERSION) {
    throw new CliError(
      `${path} is archive version ${String(header.version)}; this Pacioli reads version ${ARCHIVE_VERSION}`,
      EXIT_USAGE,
      "use the Pacioli version that wrote it, or export again",
    );
  }
  if (
    typeof header.stream !== "string" ||
    !Number.isSafeInteger(header.events) ||
    typeof header.lastHash !== "string"
  ) {
    throw new CliError(
      `${path}: the archive header lacks stream, events or lastHash`,
      EXIT_USAGE,
      hint,
    );
  }
  if (
    !STREAM_NAME.test(header.stream) ||
    (header.events as number) < 0 ||
    !/^[0-9a-f]{64}$/.test(header.lastHash)
  ) {
    throw new CliError(
      `${path}: the archive header names no usable stream, event count or chain head (stream ${JSON.stringify(header.stream)})`,
      EXIT_USAGE,
      hint,
    );
  }
  return header as ArchiveHeader;
}
