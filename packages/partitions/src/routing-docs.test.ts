/**
 * The routing table of docs/operations/partitions.md is the code's (the docs are the contract):
 * every command type has one row, its parties by kind are what `partiesOf` says of commands
 * drawn from core's model-run arbitraries (optional parties included), the types refused on
 * several partitions are `UNSUPPORTED_ON_SEVERAL_PARTITIONS`, and every status the CLI prints
 * for a partitioned ledger is documented.
 */
import { readFileSync } from "node:fs";
import { iso4217, ledgerCommandTypes, type LedgerCommand } from "@pacioli/core";
import { stepsArbitrary, worldStepsArbitrary } from "@pacioli/core/testing/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { partiesOf } from "./command-parties.js";
import { UNSUPPORTED_ON_SEVERAL_PARTITIONS } from "./command-routing.js";

const page = readFileSync(
  new URL("../../../docs/operations/partitions.md", import.meta.url),
  "utf8",
);

type Row = [placed: string, named: string, created: string];

/** The table's rows: `| \`Type\` | placed | named | created |`, "—" for none. */
function documentedRows(): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of page.split("\n")) {
    const match = /^\| `([A-Z]\w+)` +\|(.*)\|(.*)\|(.*)\|$/.exec(line);
    if (match === null) continue;
    const [, type, ...cells] = match as unknown as [string, string, string, string, string];
    expect(rows.has(type), `${type} has one row`).toBe(false);
    rows.set(type, cells.map((cell) => cell.trim()) as Row);
  }
  return rows;
}

/** What the code says, over many drawn commands: each kind once, in a stable order. */
function derivedRows(): Map<string, Row> {
  const commands: LedgerCommand[] = [
    ...fc.sample(worldStepsArbitrary(80), { numRuns: 60, seed: 28 }),
    ...fc.sample(stepsArbitrary({ maxLength: 80 }), { numRuns: 60, seed: 28 }),
  ].flatMap((steps) => steps.map((step) => step.command));
  const kinds = new Map<string, [Set<string>, Set<string>, Set<string>]>();
  for (const command of commands) {
    const row = kinds.get(command.type) ?? [new Set(), new Set(), new Set()];
    kinds.set(command.type, row);
    const of = partiesOf(command);
    if (of._tag === "Setting") {
      row[0].add("setting");
      continue;
    }
    of.parties.placed.forEach((party) => row[0].add(party.entity));
    of.parties.named.forEach((party) => row[1].add(party.entity));
    of.parties.created.forEach((party) => row[2].add(party.entity));
  }
  const cell = (set: Set<string>) => (set.size === 0 ? "—" : [...set].sort().join(", "));
  return new Map(
    [...kinds].map(([type, [placed, named, created]]) => [
      type,
      [cell(placed), cell(named), cell(created)],
    ]),
  );
}

describe("docs/operations/partitions.md", () => {
  it("has the routing table the code has, one row per command type", () => {
    const derived = derivedRows();
    const documented = documentedRows();
    expect([...documented.keys()].sort()).toEqual([...ledgerCommandTypes(iso4217)].sort());
    for (const [type, row] of derived) expect(documented.get(type), type).toEqual(row);
  });

  it("lists the settings refused on several partitions and every status of `partitions apply`", () => {
    const settings = [...documentedRows()]
      .filter(([, [placed]]) => placed === "setting")
      .map(([type]) => type);
    expect(settings.sort()).toEqual([...UNSUPPORTED_ON_SEVERAL_PARTITIONS].sort());
    for (const status of ["unsupported", "spans-partitions", "stranded", "unavailable"])
      expect(page).toContain(`\`${status}\``);
  });
});
