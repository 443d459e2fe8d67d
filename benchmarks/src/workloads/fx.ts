/**
 * `fx`: wallets converting between USD, JPY (no minor unit) and KWD (three decimals) at
 * quoted rates with a 1% fee. Quotes are issued once per segment and many conversions use
 * each, as a wallet app refreshes its rates every few seconds.
 */
import { drawnSegments, SegmentBuilder, walletName, worldSetup, type FxRate } from "./builder.js";
import { Random, type Workload, type WorkloadSize } from "./workload.js";

export const FX_RATES: readonly FxRate[] = [
  { source: "USD", target: "JPY", text: "150.25", sourceExponent: 2, targetExponent: 0 },
  { source: "JPY", target: "USD", text: "0.0066", sourceExponent: 0, targetExponent: 2 },
  { source: "USD", target: "KWD", text: "0.307", sourceExponent: 2, targetExponent: 3 },
  { source: "KWD", target: "USD", text: "3.25", sourceExponent: 3, targetExponent: 2 },
];

/** A gross amount in the rate's source currency: roughly $5-$100 worth. */
export function fxAmount(random: Random, rate: FxRate): bigint {
  const units = 5 + random.below(96);
  if (rate.source === "JPY") return BigInt(units * 150);
  if (rate.source === "KWD") return BigInt(units * 307);
  return BigInt(units * 100);
}

/** A segment's builder with one quote per rate issued first (quote ids `{prefix}q{index}`). */
export function quotedSegmentBuilder(prefix: string): SegmentBuilder {
  const builder = new SegmentBuilder(prefix);
  FX_RATES.forEach((rate, index) => builder.quote(`${prefix}q${index}`, rate));
  return builder;
}

/** One of the rates, drawn from `random`, with the id of its quote in the segment. */
export function drawnRate(random: Random, prefix: string): { rate: FxRate; quoteId: string } {
  const index = random.below(FX_RATES.length);
  const rate = FX_RATES[index];
  if (rate === undefined) throw new Error("unreachable: index below length");
  return { rate, quoteId: `${prefix}q${index}` };
}

export function fxWorkload(size: WorkloadSize): Workload {
  const random = new Random(size.seed);
  const segments = drawnSegments(size, quotedSegmentBuilder, (builder, prefix) => {
    const { rate, quoteId } = drawnRate(random, prefix);
    builder.convert(walletName(random.below(size.wallets)), quoteId, rate, fxAmount(random, rate));
  });
  return {
    name: "fx",
    description: `${size.wallets.toLocaleString("en")} wallets holding USD, JPY and KWD; conversions USD↔JPY, USD↔KWD at quoted rates, 1% fee`,
    setup: worldSetup(size.wallets, 0, "USD", 100_000n, [
      { currency: "JPY", amount: 150_000n },
      { currency: "KWD", amount: 300_000n },
    ]),
    segments,
  };
}
