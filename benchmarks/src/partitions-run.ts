/** `node benchmarks/dist/partitions-run.js [--quick]`: the partitions benchmark, printed as a Markdown table. */
import {
  PARTITIONS_SIZES,
  partitionsTable,
  runPartitionsBenchmark,
} from "./partitions-benchmark.js";

const quick = process.argv.includes("--quick");
const rows = await runPartitionsBenchmark(PARTITIONS_SIZES[quick ? "quick" : "default"], (line) =>
  console.error(`[partitions ${new Date().toISOString()}] ${line}`),
);
process.stdout.write(`${partitionsTable(rows)}\n`);
