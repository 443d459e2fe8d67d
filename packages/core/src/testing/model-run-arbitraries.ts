/**
 * What a model-based run outside core needs (`@pacioli/core/testing/arbitraries`, a name
 * known only to the workspace's tests: vitest's alias and the partitions' tsconfig `paths`;
 * not a package export, since the arbitraries import fast-check and are not published): the
 * wallet world's command sequences (every command type, world-arbitraries.ts), the digest a
 * step's request carries, and the observation both sides are compared in
 * (model-observation.ts). Test-only, like the rest of `testing/`: not published.
 */
export {
  CURRENCIES,
  START_AT,
  commandDigest,
  stepsArbitrary,
  type CommandArbitrary,
  type Step,
} from "./arbitraries.js";
export { worldStepsArbitrary } from "./world-arbitraries.js";
export { observeModel, observeReal, type Observation } from "./model-observation.js";
