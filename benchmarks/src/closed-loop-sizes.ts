/**
 * The size of a closed-loop transfer run, shared by the benchmarks that drive one: `wallets`
 * opened and funded, `transfers` among them, sent by `callers` concurrent callers, each
 * awaiting its answer before sending the next (so a group commit holds at most `callers`
 * commands). Each benchmark keeps a small `quick` set, run by the ordinary tests so the
 * benchmark cannot rot, and the `default` set its RESULTS figures come from.
 */
export interface ClosedLoopSizes {
  readonly wallets: number;
  readonly transfers: number;
  readonly callers: number;
}

export type ClosedLoopSizeSets = Readonly<Record<"quick" | "default", ClosedLoopSizes>>;
