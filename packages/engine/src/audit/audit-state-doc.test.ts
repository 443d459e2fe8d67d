/**
 * docs/reference/audit-state.md documents the audit state file: its header table names exactly
 * the fields `writeAuditState` writes on line 1, its lines table the sections of lines 2–5 in
 * order, and the format string is the current one.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deposit, openWallet } from "@pacioli/core/testing/requests";
import { storeAuditSource } from "./audit-source.js";
import { AUDIT_STATE_FORMAT, writeAuditState } from "./audit-state-file.js";
import type { AuditState } from "./audit-state.js";
import { auditStream } from "./audit-stream.js";
import { chained, recordedStory, STREAM } from "./testing/forged-streams.js";

const doc = readFileSync(
  new URL("../../../../docs/reference/audit-state.md", import.meta.url),
  "utf8",
);

describe("docs/reference/audit-state.md", () => {
  it("documents the header fields and sections the writer writes", async () => {
    const store = await chained(await recordedStory([openWallet("w1"), deposit("w1", "5.00")]));
    const report = await auditStream(storeAuditSource(store, STREAM), { saveState: true });
    const path = join(mkdtempSync(join(tmpdir(), "pacioli-state-doc-")), "s");
    await writeAuditState(path, report.state as AuditState);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
    const fields = doc.slice(doc.indexOf("Header fields:"));
    const documented = [...fields.matchAll(/^\| `([a-zA-Z]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual(Object.keys(header));
    expect(header["format"]).toBe(AUDIT_STATE_FORMAT);
    expect(doc).toContain(`\`"${AUDIT_STATE_FORMAT}"\``);
    const sections = lines
      .slice(1, 5)
      .map((line) => Object.keys(JSON.parse(line) as Record<string, unknown>)[0]);
    const rows = [...doc.matchAll(/^\| [2-5] \| `\{"([a-z]+)":/gm)].map((match) => match[1]);
    expect(rows).toEqual(sections);
    expect(Object.keys(JSON.parse(lines.at(-1) as string) as object)).toEqual(["digest"]);
  });
});
