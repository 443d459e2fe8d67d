/**
 * The verifiable ledger end to end, through the built `pacioli` binary: an auditor keeps a
 * signed checkpoint; the ledger grows and `audit --since` / `verify` accept it; each way of
 * tampering (a cut tail, a rewritten and re-hashed past, a rewrite re-signed with another
 * key, a rolled-back file) is caught against the checkpoint taken before, with its position.
 */
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoLedger, pacioli, scratchDir, violationAt } from "./run-cli.js";
import { openSqlite } from "./tamper-kit.js";
import { checkpoint, grow, keyed, rewriteAndRehash } from "./verifiable-kit.js";

interface SinceReport {
  clean: boolean;
  consistent: boolean;
  treeSize: number;
  replayed: number;
  snapshotVersion: number | null;
  violations: { check: string; position: number; message: string }[];
}
interface VerifyReport {
  verified: boolean;
  reason?: string;
  position?: number | null;
}

function auditSince(
  db: string,
  since: string,
  vkey: string,
): { status: number | null; report: SinceReport } {
  const run = pacioli(["audit", "--db", db, "--since", since, "--key", vkey, "--json"]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return { status: run.status, report: JSON.parse(run.stdout) as SinceReport };
}

function verify(args: readonly string[]): { status: number | null; report: VerifyReport } {
  const run = pacioli(["verify", ...args, "--json"]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return { status: run.status, report: JSON.parse(run.stdout) as VerifyReport };
}

/** `verify` of a proof pinned to a checkpoint the auditor kept. */
function verifyPinned(
  vkey: string,
  proof: string,
  checkpoint: string,
): { status: number | null; report: VerifyReport } {
  return verify(["--key", vkey, "--proof", proof, "--checkpoint", checkpoint]);
}

/** Runs `prove` with the signer key into `out`; returns its exit status. */
function prove(db: string, key: string, target: readonly string[], out: string): number | null {
  return pacioli(["prove", "--db", db, "--key-file", key, ...target, "--out", out]).status;
}

/** The demo ledger in a fresh folder, with a signer key and its verifier key. */
function keyedDemo(): { dir: string; db: string; key: string; vkey: string } {
  const dir = scratchDir();
  return { dir, db: demoLedger(dir), ...keyed(dir) };
}

/** The arguments of a signed `statement` of ana's wallet, then `more`. */
function anaStatement(db: string, key: string, more: readonly string[]): string[] {
  return ["statement", "--db", db, "--wallet", "ana-wallet", "--key-file", key, ...more];
}

describe("the verifiable ledger, end to end", () => {
  it("an auditor keeps a checkpoint; the next day the ledger only grew: audit --since, a consistency proof and a statement verify", () => {
    const { dir, db, key, vkey } = keyedDemo();
    checkpoint(db, key, join(dir, "day1.cp"));
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "day1.cp"), "utf8")).toMatch(
      /^pacioli\.example\/ledger-main\n21\n[A-Za-z0-9+/]{43}=\n\n\u2014 pacioli\.example\/ledger-main [A-Za-z0-9+/]+=*\n$/,
    );
    grow(dir, db);

    const { status, report } = auditSince(db, join(dir, "day1.cp"), vkey);
    expect(status).toBe(0);
    expect(report).toMatchObject({ clean: true, consistent: true, treeSize: 23, violations: [] });
    // The demo's snapshot (at 21, the checkpoint's size) is the start: only the 2 new events are replayed.
    expect(report).toMatchObject({ snapshotVersion: 21, replayed: 2 });

    expect(
      prove(
        db,
        key,
        ["--old-checkpoint", join(dir, "day1.cp"), "--key", vkey],
        join(dir, "grew.json"),
      ),
    ).toBe(0);
    expect(verifyPinned(vkey, join(dir, "grew.json"), join(dir, "day1.cp"))).toMatchObject({
      status: 0,
      report: { verified: true },
    });

    expect(
      pacioli(
        anaStatement(db, key, ["--from", "2026-11-25T10:08:00Z", "--out", join(dir, "ana.json")]),
      ).status,
    ).toBe(0);
    const statement = JSON.parse(readFileSync(join(dir, "ana.json"), "utf8")) as {
      lines: { sequence: number }[];
    };
    expect(statement.lines.map((line) => line.sequence)).toEqual([
      9, 9, 10, 11, 12, 13, 14, 20, 21,
    ]);
    expect(verify(["--key", vkey, "--proof", join(dir, "ana.json")])).toMatchObject({
      status: 0,
      report: { verified: true },
    });

    expect(prove(db, key, ["--idempotency-key", "late-dep"], join(dir, "late.json"))).toBe(0);
    expect(
      (JSON.parse(readFileSync(join(dir, "late.json"), "utf8")) as { sequence: number }).sequence,
    ).toBe(23);
    expect(verify(["--key", vkey, "--proof", join(dir, "late.json")]).status).toBe(0);
  });

  it("the last events deleted: found at the first missing event", () => {
    const { dir, db, key, vkey } = keyedDemo();
    checkpoint(db, key, join(dir, "day1.cp"));
    const sqlite = openSqlite(db);
    sqlite.prepare("DELETE FROM events WHERE stream_index >= 19").run();
    sqlite.prepare("DELETE FROM snapshots").run();
    sqlite.close();
    const { status, report } = auditSince(db, join(dir, "day1.cp"), vkey);
    expect(status).toBe(1);
    expect(report.violations).toEqual([
      violationAt("consistency", 20, "events 20..21 were removed"),
    ]);
    const prove = pacioli([
      "prove",
      "--db",
      db,
      "--key-file",
      key,
      "--old-checkpoint",
      join(dir, "day1.cp"),
      "--key",
      vkey,
    ]);
    expect(prove.status).toBe(1);
    expect(prove.stderr).toContain("events 20..21 were removed");
  });

  it("an old event rewritten and the chain re-hashed: the full audit cannot see it, the checkpoint can", () => {
    const { dir, db, key, vkey } = keyedDemo();
    checkpoint(db, key, join(dir, "day1.cp"));
    expect(prove(db, key, ["--sequence", "6"], join(dir, "e6-before.json"))).toBe(0);
    rewriteAndRehash(db, 5, '"sourceId":"card-4242"', '"sourceId":"card-9999"');

    expect(pacioli(["audit", "--db", db]).status).toBe(0); // the chain was re-hashed: the full replay is clean
    const { status, report } = auditSince(db, join(dir, "day1.cp"), vkey);
    expect(status).toBe(1);
    expect(report.consistent).toBe(false);
    expect(report.violations).toEqual([
      violationAt("consistency", 21, "at or before event 21 was rewritten"),
    ]);

    // The event's new inclusion proof, pinned to the kept checkpoint, fails at its position.
    expect(prove(db, key, ["--sequence", "6"], join(dir, "e6-after.json"))).toBe(0);
    const pinned = verifyPinned(vkey, join(dir, "e6-after.json"), join(dir, "day1.cp"));
    expect(pinned.status).toBe(1);
    expect(pinned.report.reason).toContain("different roots");
    // The proof kept from before still verifies against the checkpoint: the customer's evidence survives.
    expect(verifyPinned(vkey, join(dir, "e6-before.json"), join(dir, "day1.cp")).status).toBe(0);
    // Serving the rewritten event with the old path: the leaf no longer leads to the root.
    const before = JSON.parse(readFileSync(join(dir, "e6-before.json"), "utf8")) as {
      event: string;
    };
    const after = JSON.parse(readFileSync(join(dir, "e6-after.json"), "utf8")) as { event: string };
    writeFileSync(join(dir, "e6-forged.json"), JSON.stringify({ ...before, event: after.event }));
    expect(verify(["--key", vkey, "--proof", join(dir, "e6-forged.json")])).toMatchObject({
      status: 1,
      report: { verified: false, position: 6 },
    });
  });

  it("history rewritten and re-signed with another key: the checkpoint and proofs do not verify", () => {
    const { dir, db, key, vkey } = keyedDemo();
    checkpoint(db, key, join(dir, "day1.cp"));
    rewriteAndRehash(db, 9, '"orderId":"order-1001"', '"orderId":"order-1009"');
    const forger = keyed(dir);
    checkpoint(db, forger.key, join(dir, "forged.cp"));
    expect(verify(["--key", vkey, "--checkpoint", join(dir, "forged.cp")])).toMatchObject({
      status: 1,
      report: {
        verified: false,
        reason: expect.stringContaining("signed by another key") as unknown,
      },
    });
    expect(prove(db, forger.key, ["--old-size", "21"], join(dir, "forged.json"))).toBe(0);
    expect(verifyPinned(vkey, join(dir, "forged.json"), join(dir, "day1.cp")).status).toBe(1);
    const run = pacioli(["audit", "--db", db, "--since", join(dir, "forged.cp"), "--key", vkey]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("does not verify");
    expect(auditSince(db, join(dir, "day1.cp"), vkey).report.violations).toEqual([
      violationAt("consistency", 21),
    ]);
  });

  it("the file rolled back to an older copy: found at the first event the copy lacks", () => {
    const { dir, db, key, vkey } = keyedDemo();
    copyFileSync(db, join(dir, "old-copy.db"));
    grow(dir, db);
    checkpoint(db, key, join(dir, "day2.cp"));
    copyFileSync(join(dir, "old-copy.db"), db);
    const { status, report } = auditSince(db, join(dir, "day2.cp"), vkey);
    expect(status).toBe(1);
    expect(report.violations).toEqual([
      violationAt("consistency", 22, "events 22..23 were removed"),
    ]);
  });
});

