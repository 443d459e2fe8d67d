/**
 * `checkout` and `refunds-disputes`: many buyers paying few merchants. Each order is a
 * flow of commands: `Checkout` (hold), `CaptureHold` (into the order's escrow),
 * `ConfirmReceipt` (escrow to the merchant, 3% fee to `income:fees:checkout`). The merchant,
 * fee and escrow accounts are hot: every order touches them.
 *
 * `refunds-disputes` is the same with a share of orders ending otherwise: 10% partially
 * refunded after release (half, from the merchant's balance) and 5% disputed before release
 * and resolved for the buyer (escrow back to the wallet).
 */
import { drawnSegments, merchantName, SegmentBuilder, walletName, worldSetup } from "./builder.js";
import { Random, type Workload, type WorkloadSize } from "./workload.js";

export const PARTIAL_REFUND_SHARE = 0.1;
export const DISPUTE_SHARE = 0.05;

export function checkoutWorkload(size: WorkloadSize, withRefundsAndDisputes: boolean): Workload {
  const random = new Random(size.seed);
  const begin = (prefix: string) => new SegmentBuilder(prefix);
  const segments = drawnSegments(size, begin, (builder) => {
    const draw = random.next();
    const ending = !withRefundsAndDisputes
      ? "release"
      : draw < DISPUTE_SHARE
        ? "dispute"
        : draw < DISPUTE_SHARE + PARTIAL_REFUND_SHARE
          ? "partial-refund"
          : "release";
    builder.checkoutFlow(
      walletName(random.below(size.wallets)),
      merchantName(random.below(size.merchants)),
      "USD",
      BigInt(100 * (1 + random.below(80))),
      ending,
    );
  });
  return {
    name: withRefundsAndDisputes ? "refunds-disputes" : "checkout",
    description:
      `${size.wallets.toLocaleString("en")} buyers, ${size.merchants} merchants, orders of $1-$80 (hold, capture to escrow, release less 3% fee)` +
      (withRefundsAndDisputes
        ? `; ${PARTIAL_REFUND_SHARE * 100}% half refunded after release, ${DISPUTE_SHARE * 100}% disputed and refunded in full`
        : ""),
    setup: worldSetup(size.wallets, size.merchants, "USD", 100_000n),
    segments,
  };
}
