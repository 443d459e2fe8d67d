/**
 * Issue 17, "the audit reports CLEAN when it should not": each case here passed as CLEAN
 * (or crashed) before the journal owner and the fields check. An audit of nothing is
 * unusable input; a renumbered row is found where it is; an event whose amount disagrees
 * with its postings is found even with a recomputed chain; archives of any stream audit and
 * import all or nothing; an auditor's read-only copy can be read; a corrupt file is a store
 * failure with a message.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deposit } from "@pacioli/core/testing/requests";
import { openLedger, TestClock } from "@pacioli/engine";
import { openSqliteEventStore } from "@pacioli/store-sqlite";
import { BIN, demoLedger, othersCanReach, pacioli, scratchDir, violationAt } from "./run-cli.js";
import { depositLedger, openSqlite, rechainArchive, recordOf } from "./tamper-kit.js";

interface Report {
  clean: boolean;
  events: number;
  violations: { check: string; position: number; message: string }[];
}

const auditJson = (
  args: readonly string[],
  uid?: number,
): { status: number | null; report: Report } => {
  const run = pacioli(["audit", ...args, "--json"], uid === undefined ? {} : { uid });
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
};

const noTrace = (stderr: string): void => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain("internal error");
};

/** One shared ledger of 600 events (more than two pages of 256); tests copy it. */
let bigDir: string;
let bigDb: string;
beforeAll(() => {
  bigDir = scratchDir();
  bigDb = depositLedger(bigDir, 599);
}, 120_000);

function copyOfBig(): string {
  const dir = scratchDir();
  copyFileSync(bigDb, join(dir, "l.db"));
  return join(dir, "l.db");
}

