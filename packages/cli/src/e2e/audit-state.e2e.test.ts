/**
 * The daily audit from the auditor's own state, end to end through the built binary: a full
 * audit bound to a checkpoint saves the state; the next day `audit --since CP --state FILE`
 * replays only what is new, with every check, and reports what the full audit reports for
 * those events; each way of tampering is found with its position, and a state that is damaged,
 * edited or another checkpoint's is unusable input (exit 2), never a stack trace.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoLedger, pacioli, scratchDir, violationAt } from "./run-cli.js";
import { openSqlite } from "./tamper-kit.js";
import { checkpoint, grow, keyed, rewriteAndRehash } from "./verifiable-kit.js";

interface Report {
  clean: boolean;
  consistent?: boolean;
  events: number;
  resumedAt: number | null;
  replayed?: number;
  violations: { check: string; position: number; message: string }[];
  balances: unknown[];
  trialBalance: unknown;
  lastHash: string;
}

function audit(args: readonly string[]): { status: number | null; report: Report; stderr: string } {
  const run = pacioli(["audit", ...args, "--json"]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

/** `audit --since CP --state STATE` (with a newer checkpoint and a state to save, when given). */
function dailyAudit(
  db: string,
  since: string,
  state: string,
  vkey: string,
  next?: { readonly checkpoint: string; readonly save: string },
) {
  const bound =
    next === undefined ? [] : ["--checkpoint", next.checkpoint, "--save-state", next.save];
  return audit(["--db", db, "--since", since, "--state", state, "--key", vkey, ...bound]);
}

/** Day 1: a demo ledger, its checkpoint, and the auditor's full audit bound to it, saved. */
function dayOne() {
  const dir = scratchDir();
  const db = demoLedger(dir);
  const { key, vkey } = keyed(dir);
  const day1 = join(dir, "day1.cp");
  const state1 = join(dir, "day1.state");
  checkpoint(db, key, day1);
  const full = audit(["--db", db, "--checkpoint", day1, "--key", vkey, "--save-state", state1]);
  expect(full.status, full.stderr).toBe(0);
  expect(full.stderr).toContain(`audit state after 21 events written to ${state1}`);
  return { dir, db, key, vkey, day1, state1 };
}

