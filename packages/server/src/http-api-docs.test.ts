/**
 * The docs are the contract: the routes and the status codes of docs/reference/http-api.md
 * are those of the OpenAPI document, which is tested against the server; the metrics of
 * docs/operations/observability.md are those a server registers.
 */
import { readFileSync } from "node:fs";
import { iso4217 } from "@pacioli/core";
import { MemoryEventStore } from "@pacioli/engine";
import { describe, expect, it } from "vitest";
import { apiDescription } from "./openapi/openapi-document.js";
import { openPacioliServer } from "./pacioli-server.js";

const docs = (path: string) =>
  readFileSync(new URL(`../../../docs/${path}`, import.meta.url), "utf8");
const document = apiDescription(iso4217).document as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

/** The rows of the markdown table that follows a heading, as arrays of cells. */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of text.slice(start).split("\n").slice(1)) {
    if (line.startsWith("|"))
      rows.push(
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    else if (rows.length > 0) break;
  }
  return rows.slice(2); // header and separator
}

describe("docs/reference/http-api.md", () => {
  const text = docs("reference/http-api.md");

  it("lists exactly the routes of the OpenAPI document", () => {
    const documented = tableAfter(text, "## Routes").map((row) => (row[0] ?? "").replace(/`/g, ""));
    const served = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(served.sort());
  });

  it("lists exactly the status codes POST /commands answers", () => {
    const documented = tableAfter(text, "## Executing a command").map((row) => row[0]);
    expect(documented.sort()).toEqual(
      Object.keys(document.paths["/commands"]?.["post"]?.responses ?? {}).sort(),
    );
  });
});

describe("docs/operations/observability.md", () => {
  it("lists exactly the metrics a server registers (besides Node's process metrics)", async () => {
    const server = await openPacioliServer({ store: new MemoryEventStore() });
    try {
      const registered = (await server.metrics.registry.getMetricsAsJSON())
        .map((metric) => metric.name)
        .filter((name) => !name.startsWith("pacioli_process_"));
      const documented = tableAfter(docs("operations/observability.md"), "## Metrics").map((row) =>
        (row[0] ?? "").replace(/`/g, ""),
      );
      expect(documented.sort()).toEqual(registered.sort());
    } finally {
      await server.close();
    }
  });
});
