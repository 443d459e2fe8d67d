/**
 * The HTTP overhead benchmark at its quick size, so it cannot rot: every path runs and every
 * transfer is accepted on each (the same work embedded and over HTTP). No timing is asserted.
 */
import { describe, expect, it } from "vitest";
import { measureHttpOverhead, OVERHEAD_SIZES, overheadTable } from "./http-overhead.js";

describe("the HTTP overhead benchmark (quick)", () => {
  it("runs the same transfers embedded and over HTTP, all accepted", async () => {
    const rows = await measureHttpOverhead(OVERHEAD_SIZES.quick);
    expect(rows.map((row) => row.path)).toEqual([
      "embedded ledger.execute",
      "embedded ledger.execute",
      "HTTP POST /commands (keep-alive)",
      "HTTP POST /commands (keep-alive)",
      "HTTP POST /commands:batch of 100 (latency per batch)",
    ]);
    for (const row of rows)
      expect({ path: row.path, accepted: row.accepted }).toEqual({
        path: row.path,
        accepted: row.commands,
      });
    expect(overheadTable(rows).split("\n")).toHaveLength(rows.length + 2);
  }, 120_000);
});
