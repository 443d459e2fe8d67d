/** The workloads by name, each from a seed and a size. */
import { checkoutWorkload } from "./checkout.js";
import { fxWorkload } from "./fx.js";
import { mixedWorkload } from "./mixed.js";
import { p2pWorkload } from "./p2p.js";
import type { Workload, WorkloadName, WorkloadSize } from "./workload.js";

export * from "./workload.js";
export { MIXED_PROPORTIONS } from "./mixed.js";
export { p2pSegment, p2pSetup } from "./p2p.js";

export function makeWorkload(name: WorkloadName, size: WorkloadSize): Workload {
  switch (name) {
    case "p2p":
      return p2pWorkload(size);
    case "checkout":
      return checkoutWorkload(size, false);
    case "refunds-disputes":
      return checkoutWorkload(size, true);
    case "fx":
      return fxWorkload(size);
    case "mixed":
      return mixedWorkload(size);
  }
}
