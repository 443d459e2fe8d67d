/**
 * The verifiable ledger's costs (ADR 0016), apart from the main suite:
 *
 *   node benchmarks/dist/verifiable-ledger.js [--quick] [--leaves 1000000,10000000] [--commands N]
 *
 * 1. Per event on the write path: the hash chain (`encodeEntry`: JSON of the record and one
 *    SHA-256) against the tree (the leaf hash of the stored payload and the frontier append),
 *    on payloads the engine really wrote.
 * 2. The engine end to end on the memory store: commands/s with the tree head kept (warmed
 *    once, so every append folds its leaves) and without (never asked for).
 * 3. Proofs at each tree size: leaves hashed, inclusion and consistency proof sizes, and the
 *    time to build (one pass over the tree) and to verify (log n hashes) each.
 *
 * Prints one JSON object per measurement on stdout. Timings on a shared 2-core machine are
 * noisy: each is the median of `runs`.
 */
import {
  encodeEntry,
  GENESIS_HASH,
  inclusionProof,
  consistencyProof,
  leafHash,
  LeafHashes,
  MemoryEventStore,
  openLedger,
  rangeRoot,
  TestClock,
  TreeHead,
  verifyConsistency,
  verifyInclusion,
  decodeStoredEvent,
} from "@pacioli/engine";
import { iso4217, type RecordedEvent } from "@pacioli/core";
import { summarize } from "./measure.js";

interface Options {
  readonly leaves: readonly number[];
  readonly commands: number;
  readonly runs: number;
}

const T0 = Date.UTC(2026, 10, 25, 10);

function deposit(index: number): unknown {
  return {
    idempotencyKey: `dep-${index}`,
    command: {
      type: "DepositFunds",
      walletId: `w${index % 100}`,
      amount: { currency: "USD", amount: "1.00" },
      channel: "card",
    },
  };
}
function openWallet(index: number): unknown {
  return {
    idempotencyKey: `open-${index}`,
    command: { type: "OpenWallet", walletId: `w${index}`, ownerId: `o${index}` },
  };
}

async function engineRun(
  commands: number,
  withTree: boolean,
): Promise<{ commandsPerSecond: number; recorded: RecordedEvent[]; payloads: string[] }> {
  const store = new MemoryEventStore();
  const ledger = await openLedger({ store, clock: new TestClock(T0), snapshotEvery: 0 });
  await Promise.all(
    Array.from({ length: 100 }, (_, index) => ledger.executeWire(openWallet(index))),
  );
  if (withTree) await ledger.treeHead();
  const started = performance.now();
  const batch = 500;
  for (let offset = 0; offset < commands; offset += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, commands - offset) }, (_, index) =>
        ledger.executeWire(deposit(offset + index)),
      ),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  if (withTree) {
    const head = await ledger.treeHead();
    if (head.size !== ledger.sequence)
      throw new Error(`assertion failed: tree of ${head.size} for ${ledger.sequence} events`);
  }
  const stored = await store.readStream(ledger.stream);
  return {
    commandsPerSecond: commands / seconds,
    recorded: stored.map((event) => decodeStoredEvent(iso4217, event).recorded),
    payloads: stored.map((event) => event.payload),
  };
}

function perEvent(
  recorded: readonly RecordedEvent[],
  payloads: readonly string[],
  runs: number,
): { chainMicroseconds: number; treeMicroseconds: number; payloadBytes: number } {
  const chain: number[] = [];
  const tree: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    let started = performance.now();
    let hash = GENESIS_HASH;
    for (const event of recorded) hash = encodeEntry(iso4217, event, hash).entry.hash;
    chain.push(((performance.now() - started) * 1000) / recorded.length);
    started = performance.now();
    const head = TreeHead.empty();
    for (const payload of payloads) head.append(leafHash(payload));
    tree.push(((performance.now() - started) * 1000) / payloads.length);
  }
  const bytes =
    payloads.reduce((sum, payload) => sum + Buffer.byteLength(payload), 0) / payloads.length;
  return {
    chainMicroseconds: summarize(chain).median,
    treeMicroseconds: summarize(tree).median,
    payloadBytes: Math.round(bytes),
  };
}

