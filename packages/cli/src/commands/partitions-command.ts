/**
 * `pacioli partitions <init|demo|apply|balances|audit> --dir DIR`: the same work as the
 * one-file commands, on a partitioned ledger — a directory holding `placement.json` and one
 * SQLite file per partition (`@pacioli/partitions`, docs/operations/partitions.md).
 *
 * `balances` and `audit` open the partition files read-only: opening a partitioned ledger for
 * writing would finish transfers left in flight, and a reader must not write. `apply` (and
 * `demo`) open it for writing, which finishes them first.
 */
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { iso4217, type AccountBalance } from "@pacioli/core";
import { executeResultJson, openLedger, type Ledger } from "@pacioli/engine";
import {
  auditPartitions,
  createPartitionDirectory,
  openPartitionDirectory,
  openPartitionStoresReadOnly,
  PartitionDirectoryError,
  partitionLedgerId,
  placement,
  type PartitionedLedger,
  type PartitionedResult,
  type PartitionsAuditReport,
} from "@pacioli/partitions";
import { commandFlags, positiveInteger } from "../cli/arguments.js";
import { CliError, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_VIOLATIONS } from "../cli/cli-error.js";
import type { Command } from "../cli/command.js";
import { jsonText } from "../cli/json-text.js";
import { moneyText } from "../cli/money-text.js";
import { requestOfLine } from "../cli/request-line.js";
import { accountsText } from "./balances-command.js";

const usage = `Usage: pacioli partitions <init|demo|apply|balances|audit> --dir DIR [options]

A partitioned ledger is a directory: placement.json ({"partitions": N, "overrides": {...}})
and p0.sqlite … p{N-1}.sqlite, one single writer each. Wallets are placed by FNV-1a of their
id mod N unless overridden; a transfer between partitions is two legs through clearing.

  init --dir DIR --partitions N    write placement.json (N from 1 to 1024)
  demo --dir DIR                   a new 3-partition ledger with wallets and transfers across,
                                   and a merchant paid by a buyer of its partition
  apply --dir DIR COMMANDS.jsonl   one JSON result per line, as \`pacioli apply\`
                                   (status also "unsupported", "spans-partitions" or
                                   "stranded"; [--fail-on-rejected])
  balances --dir DIR [--wallet ID] [--json]
                                   accounts summed over partitions, or one wallet's balances
  audit --dir DIR [--json]         every partition's audit, then leg pairing, clearing
                                   against money in flight, and the global trial balance

Exit status: 0 success, 1 audit found violations, 2 usage error or not a partitioned ledger,
3 store failure, 4 apply --fail-on-rejected and a line was not accepted.`;

export const partitionsCommand: Command = {
  name: "partitions",
  summary: "a partitioned ledger (a directory of partitions): init, demo, apply, balances, audit",
  usage,
  async run(argv) {
    const [action, ...rest] = argv;
    try {
      switch (action) {
        case "init":
          return init(rest);
        case "demo":
          return await demo(rest);
        case "apply":
          return await apply(rest);
        case "balances":
          return await balances(rest);
        case "audit":
          return await audit(rest);
        default:
          throw new CliError(
            `name what to do: init, demo, apply, balances or audit (got ${JSON.stringify(action ?? "")})`,
            EXIT_USAGE,
            "run `pacioli partitions --help` for usage",
          );
      }
    } catch (error) {
      if (error instanceof PartitionDirectoryError) throw new CliError(error.message, EXIT_USAGE);
      throw error;
    }
  },
};

function init(argv: readonly string[]): number {
  const flags = commandFlags("partitions", argv, { dir: "string", partitions: "string" });
  const dir = flags.required("dir");
  const count = positiveInteger("partitions", flags.string("partitions"), 1, 1024);
  createPartitionDirectory(dir, placement(count));
  process.stdout.write(`${dir}: ${count} partition${count === 1 ? "" : "s"}\n`);
  return EXIT_OK;
}

