/**
 * Fuzzing the CLI's entry points with input an operator or an attacker could hand it:
 * malformed command lines for `apply`, corrupted archives for `audit --jsonl` and `import`,
 * corrupted ledger files for every command that opens one. Whatever arrives, `pacioli` ends
 * with a status of docs/reference/exit-codes.md, never a stack trace, and a ledger that the
 * malformed input was applied to is unchanged.
 *
 * The runs go through `main(argv)` in this process (see run-in-process.ts), malformed lines
 * batched many to an `apply` file; a few batches also go through the real binary, which must
 * print the same. CI runs 10,000+ request lines, 300 archives and 150 ledger files;
 * PACIOLI_SOAK=1 runs 20 times as many.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_STATUSES,
  EXIT_USAGE,
  EXIT_VIOLATIONS,
} from "../cli/cli-error.js";
import { REQUEST_DEPTH_MAX, REQUEST_LINE_BYTES_MAX } from "../cli/request-line.js";
import { DEMO_WALLET } from "../demo/demo-story.js";
import { runMain } from "./run-in-process.js";
import { demoLedger, pacioli, scratchDir } from "./run-cli.js";

const soak = process.env["PACIOLI_SOAK"] === "1";
const SCALE = soak ? 20 : 1;
const LINES_PER_APPLY = 1000;
const APPLY_RUNS = 11 * SCALE; // 11,000 malformed lines in CI
const ARCHIVE_CASES = 300 * SCALE;
const LEDGER_FILE_CASES = 150 * SCALE;
// EXIT_INTERNAL is documented too, but it means a bug: no input may cause it.
const DOCUMENTED = new Set(
  EXIT_STATUSES.map((exit) => exit.status).filter((status) => status !== EXIT_INTERNAL),
);

/** No stack trace, and a status from the table. */
function expectDocumented(run: { status: number | null; stderr: string }, what: string): void {
  expect(DOCUMENTED.has(run.status ?? -1), `${what}: status ${run.status}\n${run.stderr}`).toBe(
    true,
  );
  expect(run.stderr, what).not.toMatch(/\n\s+at |RangeError|TypeError|internal error/);
}

// ---- malformed request lines -------------------------------------------------------------

const valid = {
  idempotencyKey: "fuzz-1",
  command: {
    type: "DepositFunds",
    walletId: DEMO_WALLET,
    amount: { currency: "USD", amount: "1.00" },
    channel: "card",
  },
};
const validText = JSON.stringify(valid);

/** A JSON value that is never a string: put where a string is required, the request cannot decode. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);

/** Lines that can never be a valid request, each of a different kind of wrong. */
const malformedLine: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 200 }), // arbitrary text, most of it not JSON
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)), // JSON, but not a request
    fc.integer({ min: 1, max: validText.length - 1 }).map((cut) => validText.slice(0, cut)), // truncated
    fc
      .tuple(fc.constantFrom("idempotencyKey", "command"), notAString)
      .map(([field, value]) => JSON.stringify({ ...valid, [field]: value })),
    fc
      .tuple(fc.constantFrom("walletId", "amount", "channel", "type"), notAString)
      .map(([field, value]) =>
        JSON.stringify({ ...valid, command: { ...valid.command, [field]: value } }),
      ),
    fc
      .string({ maxLength: 30 })
      .map((type) =>
        JSON.stringify({ ...valid, command: { ...valid.command, type: `Not${type}` } }),
      ),
    fc
      .tuple(fc.integer({ min: REQUEST_DEPTH_MAX + 1, max: 6000 }), fc.constantFrom("[", '{"a":'))
      .map(
        ([depth, open]) =>
          `{"idempotencyKey":"deep","command":${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}}`,
      ),
    fc
      .integer({ min: REQUEST_LINE_BYTES_MAX + 1, max: REQUEST_LINE_BYTES_MAX + 20_000 })
      .map((size) => JSON.stringify({ ...valid, metadata: { pad: "x".repeat(size) } })),
    fc
      .integer({ min: 256, max: 3000 })
      .map((size) => JSON.stringify({ ...valid, actor: "a".repeat(size) })),
    fc.integer({ min: 65, max: 500 }).map((count) =>
      JSON.stringify({
        ...valid,
        metadata: Object.fromEntries(
          Array.from({ length: count }, (_, index) => [`k${index}`, "v"]),
        ),
      }),
    ),
    fc
      .uint8Array({ minLength: 1, maxLength: 100 })
      .map(
        (bytes) =>
          `{"idempotencyKey":"${Buffer.from(bytes.map((byte) => (byte === 0x0a ? 0x20 : byte))).toString("latin1")}`,
      ),
  )
  .map((text) => {
    const line = text.replace(/[\n\r]/g, " ");
    return line.trim() === "" ? "{" : line; // a blank line is skipped, not refused: keep one result per line
  });

