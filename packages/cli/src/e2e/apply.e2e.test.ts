import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deposit } from "@pacioli/core/testing/requests";
import { BIN, pacioli, scratchDir } from "./run-cli.js";

const line = (value: unknown) => JSON.stringify(value);

const COMMANDS = [
  line({
    idempotencyKey: "open-w1",
    command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
  }),
  line(deposit("w1", "25.00", "USD", "dep-1")),
  "",
  line({
    idempotencyKey: "hold-1",
    command: {
      type: "PlaceHold",
      holdId: "h1",
      walletId: "w1",
      merchantId: "m1",
      amount: { currency: "USD", amount: "40.00" },
      expiresAt: "2026-12-01T00:00:00Z",
    },
  }),
  line({
    idempotencyKey: "dep-2",
    command: {
      type: "DepositFunds",
      walletId: "w1",
      amount: { currency: "USD", amount: 12.5 },
      channel: "card",
    },
  }),
  line(deposit("w1", "25.00", "USD", "dep-1")),
  line(deposit("w1", "26.00", "USD", "dep-1")),
  line({
    idempotencyKey: "hold-2",
    command: {
      type: "PlaceHold",
      holdId: "h2",
      walletId: "w1",
      merchantId: "m1",
      amount: { currency: "USD", amount: "1.00" },
      expiresAt: "2026-11-25T09:00:00Z",
    },
  }),
].join("\n");

/** One result a line, as apply prints them. */
type ApplyResult = Record<string, unknown> & {
  line: number;
  status: string;
  issues?: { path: string; expected: string }[];
};
const resultsOf = (stdout: string): ApplyResult[] =>
  stdout
    .trim()
    .split("\n")
    .map((text) => JSON.parse(text) as ApplyResult);

describe("pacioli apply", () => {
  it("prints one documented result per command line and exits 0 even with rejections", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "commands.jsonl"), `${COMMANDS}\n`);
    const run = pacioli([
      "apply",
      "--db",
      join(dir, "l.db"),
      "--now",
      "2026-11-25T10:00:00Z",
      join(dir, "commands.jsonl"),
    ]);
    expect(run.stderr).toMatch(
      /^apply: 7 lines: 3 accepted \(1 repeated\), 3 rejected, 1 invalid in [0-9.]+ s \([0-9,]+ lines\/s\)\n$/,
    );
    expect(run.status).toBe(0);
    const results = resultsOf(run.stdout);
    expect(results.map((result) => [result["line"], result["status"]])).toEqual([
      [1, "accepted"],
      [2, "accepted"],
      [4, "rejected"],
      [5, "invalid"],
      [6, "accepted"],
      [7, "rejected"],
      [8, "rejected"],
    ]);
    expect(results[0]).toMatchObject({
      idempotencyKey: "open-w1",
      repeated: false,
      events: [
        {
          sequence: 1,
          recordedAt: "2026-11-25T10:00:00.000Z",
          event: { type: "WalletOpened", walletId: "w1" },
        },
      ],
    });
    expect(results[1]).toMatchObject({
      events: [{ event: { type: "FundsDeposited", amount: { currency: "USD", amount: "25.00" } } }],
    });
    expect(results[2]).toMatchObject({
      rejection: {
        _tag: "InsufficientFunds",
        walletId: "w1",
        available: "2500",
        requested: "4000",
      },
      retryable: true,
    });
    expect(results[3]).toMatchObject({
      issues: [{ path: expect.stringContaining("amount") as unknown }],
    });
    expect(results[4]).toMatchObject({ repeated: true, events: results[1]?.["events"] });
    expect(results[5]).toMatchObject({
      rejection: { _tag: "IdempotencyKeyReused", idempotencyKey: "dep-1" },
      retryable: false,
    });
    // Times in a rejection are ISO-8601 strings on the wire, as docs/reference/rejections.md says.
    expect(results[6]).toMatchObject({
      rejection: {
        _tag: "HoldExpired",
        holdId: "h2",
        expiresAt: "2026-11-25T09:00:00.000Z",
        at: "2026-11-25T10:00:00.000Z",
      },
      retryable: false,
    });
    const balances = pacioli(["balances", "--db", join(dir, "l.db"), "--wallet", "w1", "--json"]);
    expect(JSON.parse(balances.stdout)).toEqual([
      { walletId: "w1", currency: "USD", available: "25.00", held: "0.00", total: "25.00" },
    ]);
  });

  it("refuses a line that is not JSON as invalid on that line and decides the others", () => {
    const dir = scratchDir();
    const open = (id: string) =>
      line({
        idempotencyKey: `open-${id}`,
        command: { type: "OpenWallet", walletId: id, ownerId: "ana" },
      });
    writeFileSync(
      join(dir, "bad.jsonl"),
      `${open("w1")}\n{"idempotencyKey": oops}\n${open("w2")}\n`,
    );
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "bad.jsonl")]);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const results = resultsOf(run.stdout);
    expect(results.map((result) => [result["line"], result["status"]])).toEqual([
      [1, "accepted"],
      [2, "invalid"],
      [3, "accepted"],
    ]);
    expect(results[1]).toEqual({
      line: 2,
      status: "invalid",
      issues: [
        {
          path: "",
          expected: expect.stringContaining("one JSON command request per line") as unknown,
          actual: '{"idempotencyKey": oops}',
        },
      ],
    });
  });

  it("reports a missing command file as unusable input", () => {
    const dir = scratchDir();
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "nope.jsonl")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no command file");
  });
});