const DEMO_WALLETS = ["ana", "ben", "chen", "dara", "eli", "fay"] as const;
/** Placed by the hash in partition 0, with ana; ben lives in partition 1. */
const DEMO_MERCHANT = "market";
const DEMO_BUYERS = ["ana", "ben"] as const;

async function demo(argv: readonly string[]): Promise<number> {
  const dir = commandFlags("partitions", argv, { dir: "string" }).required("dir");
  createPartitionDirectory(dir, placement(3));
  const opened = await openPartitionDirectory(dir);
  try {
    const { ledger } = opened;
    let key = 0;
    const send = (command: Parameters<PartitionedLedger["execute"]>[0]["command"]) =>
      ledger.execute({ idempotencyKey: `demo-${++key}`, command });
    for (const walletId of DEMO_WALLETS) {
      await send({ type: "OpenWallet", walletId, ownerId: walletId });
      await send({
        type: "DepositFunds",
        walletId,
        amount: { currency: "EUR", amount: 10_000n },
        channel: "card",
      });
    }
    for (const [index, walletId] of DEMO_WALLETS.entries()) {
      const to = DEMO_WALLETS[(index + 1) % DEMO_WALLETS.length] ?? "ana";
      await send({
        type: "TransferFunds",
        transferId: `demo-t${index + 1}`,
        fromWalletId: walletId,
        toWalletId: to,
        amount: { currency: "EUR", amount: BigInt(1_000 * (index + 1)) },
      });
    }
    const payments = await demoPayments(ledger, send);
    const lines: string[] = [];
    for (const walletId of DEMO_WALLETS) {
      const partition = ledger.partitionIndexOf(walletId);
      const available = (await ledger.walletBalances(walletId))[0]?.available ?? 0n;
      lines.push(
        `  ${walletId.padEnd(6)} partition ${partition}  EUR ${moneyText(available, "EUR")}`,
      );
    }
    process.stdout.write(`Wallets of ${dir} (3 partitions):\n${lines.join("\n")}\n`);
    process.stdout.write(
      `Payments to merchant ${DEMO_MERCHANT} (partition ${ledger.partitionIndexOf(DEMO_MERCHANT)}):\n${payments.join("\n")}\n`,
    );
  } finally {
    await opened.close();
  }
  const report = await auditDirectory(dir);
  process.stdout.write(`${auditText(report, dir)}\n`);
  return report.clean ? EXIT_OK : EXIT_VIOLATIONS;
}

/**
 * A merchant placed by the same hash as wallets: a buyer of its partition pays it (a hold, then
 * its capture, both decided there); a buyer of another partition is refused, naming both.
 */
async function demoPayments(
  ledger: PartitionedLedger,
  send: (
    command: Parameters<PartitionedLedger["execute"]>[0]["command"],
  ) => Promise<PartitionedResult>,
): Promise<string[]> {
  const price = { currency: "EUR", amount: 2_500n };
  await send({
    type: "RegisterMerchant",
    merchantId: DEMO_MERCHANT,
    settlementCurrency: "EUR",
    allowNegativeBalance: false,
  });
  const lines: string[] = [];
  for (const [index, buyer] of DEMO_BUYERS.entries()) {
    const holdId = `demo-h${index + 1}`;
    const held = await send({
      type: "PlaceHold",
      holdId,
      walletId: buyer,
      merchantId: DEMO_MERCHANT,
      amount: price,
      expiresAt: Date.now() + 86_400_000,
    });
    const captured =
      held._tag === "Accepted"
        ? await send({ type: "CaptureHold", holdId, amount: price, final: true })
        : held;
    const answer =
      captured._tag === "Accepted"
        ? `held and captured EUR ${moneyText(price.amount, "EUR")}`
        : captured._tag === "SpansPartitions"
          ? `refused, spans partitions (${captured.parties.map((party) => `${party.entity} ${party.id} in p${party.partition}`).join(", ")})`
          : `not carried out (${captured._tag})`;
    lines.push(`  ${buyer.padEnd(6)} partition ${ledger.partitionIndexOf(buyer)}  ${answer}`);
  }
  return lines;
}

