/**
 * Sequences of the whole wallet world (issue 18): every core, checkout and treasury command,
 * with payouts and adjustments (weighing double) and promoted and converted checkouts with the
 * commands that send their money back, after a prelude that reaches deep states in all of
 * them. Used by the wallet-world model run and by the rejection docs' drift test.
 */
import type fc from "fast-check";
import { COMMAND_ARBITRARIES, PRELUDE, stepsArbitrary, type Step } from "./arbitraries.js";
import { FUNDING_PRELUDE, fundingArbitraries } from "./funding-arbitraries.js";
import { PAYOUT_PRELUDE, payoutArbitraries } from "./payout-arbitraries.js";

export const worldStepsArbitrary = (maxLength: number): fc.Arbitrary<Step[]> =>
  stepsArbitrary({
    maxLength,
    // Payouts and adjustments weigh double here, against the funded checkouts' share.
    arbitraries: [
      ...COMMAND_ARBITRARIES,
      ...payoutArbitraries().map((entry) => ({ ...entry, weight: 2 * entry.weight })),
      ...fundingArbitraries(),
    ],
    prelude: [...PRELUDE, ...PAYOUT_PRELUDE, ...FUNDING_PRELUDE],
  });
