/**
 * Reads a JSONL archive as an audit source: the header, then pages of payloads, streamed
 * line by line so an archive of millions of events never sits in memory, in pages of the
 * journal's size (`JOURNAL_PAGE_SIZE`: larger pages die in the old generation).
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { JOURNAL_PAGE_SIZE, type AuditRecord, type AuditSource } from "@pacioli/engine";
import { CliError, EXIT_USAGE } from "../cli/cli-error.js";
import { parseHeader, type ArchiveHeader } from "./archive-format.js";

export interface ArchiveSource extends AuditSource {
  readonly header: ArchiveHeader;
}

export async function openArchive(path: string): Promise<ArchiveSource> {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new CliError(
      `no archive at ${path}`,
      EXIT_USAGE,
      "pass the file `pacioli export --format jsonl` wrote",
    );
  const header = parseHeader(path, await firstLine(path));
  return {
    stream: header.stream,
    header,
    async *pages() {
      const lines = createInterface({
        input: createReadStream(path, { encoding: "utf8" }),
        crlfDelay: Infinity,
      });
      let page: AuditRecord[] = [];
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber += 1;
        if (lineNumber === 1) continue; // the header
        if (line === "") continue; // blank lines carry no event (a trailing newline)
        page.push({ payload: line });
        if (page.length >= JOURNAL_PAGE_SIZE) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
  };
}

async function firstLine(path: string): Promise<string | undefined> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}