async function apply(argv: readonly string[]): Promise<number> {
  const flags = commandFlags(
    "partitions",
    argv,
    { dir: "string", "fail-on-rejected": "boolean" },
    1,
  );
  const dir = flags.required("dir");
  const path = flags.positionals[0];
  if (path === undefined || (path !== "-" && !existsSync(path)))
    throw new CliError(
      path === undefined ? "name the command file to apply" : `no command file at ${path}`,
      EXIT_USAGE,
      "pacioli partitions apply --dir DIR COMMANDS.jsonl",
    );
  const opened = await openPartitionDirectory(dir);
  let notAccepted = 0;
  try {
    const input = path === "-" ? process.stdin : createReadStream(path);
    let number = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      number += 1;
      const line = requestOfLine({ _tag: "Text", number, text });
      if (line._tag === "Blank") continue;
      const result: PartitionedResult =
        line._tag === "Refused"
          ? {
              _tag: "Invalid",
              failure: { _tag: "DecodeFailure", what: "command request", issues: [line.issue] },
            }
          : await opened.ledger.executeWire(line.request);
      if (result._tag !== "Accepted") notAccepted += 1;
      process.stdout.write(`${jsonText({ line: number, ...resultJson(result) })}\n`);
    }
  } finally {
    await opened.close();
  }
  return flags.boolean("fail-on-rejected") && notAccepted > 0 ? EXIT_REJECTED : EXIT_OK;
}

function resultJson(result: PartitionedResult): Record<string, unknown> {
  switch (result._tag) {
    case "Unsupported":
      return { status: "unsupported", commandType: result.commandType };
    case "SpansPartitions":
      return {
        status: "spans-partitions",
        commandType: result.commandType,
        parties: result.parties.map(({ entity, id, partition }) => ({ entity, id, partition })),
      };
    case "Unavailable":
      return { status: "unavailable", partition: result.partition };
    case "Stranded":
      return {
        status: "stranded",
        transferId: result.transferId,
        rejection: result.rejection._tag,
        returnRejection: result.returnRejection._tag,
      };
    case "Rejected": {
      const { reversal, ...rejected } = result;
      const json = executeResultJson(rejected, iso4217) as unknown as Record<string, unknown>;
      return reversal === undefined ? json : { ...json, reversed: true };
    }
    default:
      return executeResultJson(result, iso4217) as unknown as Record<string, unknown>;
  }
}

async function balances(argv: readonly string[]): Promise<number> {
  const flags = commandFlags("partitions", argv, {
    dir: "string",
    wallet: "string",
    json: "boolean",
  });
  const dir = flags.required("dir");
  const wallet = flags.string("wallet");
  const json = flags.boolean("json");
  const { stores } = await openPartitionStoresReadOnly(dir);
  const engines: Ledger[] = [];
  try {
    for (const [index, store] of stores.entries())
      engines.push(
        await openLedger({ store, ledgerId: partitionLedgerId(index), snapshotEvery: 0 }),
      );
    const rows = sumAccounts(engines.flatMap((engine) => engine.accountBalances()));
    const shown =
      wallet === undefined
        ? rows
        : rows.filter((row) => row.account.startsWith(`liabilities:wallets:${wallet}:`));
    if (
      wallet !== undefined &&
      shown.length === 0 &&
      !engines.some((engine) => engine.currentState.wallets.has(wallet))
    )
      throw new CliError(`no wallet ${wallet} in this ledger`, EXIT_USAGE);
    process.stdout.write(`${accountsText(shown, json)}\n`);
  } finally {
    for (const engine of engines) await engine.close();
    for (const store of stores) await store.close();
  }
  return EXIT_OK;
}

