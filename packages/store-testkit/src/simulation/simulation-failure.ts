/**
 * A simulation run that found something: the seed and the step name the run exactly, so
 * `PACIOLI_SIM_SEED=<seed> PACIOLI_SIM_STEPS=<replaySteps>` replays it to the same point
 * (`step + 1`, or the run's length when the end-of-run checks failed).
 */
export class SimulationFailure extends Error {
  override readonly name = "SimulationFailure";
  constructor(
    readonly seed: number,
    readonly step: number,
    readonly finding: string,
    readonly replaySteps: number,
    /** The last lines of the trace before the failure. */
    readonly traceTail: readonly string[],
  ) {
    super(
      `simulation seed ${seed} failed at step ${step}: ${finding}\n` +
        `replay it with: PACIOLI_SIM_SEED=${seed} PACIOLI_SIM_STEPS=${replaySteps} npx vitest run packages/store-testkit/src/simulation\n` +
        `last trace lines:\n  ${traceTail.join("\n  ")}`,
    );
  }
}
