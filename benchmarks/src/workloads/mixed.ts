/**
 * `mixed`: a day of the wallet world, drawn action by action in the proportions of
 * `MIXED_PROPORTIONS` (documented in benchmarks/README.md). An action is one command except
 * a checkout, which is three to four (hold, capture, release or dispute, refund).
 */
import { drawnSegments, merchantName, walletName, worldSetup } from "./builder.js";
import { drawnRate, fxAmount, quotedSegmentBuilder } from "./fx.js";
import { DISPUTE_SHARE, PARTIAL_REFUND_SHARE } from "./checkout.js";
import { Random, type Workload, type WorkloadSize } from "./workload.js";

/** Share of actions (not commands) of each kind; they sum to 1. */
export const MIXED_PROPORTIONS = {
  transfer: 0.4,
  checkout: 0.25,
  deposit: 0.12,
  withdrawal: 0.08,
  conversion: 0.15,
} as const;

export function mixedWorkload(size: WorkloadSize): Workload {
  const random = new Random(size.seed);
  const segments = drawnSegments(size, quotedSegmentBuilder, (builder, prefix) => {
    const draw = random.next();
    const wallet = walletName(random.below(size.wallets));
    let threshold = MIXED_PROPORTIONS.transfer;
    if (draw < threshold) {
      const [from, to] = random.pair(size.wallets);
      builder.transfer(
        walletName(from),
        walletName(to),
        "USD",
        BigInt(100 * (1 + random.below(50))),
      );
      return;
    }
    threshold += MIXED_PROPORTIONS.checkout;
    if (draw < threshold) {
      const ending = random.next();
      builder.checkoutFlow(
        wallet,
        merchantName(random.below(size.merchants)),
        "USD",
        BigInt(100 * (1 + random.below(80))),
        ending < DISPUTE_SHARE
          ? "dispute"
          : ending < DISPUTE_SHARE + PARTIAL_REFUND_SHARE
            ? "partial-refund"
            : "release",
      );
      return;
    }
    threshold += MIXED_PROPORTIONS.deposit;
    if (draw < threshold) {
      builder.deposit(wallet, "USD", BigInt(100 * (10 + random.below(200))));
      return;
    }
    threshold += MIXED_PROPORTIONS.withdrawal;
    if (draw < threshold) {
      builder.withdraw(wallet, "USD", BigInt(100 * (5 + random.below(100))));
      return;
    }
    const { rate, quoteId } = drawnRate(random, prefix);
    builder.convert(wallet, quoteId, rate, fxAmount(random, rate));
  });
  return {
    name: "mixed",
    description: `${size.wallets.toLocaleString("en")} wallets, ${size.merchants} merchants; actions: 40% transfers, 25% checkouts (10% half refunded, 5% disputed), 12% deposits, 8% withdrawals, 15% conversions`,
    setup: worldSetup(size.wallets, size.merchants, "USD", 100_000n, [
      { currency: "JPY", amount: 150_000n },
      { currency: "KWD", amount: 300_000n },
    ]),
    segments,
  };
}