function proofs(size: number, payload: string, runs: number): Record<string, number> {
  let started = performance.now();
  const leaves = new LeafHashes();
  const head = TreeHead.empty();
  for (let index = 0; index < size; index += 1) {
    const leaf = leafHash(`${index}${payload}`);
    leaves.push(leaf);
    head.append(leaf);
  }
  const hashSeconds = (performance.now() - started) / 1000;
  const root = head.root();
  const oldSize = Math.floor(size * 0.99);
  const oldRoot = rangeRoot(leaves, 0, oldSize);
  const build: number[] = [];
  const buildConsistency: number[] = [];
  const check: number[] = [];
  const checkConsistency: number[] = [];
  let inclusionHashes = 0;
  let consistencyHashes = 0;
  for (let run = 0; run < runs; run += 1) {
    const index = Math.floor((size * (run + 0.5)) / runs);
    started = performance.now();
    const proof = inclusionProof(leaves, index, size);
    build.push(performance.now() - started);
    started = performance.now();
    const verified = verifyInclusion({
      leafIndex: index,
      treeSize: size,
      leafHash: leaves.at(index),
      proof,
      root,
    });
    check.push((performance.now() - started) * 1000);
    if (verified._tag !== "Verified")
      throw new Error(`assertion failed: inclusion of ${index} in ${size}`);
    inclusionHashes = Math.max(inclusionHashes, proof.length);
    started = performance.now();
    const consistency = consistencyProof(leaves, oldSize, size);
    buildConsistency.push(performance.now() - started);
    started = performance.now();
    const consistent = verifyConsistency({
      oldSize,
      newSize: size,
      oldRoot,
      newRoot: root,
      proof: consistency,
    });
    checkConsistency.push((performance.now() - started) * 1000);
    if (consistent._tag !== "Verified")
      throw new Error(`assertion failed: consistency ${oldSize} → ${size}`);
    consistencyHashes = consistency.length;
  }
  return {
    leaves: size,
    leafHashSeconds: hashSeconds,
    inclusionHashes,
    inclusionBytes: inclusionHashes * 32,
    inclusionBuildMs: summarize(build).median,
    inclusionVerifyMicroseconds: summarize(check).median,
    consistencyFrom: oldSize,
    consistencyHashes,
    consistencyBytes: consistencyHashes * 32,
    consistencyBuildMs: summarize(buildConsistency).median,
    consistencyVerifyMicroseconds: summarize(checkConsistency).median,
  };
}

export async function runVerifiableBenchmark(
  options: Options,
  print: (line: string) => void,
): Promise<void> {
  // Interleaved, so a burst of load on the shared machine hits both alike.
  const rates = { without: [] as number[], with: [] as number[] };
  let withTree = await engineRun(options.commands, true);
  for (let run = 0; run < Math.min(options.runs, 3); run += 1) {
    rates.without.push((await engineRun(options.commands, false)).commandsPerSecond);
    withTree = await engineRun(options.commands, true);
    rates.with.push(withTree.commandsPerSecond);
  }
  print(
    JSON.stringify({
      measure: "engine",
      store: "memory",
      commands: options.commands,
      withoutTreeCommandsPerSecond: summarize(rates.without),
      withTreeCommandsPerSecond: summarize(rates.with),
    }),
  );
  print(
    JSON.stringify({
      measure: "per-event",
      events: withTree.payloads.length,
      ...perEvent(withTree.recorded, withTree.payloads, options.runs),
    }),
  );
  const payload = withTree.payloads[withTree.payloads.length - 1] ?? "";
  for (const size of options.leaves)
    print(JSON.stringify({ measure: "proofs", ...proofs(size, payload, options.runs) }));
}

function valueOf(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

if (process.argv[1]?.endsWith("verifiable-ledger.js") === true) {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const leaves = (valueOf(args, "--leaves") ?? (quick ? "1000" : "1000000")).split(",").map(Number);
  const commands = Number(valueOf(args, "--commands") ?? (quick ? 500 : 20_000));
  runVerifiableBenchmark({ leaves, commands, runs: quick ? 3 : 7 }, (line) =>
    console.log(line),
  ).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