describe("audit --since CHECKPOINT --state FILE: the daily audit from your own state", () => {
  it("replays only the new events with every check, and chains day after day", () => {
    const { dir, db, key, vkey, day1, state1 } = dayOne();
    grow(dir, db);
    const day2 = join(dir, "day2.cp");
    const state2 = join(dir, "day2.state");
    checkpoint(db, key, day2);
    const since = dailyAudit(db, day1, state1, vkey, { checkpoint: day2, save: state2 });
    expect(since.status, since.stderr).toBe(0);
    expect(since.report).toMatchObject({
      clean: true,
      consistent: true,
      events: 23,
      resumedAt: 21,
      replayed: 2,
    });
    const full = audit(["--db", db]);
    expect(since.report.balances).toEqual(full.report.balances);
    expect(since.report.trialBalance).toEqual(full.report.trialBalance);
    expect(since.report.lastHash).toBe(full.report.lastHash);
    expect(existsSync(state2)).toBe(true);

    // Day 3: from the state saved on day 2. Nothing new: nothing replayed, still clean.
    const day3 = dailyAudit(db, day2, state2, vkey);
    expect(day3.status).toBe(0);
    expect(day3.report).toMatchObject({ clean: true, events: 23, resumedAt: 23, replayed: 0 });
    const text = pacioli(["audit", "--db", db, "--since", day1, "--state", state1, "--key", vkey]);
    expect(text.stdout).toContain(
      "events replayed   2 (events 22..23; 1..21 from your audit state)",
    );
  }, 120_000);

  it("reports what the full audit reports after the state: an idempotency key reused across it", () => {
    const { dir, db, vkey, day1, state1 } = dayOne();
    grow(dir, db);
    // A forger re-keys the new deposit with a key the demo used within the last 24 h.
    rewriteAndRehash(db, 22, '"idempotencyKey":"late-dep"', '"idempotencyKey":"demo-fees"');
    const full = audit(["--db", db]);
    const since = dailyAudit(db, day1, state1, vkey);
    expect(since.status).toBe(1);
    expect(since.report.violations).toContainEqual(
      violationAt("idempotency", 23, "idempotency key demo-fees already recorded a command"),
    );
    expect(since.report.violations).toEqual(
      full.report.violations.filter((violation) => violation.position > 21),
    );
  }, 120_000);

  it("finds each way of tampering against the checkpoint, with its position", () => {
    const { dir, db, key, vkey, day1, state1 } = dayOne();
    const since = (ledger: string) => dailyAudit(ledger, day1, state1, vkey);

    const cut = join(dir, "cut.db");
    copyFileSync(db, cut);
    const sqlite = openSqlite(cut);
    sqlite.prepare("DELETE FROM events WHERE stream_index >= 19").run();
    sqlite.close();
    expect(since(cut)).toMatchObject({
      status: 1,
      report: { violations: [violationAt("consistency", 20, "events 20..21 were removed")] },
    });

    const rewritten = join(dir, "rewritten.db");
    copyFileSync(db, rewritten);
    rewriteAndRehash(rewritten, 5, '"sourceId":"card-4242"', '"sourceId":"card-9999"');
    expect(since(rewritten)).toMatchObject({
      status: 1,
      report: {
        consistent: false,
        violations: [violationAt("consistency", 21, "at or before event 21 was rewritten")],
      },
    });

    const forger = keyed(dir);
    checkpoint(rewritten, forger.key, join(dir, "forged.cp"));
    const resigned = pacioli([
      "audit",
      "--db",
      rewritten,
      "--since",
      join(dir, "forged.cp"),
      "--state",
      state1,
      "--key",
      vkey,
    ]);
    expect(resigned.status).toBe(1);
    expect(resigned.stderr).toContain("signed by another key");

    const old = join(dir, "old.db");
    copyFileSync(db, old);
    grow(dir, db);
    const day2 = join(dir, "day2.cp");
    checkpoint(db, key, day2);
    const state2 = join(dir, "day2.state");
    expect(dailyAudit(db, day1, state1, vkey, { checkpoint: day2, save: state2 }).status).toBe(0);
    copyFileSync(old, db); // rolled back to the copy of day 1
    expect(dailyAudit(db, day2, state2, vkey)).toMatchObject({
      status: 1,
      report: { violations: [violationAt("consistency", 22, "events 22..23 were removed")] },
    });
  }, 180_000);

  it("refuses a state that is damaged, edited or not the checkpoint's: exit 2, a message", () => {
    const { dir, db, key, vkey, day1, state1 } = dayOne();
    const edited = join(dir, "edited.state");
    writeFileSync(edited, readFileSync(state1, "utf8").replace('"highest":21', '"highest":20'));
    grow(dir, db);
    const day2 = join(dir, "day2.cp");
    checkpoint(db, key, day2);
    const cases: [readonly string[], string][] = [
      [["--since", day1, "--state", edited, "--key", vkey], "digest does not match"],
      [["--since", day2, "--state", state1, "--key", vkey], "the checkpoint is of 23 events"],
      [["--since", day1, "--state", join(dir, "missing.state"), "--key", vkey], "no audit state"],
      [["--since", day1, "--state", day1, "--key", vkey], "not an audit state file"],
      [["--state", state1], "give --since too"],
      [["--since", day1, "--key", vkey, "--save-state", join(dir, "x")], "give --state"],
      [["--checkpoint", day1, "--save-state", join(dir, "x")], "--checkpoint needs"],
    ];
    for (const [args, message] of cases) {
      const run = pacioli(["audit", "--db", db, ...args]);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toContain(message);
      expect(run.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
    }
    // A full audit bound to a checkpoint the ledger no longer matches saves nothing.
    const stale = join(dir, "stale.state");
    const boundAudit = () =>
      audit(["--db", db, "--checkpoint", day2, "--key", vkey, "--save-state", stale]);
    expect(boundAudit().status).toBe(0);
    rewriteAndRehash(db, 5, '"sourceId":"card-4242"', '"sourceId":"card-9999"');
    const rewritten = boundAudit();
    expect(rewritten.status).toBe(1);
    expect(rewritten.report.violations).toEqual([
      violationAt("consistency", 23, "do not hash to the checkpoint's root"),
    ]);
    expect(rewritten.stderr).toContain("audit state not written");
  }, 180_000);
});