describe("pacioli apply, bounded and streamed", () => {
  const open = (id: string) =>
    line({
      idempotencyKey: `open-${id}`,
      command: { type: "OpenWallet", walletId: id, ownerId: "ana" },
    });

  it("refuses a 5,000-deep line and a 1 MB line as invalid, with every earlier result printed and stored", () => {
    const dir = scratchDir();
    const good = Array.from({ length: 300 }, (_, index) => open(`w${index}`));
    const deep = `{"idempotencyKey":"deep","command":{"type":"OpenWallet","walletId":"x","ownerId":"a"},"metadata":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}`;
    const huge = line({
      idempotencyKey: "huge",
      actor: "a".repeat(1 << 20),
      command: { type: "OpenWallet", walletId: "y", ownerId: "a" },
    });
    writeFileSync(join(dir, "c.jsonl"), [...good, deep, huge, open("last")].join("\n"));
    const db = join(dir, "l.db");
    const run = pacioli(["apply", "--db", db, join(dir, "c.jsonl")]);
    expect(run.stderr).not.toMatch(/RangeError|\n\s+at /);
    expect(run.status).toBe(0);
    const results = resultsOf(run.stdout);
    expect(results).toHaveLength(303);
    expect(results.slice(0, 300).every((result) => result.status === "accepted")).toBe(true);
    expect(results[300]).toMatchObject({
      line: 301,
      status: "invalid",
      issues: [{ path: "", expected: "JSON nested at most 32 levels deep" }],
    });
    expect(results[301]).toMatchObject({
      line: 302,
      status: "invalid",
      issues: [{ path: "", expected: "a request line of at most 65536 bytes" }],
    });
    expect(results[302]).toMatchObject({ line: 303, status: "accepted" });
    const wallets = JSON.parse(pacioli(["balances", "--db", db, "--json"]).stdout) as unknown[];
    expect(wallets).toEqual([]); // opening wallets moves no money, so: the ledger holds 301 events
    expect(pacioli(["audit", "--db", db, "--json"]).stdout).toContain('"events":301');
  });

  it("refuses free text over its bounds as invalid, naming the field and the size", () => {
    const dir = scratchDir();
    const request = (extra: Record<string, unknown>) =>
      line({
        idempotencyKey: "k",
        command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
        ...extra,
      });
    const manyKeys = Object.fromEntries(
      Array.from({ length: 65 }, (_, index) => [`k${index}`, "v"]),
    );
    writeFileSync(
      join(dir, "c.jsonl"),
      [
        request({ actor: "a".repeat(300) }),
        request({ metadata: manyKeys }),
        request({ metadata: { order: "v".repeat(513) } }),
        request({ idempotencyKey: "k".repeat(256) }),
      ].join("\n"),
    );
    const run = pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "c.jsonl")]);
    expect(run.status).toBe(0);
    const issues = resultsOf(run.stdout).map((result) => result.issues);
    expect(issues).toEqual([
      [
        {
          path: "actor",
          expected: "an actor of 1-255 characters",
          actual: "a string of 300 characters",
        },
      ],
      [{ path: "metadata", expected: "at most 64 metadata entries", actual: "65 entries" }],
      [
        {
          path: "metadata.order",
          expected: "a metadata value of at most 512 characters",
          actual: "a string of 513 characters",
        },
      ],
      [
        {
          path: "idempotencyKey",
          expected: "an idempotency key of 1-255 printable ASCII characters",
          actual: "k".repeat(256),
        },
      ],
    ]);
  });

  it("--fail-on-rejected exits 4 when a line was rejected or invalid, 0 when all were accepted", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "ok.jsonl"), `${open("w1")}\n`);
    writeFileSync(join(dir, "bad.jsonl"), `${open("w2")}\nnot json\n`);
    expect(
      pacioli(["apply", "--db", join(dir, "l.db"), "--fail-on-rejected", join(dir, "ok.jsonl")])
        .status,
    ).toBe(0);
    const bad = pacioli([
      "apply",
      "--db",
      join(dir, "l.db"),
      "--fail-on-rejected",
      join(dir, "bad.jsonl"),
    ]);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain("2 lines: 1 accepted (0 repeated), 0 rejected, 1 invalid");
    expect(pacioli(["apply", "--db", join(dir, "l.db"), join(dir, "bad.jsonl")]).status).toBe(0);
  });

  it("decides what has arrived before reading more: a result comes back while standard input is still open", async () => {
    const dir = scratchDir();
    const child = spawn(process.execPath, [BIN, "apply", "--db", join(dir, "l.db"), "-"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.write(`${open("w1")}\n`);
    const first = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8"))),
    );
    expect(JSON.parse(first)).toMatchObject({ line: 1, status: "accepted" });
    child.stdin.end(`${open("w2")}\n`);
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status).toBe(0);
  });

  it("draws a progress bar on a terminal's stderr, and none when stderr is a file", () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, "c.jsonl"),
      `${Array.from({ length: 3000 }, (_, index) => open(`w${index}`)).join("\n")}\n`,
    );
    const command = [
      process.execPath,
      BIN,
      "apply",
      "--db",
      join(dir, "l.db"),
      join(dir, "c.jsonl"),
    ]
      .map((word) => `'${word}'`)
      .join(" ");
    // script(1) gives the command a terminal; its output is the terminal's, stdout and stderr together.
    const tty = spawnSync("script", ["-qec", `${command} >/dev/null`, "/dev/null"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/applying \[[#.]{30}\] \d+% [\d,]+ lines/);
    expect(tty.stdout).toContain("apply: 3000 lines: 3000 accepted");
    const plain = pacioli(["apply", "--db", join(dir, "l2.db"), join(dir, "c.jsonl")]);
    expect(plain.stderr).not.toContain("applying");
  });

  it("applies to the stream --stream names and reads it back from there", () => {
    const dir = scratchDir();
    const db = join(dir, "l.db");
    writeFileSync(
      join(dir, "c.jsonl"),
      `${open("w1")}\n${line(deposit("w1", "5.00", "USD", "d"))}\n`,
    );
    expect(
      pacioli(["apply", "--db", db, "--stream", "ledger-eu", join(dir, "c.jsonl")]).status,
    ).toBe(0);
    expect(
      JSON.parse(
        pacioli(["balances", "--db", db, "--stream", "ledger-eu", "--wallet", "w1", "--json"])
          .stdout,
      ),
    ).toMatchObject([{ available: "5.00" }]);
    expect(
      JSON.parse(
        pacioli(["history", "--db", db, "--stream", "ledger-eu", "--wallet", "w1", "--json"])
          .stdout,
      ),
    ).toMatchObject({ lines: [{ type: "FundsDeposited", available: "5.00" }] });
    const empty = pacioli(["balances", "--db", db]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain("holds no events in the stream ledger-main");
    const foreign = pacioli(["balances", "--db", db, "--stream", "eu"]);
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toContain("is not a ledger stream");
  });
});
