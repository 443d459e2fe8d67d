/**
 * Audit replay and start-up, each measured in a fresh process of its own:
 *
 *   node benchmarks/dist/replay-child.js audit FILE      → {"events","seconds","maxRssMiB","violations"}
 *   node benchmarks/dist/replay-child.js open FILE with|without
 *                                                        → {"events","seconds","maxRssMiB"}
 *
 * In the suite's own process the heap still holds what filling the file left behind, so GC
 * time and peak RSS would be the bench's, not the auditor's or the service's. A child starts
 * with nothing, as `pacioli audit` and a restarted service do.
 */
import { auditStream, openLedger, storeAuditSource } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";

const maxRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

async function audit(path: string): Promise<object> {
  const store = await openSqliteEventStore({ path });
  const started = performance.now();
  const report = await auditStream(storeAuditSource(store, "ledger-main"));
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  const violations = report.violations.length + report.violationsOmitted + (report.fatal === undefined ? 0 : 1);
  return { events: report.events, seconds, maxRssMiB: maxRssMiB(), violations };
}

async function open(path: string, useSnapshot: boolean): Promise<object> {
  const started = performance.now();
  const ledger = await openLedger({ store: await openSqliteEventStore({ path }), useSnapshot, snapshotEvery: 0 });
  const seconds = (performance.now() - started) / 1000;
  const events = ledger.sequence;
  await ledger.close();
  return { events, seconds, maxRssMiB: maxRssMiB() };
}

async function main([what, path, snapshot]: readonly (string | undefined)[]): Promise<void> {
  if (path === undefined) throw new Error("usage: replay-child.js audit FILE | open FILE with|without");
  const result = what === "audit" ? await audit(path) : await open(path, snapshot === "with");
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