describe("an audit of nothing is not clean", () => {
  it("refuses a misspelt, empty or missing stream with exit 2 and a message", () => {
    const db = demoLedger();
    for (const stream of ["ledger-mian", "", "nothing-here"]) {
      const run = pacioli(["audit", "--db", db, "--stream", stream]);
      expect(run.status, stream).toBe(2);
      expect(run.stderr).toContain("nothing to audit");
      expect(run.stdout).not.toContain("CLEAN");
    }
  });

  it("refuses an empty ledger with exit 2 (not CLEAN: 0 events)", async () => {
    const db = join(scratchDir(), "empty.db");
    await (await openSqliteEventStore({ path: db })).close();
    const run = pacioli(["audit", "--db", db]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("holds no events");
    expect(run.stdout).toBe("");
  });
});

describe("gaps in the stored stream indices", () => {
  const renumber = (db: string, fromIndex: number, by: number): void => {
    const sqlite = openSqlite(db);
    // Two steps so the unique (stream, stream_index) index never sees a collision.
    sqlite
      .prepare("UPDATE events SET stream_index = stream_index + 1000000 WHERE stream_index >= ?")
      .run(fromIndex);
    sqlite
      .prepare(
        "UPDATE events SET stream_index = stream_index - 1000000 + ? WHERE stream_index >= 1000000",
      )
      .run(by);
    sqlite.close();
  };

  it("are found at the exact event, after the first page and inside it", () => {
    for (const event of [300, 100, 513]) {
      const db = copyOfBig();
      renumber(db, event - 1, 9);
      const { status, report } = auditJson(["--db", db]);
      expect(status, `gap at ${event}`).toBe(1);
      expect(report.events).toBe(600);
      expect(report.violations).toEqual([
        expect.objectContaining({
          check: "sequence",
          position: event,
          message: expect.stringContaining(`stream index ${event - 1 + 9}`) as unknown,
        }),
      ]);
    }
  });

  it("are found the same with worker threads (--workers), and a bad count is unusable input", () => {
    const db = copyOfBig();
    renumber(db, 299, 9);
    const one = auditJson(["--db", db, "--workers", "0"]);
    const two = auditJson(["--db", db, "--workers", "2"]);
    expect(two.status).toBe(one.status);
    expect(two.report.events).toBe(one.report.events);
    expect(two.report.violations).toEqual(one.report.violations);
    expect(one.report.violations).toEqual([violationAt("sequence", 300)]);
    const bad = pacioli(["audit", "--db", db, "--workers", "many"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--workers must be auto or a whole number from 0 to 64");
  });

  it("make apply fail with a store error naming the event, not a stack trace", () => {
    const db = copyOfBig();
    renumber(db, 299, 9);
    const dir = scratchDir();
    writeFileSync(
      join(dir, "c.jsonl"),
      `${JSON.stringify(deposit("w1", "1.00", "USD", "dep-x"))}\n`,
    );
    const run = pacioli(["apply", "--db", db, join(dir, "c.jsonl")]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("event 300 is stored at index 308");
    noTrace(run.stderr);
  });
});

describe("an event's own fields must agree with its postings", () => {
  it("finds an amount changed with the chain recomputed, at its position", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const lines = pacioli(["export", "--db", db, "--format", "jsonl"]).stdout.trim().split("\n");
    const position = 6; // WalletToppedUp of 300.00 USD
    const record = JSON.parse(recordOf(lines[position] as string)) as {
      event: { type: string; amount: { amount: string } };
    };
    expect(record.event.type).toBe("WalletToppedUp");
    record.event.amount.amount = "3000.00";
    lines[position] =
      `{"hash":"${"0".repeat(64)}","previousHash":"${"0".repeat(64)}","record":${JSON.stringify(record)}}`;
    writeFileSync(join(dir, "forged.jsonl"), `${rechainArchive(lines).join("\n")}\n`);
    const { status, report } = auditJson(["--jsonl", join(dir, "forged.jsonl")]);
    expect(status).toBe(1);
    expect(report.violations).toEqual([expect.objectContaining({ check: "fields", position })]);
    expect(report.violations[0]?.message).toContain("300000");
  });
});

describe("archives of any stream", () => {
  it("refuses to export a stream that holds nothing, and an archive whose header names no stream", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const exported = pacioli([
      "export",
      "--db",
      db,
      "--format",
      "jsonl",
      "--stream",
      "ledger-typo",
    ]);
    expect(exported.status).toBe(2);
    expect(exported.stdout).toBe("");
    const lines = pacioli(["export", "--db", db, "--format", "jsonl"]).stdout.split("\n");
    lines[0] = (lines[0] as string).replace('"stream":"ledger-main"', '"stream":""');
    writeFileSync(join(dir, "nameless.jsonl"), lines.join("\n"));
    for (const args of [
      ["audit", "--jsonl", join(dir, "nameless.jsonl")],
      ["import", "--db", join(dir, "x.db"), join(dir, "nameless.jsonl")],
    ]) {
      const run = pacioli(args);
      expect(run.status, args[0]).toBe(2);
      expect(run.stdout).not.toContain("CLEAN");
    }
    expect(existsSync(join(dir, "x.db"))).toBe(false);
  });

  it("imports an archive of another stream into that stream, and exports it back byte for byte", () => {
    const dir = scratchDir();
    const db = demoLedger(dir);
    const archive = pacioli(["export", "--db", db, "--format", "jsonl"]).stdout.replace(
      '"stream":"ledger-main"',
      '"stream":"ledger-branch"',
    );
    writeFileSync(join(dir, "branch.jsonl"), archive);
    expect(pacioli(["audit", "--jsonl", join(dir, "branch.jsonl")]).status).toBe(0);
    const imported = pacioli(["import", "--db", join(dir, "copy.db"), join(dir, "branch.jsonl")]);
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    expect(
      pacioli([
        "export",
        "--db",
        join(dir, "copy.db"),
        "--format",
        "jsonl",
        "--stream",
        "ledger-branch",
      ]).stdout,
    ).toBe(archive);
    expect(
      pacioli(["audit", "--db", join(dir, "copy.db"), "--stream", "ledger-branch"]).status,
    ).toBe(0);
    // A second import elsewhere works; into the same file it is refused, and the file is unchanged.
    expect(
      pacioli(["import", "--db", join(dir, "again.db"), join(dir, "branch.jsonl")]).status,
    ).toBe(0);
    const before = readFileSync(join(dir, "copy.db"));
    expect(
      pacioli(["import", "--db", join(dir, "copy.db"), join(dir, "branch.jsonl")]).status,
    ).toBe(2);
    expect(readFileSync(join(dir, "copy.db")).equals(before)).toBe(true);
  });

  it("leaves nothing behind when the import is killed half way, so a second import succeeds", async () => {
    const dir = scratchDir();
    const archive = join(dir, "big.jsonl");
    expect(
      pacioli(["export", "--db", bigDb, "--format", "jsonl", "--output", archive]).status,
    ).toBe(0);
    // Many copies of the same 600 events would not chain; import the big archive and kill it while it builds.
    const target = join(dir, "target.db");
    const child = spawn(process.execPath, [BIN, "import", "--db", target, archive], {
      stdio: "ignore",
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    let killed = false;
    while (child.exitCode === null && !killed) {
      if (readdirSync(dir).some((name) => name.startsWith("target.db.importing-")))
        killed = child.kill("SIGKILL");
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await exited;
    expect(killed, "the import finished before it could be killed").toBe(true);
    expect(existsSync(target)).toBe(false);
    const second = pacioli(["import", "--db", target, archive]);
    expect(second.stderr).toBe("");
    expect(second.status).toBe(0);
  });
});

// Root ignores file permissions: run the CLI as "nobody" then, so they apply. Nobody cannot
// start the CLI from a checkout under a private folder; these cases are skipped there, loudly.
const asUser = process.getuid?.() === 0 ? 65534 : undefined;
const cannotRunAsNobody = asUser !== undefined && !othersCanReach(BIN);
if (cannotRunAsNobody)
  console.warn(
    `read-only ledger tests skipped: user nobody cannot reach ${BIN} (a folder above it is private)`,
  );

describe.skipIf(cannotRunAsNobody)("a read-only copy of a ledger", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) chmodSync(dir, 0o755);
  });

  const readOnlyCopy = (files: Readonly<Record<string, string>>): string => {
    const dir = scratchDir();
    for (const [name, source] of Object.entries(files)) copyFileSync(source, join(dir, name));
    for (const name of Object.keys(files)) chmodSync(join(dir, name), 0o444);
    chmodSync(dir, 0o555);
    dirs.push(dir);
    return dir;
  };

  it("is audited, exported, and shows balances and history, writing nothing", () => {
    const dir = readOnlyCopy({ "l.db": demoLedger() });
    const db = join(dir, "l.db");
    const bytes = readFileSync(db);
    const modified = statSync(db).mtimeMs;
    for (const args of [
      ["audit", "--db", db],
      ["balances", "--db", db],
      ["history", "--db", db, "--wallet", "ana-wallet"],
      ["export", "--db", db, "--format", "jsonl"],
      ["export", "--db", db, "--format", "csv"],
    ]) {
      const run = pacioli(args, asUser === undefined ? {} : { uid: asUser });
      expect(run.stderr, args.join(" ")).toBe("");
      expect(run.status, args.join(" ")).toBe(0);
    }
    expect(readdirSync(dir)).toEqual(["l.db"]);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    expect(statSync(db).mtimeMs).toBe(modified);
  });

  it("with its write-ahead log and index present, reads the commits in the log", async () => {
    const { db, close } = await demoWithOpenWriter();
    const dir = readOnlyCopy({ "l.db": db, "l.db-wal": `${db}-wal`, "l.db-shm": `${db}-shm` });
    await close();
    const { status, report } = auditJson(["--db", join(dir, "l.db")], asUser);
    expect(status).toBe(0);
    expect(report.events).toBe(22);
  });

  it("refuses (exit 3) a log it cannot read rather than show the ledger without its last commits", async () => {
    if (asUser === undefined && process.getuid?.() !== 0) return; // as a plain user, the same path is taken
    const { db, close } = await demoWithOpenWriter();
    const dir = readOnlyCopy({ "l.db": db, "l.db-wal": `${db}-wal` });
    await close();
    const run = pacioli(
      ["audit", "--db", join(dir, "l.db")],
      asUser === undefined ? {} : { uid: asUser },
    );
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("write-ahead log");
    noTrace(run.stderr);
  });
});

/** A demo ledger with a writer still open: its last commit is in l.db-wal, not yet in l.db. */
async function demoWithOpenWriter(): Promise<{ db: string; close: () => Promise<void> }> {
  const db = join(scratchDir(), "l.db");
  copyFileSync(demoLedger(), db);
  const store = await openSqliteEventStore({ path: db });
  const ledger = await openLedger({
    store,
    clock: new TestClock(Date.parse("2026-11-30T10:00:00Z")),
  });
  await ledger.execute({
    idempotencyKey: "late",
    command: { type: "OpenWallet", walletId: "late-wallet", ownerId: "zoe" },
  });
  const close = async () => {
    await ledger.close();
    await store.close();
  };
  return { db, close };
}

describe("a corrupt ledger file", () => {
  it("is a store failure with a message (exit 3), never a stack trace", () => {
    const dir = scratchDir();
    const db = copyOfBig();
    const bytes = readFileSync(db);
    const page = 4096;
    for (const at of [3, 10, Math.floor(bytes.length / page) - 2])
      bytes.fill(0xa5, at * page, (at + 1) * page);
    mkdirSync(join(dir, "c"));
    writeFileSync(join(dir, "c", "l.db"), bytes);
    for (const command of ["audit", "balances"]) {
      const run = pacioli([command, "--db", join(dir, "c", "l.db")]);
      expect([2, 3], `${command}: ${run.stderr}`).toContain(run.status);
      expect(run.stderr).toContain("l.db");
      noTrace(run.stderr);
    }
  });
});