function sumAccounts(rows: readonly AccountBalance[]): AccountBalance[] {
  const sums = new Map<string, AccountBalance>();
  for (const row of rows) {
    const key = `${row.account}|${row.currency}`;
    const before = sums.get(key);
    sums.set(key, {
      ...row,
      balance: (before?.balance ?? 0n) + row.balance,
      normal: (before?.normal ?? 0n) + row.normal,
    });
  }
  return [...sums.values()]
    .filter((row) => row.balance !== 0n)
    .sort((a, b) =>
      a.account === b.account
        ? a.currency.localeCompare(b.currency)
        : a.account < b.account
          ? -1
          : 1,
    );
}

async function auditDirectory(dir: string): Promise<PartitionsAuditReport> {
  const { stores } = await openPartitionStoresReadOnly(dir);
  try {
    return await auditPartitions(
      stores.map((store, index) => ({ store, stream: `ledger-${partitionLedgerId(index)}` })),
    );
  } finally {
    for (const store of stores) await store.close();
  }
}

async function audit(argv: readonly string[]): Promise<number> {
  const flags = commandFlags("partitions", argv, { dir: "string", json: "boolean" });
  const dir = flags.required("dir");
  const report = await auditDirectory(dir);
  process.stdout.write(
    `${flags.boolean("json") ? auditJsonText(report) : auditText(report, dir)}\n`,
  );
  return report.clean ? EXIT_OK : EXIT_VIOLATIONS;
}

function auditText(report: PartitionsAuditReport, dir: string): string {
  const lines = [`Audit of the partitioned ledger ${dir} (${report.partitions.length} partitions)`];
  for (const partition of report.partitions) {
    const count = partition.violations.length + partition.violationsOmitted;
    lines.push(
      `  ${partition.stream.padEnd(14)} ${String(partition.events).padStart(8)} events  ${count === 0 && partition.fatal === undefined ? "clean" : `${count} violation${count === 1 ? "" : "s"}${partition.fatal === undefined ? "" : ", unreadable"}`}`,
    );
    for (const violation of partition.violations)
      lines.push(`      event ${violation.position} ${violation.check}: ${violation.message}`);
  }
  const trial = [...report.trialBalance].map(
    ([currency, total]) => `${currency} ${moneyText(total, currency)}`,
  );
  lines.push(
    `  legs              ${report.legs.send} sent, ${report.legs.receive} received, ${report.legs.return} returned`,
    `  in flight         ${report.inFlight.length}`,
    `  trial balance     ${trial.length === 0 ? "(no postings)" : trial.join(", ")}`,
  );
  for (const violation of report.violations)
    lines.push(`  ${violation.check}: ${violation.message}`);
  lines.push(
    "",
    report.clean
      ? `Verdict: CLEAN: every partition's checks, the leg pairing, clearing and the global trial balance passed.`
      : `Verdict: VIOLATIONS (see above).`,
  );
  return lines.join("\n");
}

function auditJsonText(report: PartitionsAuditReport): string {
  return jsonText({
    clean: report.clean,
    partitions: report.partitions.map((partition) => ({
      stream: partition.stream,
      events: partition.events,
      lastHash: partition.lastHash,
      violations: partition.violations,
      violationsOmitted: partition.violationsOmitted,
      fatal: partition.fatal ?? null,
    })),
    legs: report.legs,
    inFlight: report.inFlight.map((ticket) => ({
      transferId: ticket.transferId,
      source: ticket.source,
      target: ticket.target,
      currency: ticket.amount.currency,
      amount: moneyText(ticket.amount.amount, ticket.amount.currency),
    })),
    violations: report.violations,
    trialBalance: Object.fromEntries(
      [...report.trialBalance].map(([currency, total]) => [currency, moneyText(total, currency)]),
    ),
  });
}
