/**
 * `p2p`: wallet-to-wallet transfers among N wallets chosen uniformly, amounts $1-$50. Every
 * wallet starts with $1,000, so a few transfers are refused for insufficient funds once
 * money has drifted (the ceiling refuses the same ones).
 */
import { SegmentBuilder, walletName, worldSetup } from "./builder.js";
import { Random, type Segment, type Workload, type WorkloadSize } from "./workload.js";

export function p2pWorkload(size: WorkloadSize): Workload {
  const random = new Random(size.seed);
  const segments = [];
  for (let segment = 0; segment < size.segments; segment += 1)
    segments.push(p2pSegment(random, size.wallets, size.commandsPerSegment, `s${segment}-`));
  return {
    name: "p2p",
    description: `${size.wallets.toLocaleString("en")} wallets, uniform transfers of $1-$50`,
    setup: p2pSetup(size.wallets),
    segments,
  };
}

/** One segment of transfers, drawn from `random`: long histories generate them one at a time. */
export function p2pSegment(
  random: Random,
  wallets: number,
  commands: number,
  prefix: string,
): Segment {
  const builder = new SegmentBuilder(prefix);
  for (let index = 0; index < commands; index += 1) {
    const [from, to] = random.pair(wallets);
    builder.transfer(walletName(from), walletName(to), "USD", BigInt(100 * (1 + random.below(50))));
  }
  return builder.done();
}

/** The set-up of a p2p world alone (wallets opened and funded), without any segment. */
export const p2pSetup = (wallets: number): Segment => worldSetup(wallets, 0, "USD", 100_000n);
