/**
 * `p2p`: wallet-to-wallet transfers among N wallets chosen uniformly, amounts $1-$50. Every
 * wallet starts with $1,000, so a few transfers are refused for insufficient funds once
 * money has drifted (the ceiling refuses the same ones).
 */
import { SegmentBuilder, walletName, worldSetup } from "./builder.js";
import { Random, type Workload, type WorkloadSize } from "./workload.js";

export function p2pWorkload(size: WorkloadSize): Workload {
  const random = new Random(size.seed);
  const segments = [];
  for (let segment = 0; segment < size.segments; segment += 1) {
    const builder = new SegmentBuilder(`s${segment}-`);
    for (let index = 0; index < size.commandsPerSegment; index += 1) {
      const [from, to] = random.pair(size.wallets);
      builder.transfer(walletName(from), walletName(to), "USD", BigInt(100 * (1 + random.below(50))));
    }
    segments.push(builder.done());
  }
  return {
    name: "p2p",
    description: `${size.wallets.toLocaleString("en")} wallets, uniform transfers of $1-$50`,
    setup: worldSetup(size.wallets, 0, "USD", 100_000n),
    segments,
  };
}
