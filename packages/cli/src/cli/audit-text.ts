/** The audit report as a person reads it, and as JSON for tools. */
import type { AuditReport } from "@pacioli/engine";
import { jsonText } from "./json-text.js";
import { moneyText } from "./money-text.js";

export const CHECKS_RUN = [
  "canonical bytes",
  "hash chain",
  "sequence continuity",
  "store envelope",
  "balanced postings",
  "fold (evolve assertions)",
  "holds, captures, refunds",
  "held = open holds, overdraft, escrow",
  "idempotency keys",
  "trial balance",
  "projections and snapshot",
];

export function auditText(report: AuditReport, source: string): string {
  const trial = [...report.trialBalance]
    .map(([currency, total]) => `${currency} ${moneyText(total, currency)}`)
    .join(", ");
  const seconds = report.elapsedMs / 1000;
  const rate =
    seconds > 0
      ? Math.round((report.events - (report.resumedAt ?? 0)) / seconds).toLocaleString("en-US")
      : "-";
  const resumedAt = report.resumedAt;
  const replayed = report.events - (resumedAt ?? 0);
  const lines = [
    `Audit of ${source} (stream ${report.stream})`,
    resumedAt === undefined
      ? `  events replayed   ${report.events}`
      : `  events replayed   ${replayed} (events ${resumedAt + 1}..${report.events}; 1..${resumedAt} from your audit state)`,
    `  chain head        ${report.lastHash}`,
    `  snapshot          ${report.snapshotVersion === undefined ? "none stored" : `compared at version ${report.snapshotVersion}`}`,
    `  trial balance     ${trial === "" ? "(no postings)" : trial}`,
    `  checks            ${CHECKS_RUN.join(", ")}`,
    `  time              ${Math.round(report.elapsedMs)} ms (${rate} events/s)`,
  ];
  const count = report.violations.length + report.violationsOmitted;
  if (count === 0) {
    lines.push(
      "",
      resumedAt === undefined
        ? `Verdict: CLEAN: ${report.events} events replayed, every check passed.`
        : `Verdict: CLEAN: the ${replayed} events after your audit state pass every check; with it, all ${report.events} have.`,
    );
    return lines.join("\n");
  }
  const first = report.violations[0];
  lines.push(
    "",
    `Verdict: ${count} VIOLATION${count === 1 ? "" : "S"}${first === undefined ? "" : `, the first at event ${first.position}`}.`,
  );
  for (const violation of report.violations) {
    const where = violation.position === 0 ? "stream" : `event ${violation.position}`;
    lines.push(
      `  ${where.padEnd(11)} ${violation.check.padEnd(13)} ${violation.message.replace(/\n/g, "\n" + " ".repeat(27))}`,
    );
  }
  if (report.violationsOmitted > 0)
    lines.push(`  … and ${report.violationsOmitted} more (raise --max-violations to see them)`);
  if (report.fatal !== undefined)
    lines.push(
      "",
      `Replay stopped at event ${report.fatal.position}: it cannot be read, so nothing after it was checked.`,
    );
  return lines.join("\n");
}

/** The report as one JSON object; `extra` fields (an incremental audit's) come after `clean`. */
export function auditJson(
  report: AuditReport,
  source: string,
  extra: Record<string, unknown> = {},
): string {
  return jsonText({
    source,
    stream: report.stream,
    clean: report.violations.length === 0 && report.violationsOmitted === 0,
    ...extra,
    events: report.events,
    resumedAt: report.resumedAt ?? null,
    lastHash: report.lastHash,
    snapshotVersion: report.snapshotVersion ?? null,
    violations: report.violations,
    violationsOmitted: report.violationsOmitted,
    stoppedAt: report.fatal?.position ?? null,
    trialBalance: Object.fromEntries(
      [...report.trialBalance].map(([currency, total]) => [currency, moneyText(total, currency)]),
    ),
    balances: report.balances.map((row) => ({
      account: row.account,
      currency: row.currency,
      balance: moneyText(row.balance, row.currency),
    })),
    elapsedMs: Math.round(report.elapsedMs),
  });
}