describe("proof commands on unusable input", () => {
  it("exit 2 (or 1 for a signature that does not verify), a message, never a stack trace", () => {
    const { dir, db, key, vkey } = keyedDemo();
    checkpoint(db, key, join(dir, "ok.cp"));
    writeFileSync(join(dir, "garbage.json"), "{not json");
    writeFileSync(
      join(dir, "wrong-shape.json"),
      JSON.stringify({ format: "pacioli-proof/1", type: "inclusion", sequence: "three" }),
    );
    writeFileSync(join(dir, "garbage.cp"), "hello\n");
    writeFileSync(join(dir, "bad.key"), "PRIVATE+KEY+oops", { mode: 0o600 });
    const cases: [readonly string[], number][] = [
      [["verify", "--key", vkey, "--proof", join(dir, "garbage.json")], 2],
      [["verify", "--key", vkey, "--proof", join(dir, "wrong-shape.json")], 2],
      [["verify", "--key", vkey, "--proof", join(dir, "missing.json")], 2],
      [["verify", "--key", "not-a-key", "--checkpoint", join(dir, "ok.cp")], 2],
      [["verify", "--key", vkey], 2],
      [["verify", "--key", vkey, "--checkpoint", join(dir, "garbage.cp")], 1],
      [["keygen", "--name", "has space", "--out", join(dir, "x.key")], 2],
      [["keygen", "--name", "n", "--out", key], 2],
      [["checkpoint", "--db", db], 2],
      [["checkpoint", "--db", db, "--key-file", join(dir, "bad.key")], 2],
      [["checkpoint", "--db", join(dir, "missing.db"), "--key-file", key], 2],
      [["prove", "--db", db, "--key-file", key], 2],
      [["prove", "--db", db, "--key-file", key, "--sequence", "0"], 2],
      [["prove", "--db", db, "--key-file", key, "--sequence", "99"], 2],
      [["prove", "--db", db, "--key-file", key, "--idempotency-key", "nope"], 2],
      [anaStatement(db, key, ["--from", "yesterday"]), 2],
      [["statement", "--db", db, "--wallet", "nobody", "--key-file", key], 2],
      [["audit", "--db", db, "--since", join(dir, "ok.cp")], 2],
      [["audit", "--db", db, "--since", join(dir, "garbage.cp"), "--key", vkey], 1],
    ];
    for (const [args, status] of cases) {
      const run = pacioli(args);
      expect(run.status, args.join(" ")).toBe(status);
      if (args[0] === "verify" && status === 1)
        expect(run.stdout, args.join(" ")).toMatch(/^FAILED: /);
      else expect(run.stderr, args.join(" ")).toMatch(/^pacioli \w+: /);
      expect(run.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
      expect(run.stderr + run.stdout, args.join(" ")).not.toContain(
        readFileSync(key, "utf8").trim().slice(-20),
      );
    }
  }, 240_000); // nineteen runs of the binary, each ~3 s on the shared machine
});