describe("fuzz: malformed input through the CLI's entry points", () => {
  // Hundreds of CLI processes per test: about 20 s each on an idle 2-core machine, over 60 s
  // on a loaded one. A budget, not a timed assertion.
  vi.setConfig({ testTimeout: 300_000 });
  let ledger: string;
  let archive: string;
  let ledgerBytes: Buffer;

  beforeAll(() => {
    const dir = scratchDir();
    ledger = demoLedger(dir);
    archive = join(dir, "demo.jsonl");
    expect(
      pacioli(["export", "--db", ledger, "--format", "jsonl", "--output", archive]).status,
    ).toBe(EXIT_OK);
    ledgerBytes = readFileSync(ledger);
  });

  it(`refuses ${APPLY_RUNS * LINES_PER_APPLY} malformed request lines one by one as invalid, changing nothing`, async () => {
    const dir = scratchDir();
    const db = join(dir, "l.db");
    copyFileSync(ledger, db);
    const before = (await runMain(["export", "--db", db, "--format", "jsonl"])).stdout;
    const batches = fc.sample(
      fc.array(malformedLine, { minLength: LINES_PER_APPLY, maxLength: LINES_PER_APPLY }),
      { numRuns: APPLY_RUNS, seed: soak ? Date.now() : 20261203 },
    );
    let lines = 0;
    for (const [index, batch] of batches.entries()) {
      const file = join(dir, `batch-${index}.jsonl`);
      writeFileSync(file, `${batch.join("\n")}\n`);
      const run = await runMain(["apply", "--db", db, file]);
      expectDocumented(run, `apply batch ${index}`);
      expect(run.status).toBe(EXIT_OK);
      const results = run.stdout
        .trim()
        .split("\n")
        .map((text) => JSON.parse(text) as { line: number; status: string });
      expect(results.map((result) => result.line)).toEqual(batch.map((_, number) => number + 1));
      const decoded = results.filter((result) => result.status !== "invalid");
      expect(
        decoded,
        `lines that decoded: ${JSON.stringify(decoded.map((result) => batch[result.line - 1]))}`,
      ).toEqual([]);
      expect(run.stderr).toContain(
        `${LINES_PER_APPLY} lines: 0 accepted (0 repeated), 0 rejected, ${LINES_PER_APPLY} invalid`,
      );
      lines += batch.length;
      // A few batches through the real binary: the same results, the same status.
      if (index < 2) {
        const real = pacioli(["apply", "--db", db, file]);
        expect(real.status).toBe(run.status);
        expect(real.stdout).toBe(run.stdout);
      }
    }
    expect(lines).toBeGreaterThanOrEqual(10_000);
    expect((await runMain(["export", "--db", db, "--format", "jsonl"])).stdout).toBe(before);
    expect((await runMain(["audit", "--db", db])).status).toBe(EXIT_OK);
  });

  it(`ends audit --jsonl and import of ${ARCHIVE_CASES} corrupted archives with a documented status`, async () => {
    const dir = scratchDir();
    const text = readFileSync(archive, "utf8");
    const lines = text.split("\n");
    const corruption = fc.oneof(
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (source: string) => {
        const bytes = Buffer.from(source, "utf8");
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
      fc
        .nat()
        .map((at) => (source: string) => Buffer.from(source.slice(0, at % source.length), "utf8")),
      fc.tuple(fc.nat(), fc.nat()).map(([from, to]) => () => {
        const copy = [...lines];
        const [moved] = copy.splice(from % copy.length, 1);
        copy.splice(to % copy.length, 0, moved ?? "");
        return Buffer.from(copy.join("\n"), "utf8");
      }),
      fc.tuple(fc.nat(), malformedLine).map(([at, line]) => () => {
        const copy = [...lines];
        copy.splice(at % copy.length, 0, line);
        return Buffer.from(copy.join("\n"), "utf8");
      }),
      fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([at, value]) => () => {
        const copy = [...lines];
        copy[at % copy.length] = JSON.stringify(value);
        return Buffer.from(copy.join("\n"), "utf8");
      }),
    );
    const cases = fc.sample(corruption, {
      numRuns: ARCHIVE_CASES,
      seed: soak ? Date.now() : 20261204,
    });
    const statuses = new Map<number, number>();
    for (const [index, corrupt] of cases.entries()) {
      const file = join(dir, `a-${index}.jsonl`);
      writeFileSync(file, corrupt(text));
      const audit = await runMain(["audit", "--jsonl", file]);
      expectDocumented(audit, `audit --jsonl case ${index}`);
      statuses.set(audit.status, (statuses.get(audit.status) ?? 0) + 1);
      if (index % 5 === 0) {
        const target = join(dir, `i-${index}.db`);
        const imported = await runMain(["import", "--db", target, file]);
        expectDocumented(imported, `import case ${index}`);
        if (imported.status !== EXIT_OK && audit.status !== EXIT_OK && existsSync(target)) {
          // refused before anything was written: the new file holds no events
          expect(
            (await runMain(["balances", "--db", target])).status,
            `import case ${index} left events behind`,
          ).toBe(EXIT_USAGE);
        }
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
      }
      rmSync(file);
    }
    expect(statuses.get(EXIT_USAGE) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(EXIT_VIOLATIONS) ?? 0).toBeGreaterThan(0);
  });

  it(`ends every command on ${LEDGER_FILE_CASES} corrupted ledger files with a documented status`, async () => {
    const dir = scratchDir();
    const corruption = fc.oneof(
      fc
        .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 64,
        })
        .map((edits) => (bytes: Buffer) => {
          const copy = Buffer.from(bytes);
          for (const [at, byte] of edits) copy[at % copy.length] = byte;
          return copy;
        }),
      fc
        .tuple(fc.nat(), fc.integer({ min: 1, max: 4096 }))
        .map(([page, length]) => (bytes: Buffer) => {
          const copy = Buffer.from(bytes);
          const start = (page % Math.ceil(copy.length / 4096)) * 4096;
          copy.fill(0x41, start, Math.min(copy.length, start + length));
          return copy;
        }),
      fc.nat().map((at) => (bytes: Buffer) => bytes.subarray(0, at % bytes.length)),
    );
    const requests = join(dir, "one.jsonl");
    writeFileSync(requests, `${validText}\n`);
    const commands = (db: string): string[][] => [
      ["balances", "--db", db],
      ["history", "--db", db, "--wallet", DEMO_WALLET],
      ["audit", "--db", db],
      ["export", "--db", db, "--format", "csv"],
      ["apply", "--db", db, requests],
    ];
    const cases = fc.sample(corruption, {
      numRuns: LEDGER_FILE_CASES,
      seed: soak ? Date.now() : 20261205,
    });
    for (const [index, corrupt] of cases.entries()) {
      const db = join(dir, `c-${index}.db`);
      writeFileSync(db, corrupt(ledgerBytes));
      const args = commands(db)[index % 5] as string[];
      expectDocumented(await runMain(args), `${args.join(" ")} case ${index}`);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
    }
  });
});
