/**
 * The one contract every event store adapter passes: readable examples of each promise of
 * the port, then a model-based run (fast-check) that drives the store and a reference model
 * with random sequences of appends, retries, races, reads, subscriptions and snapshots.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { appendExamples } from "./append-examples.js";
import { useFreshStore, type OpenStore } from "./contract-fixture.js";
import { idempotencyExamples } from "./idempotency-examples.js";
import { readExamples } from "./read-examples.js";
import { ReferenceStoreModel } from "./reference-store-model.js";
import { snapshotExamples } from "./snapshot-examples.js";
import { storeCommandsArbitrary } from "./store-commands.js";
import { subscriptionExamples } from "./subscription-examples.js";

export interface ContractOptions {
  /** Model-based runs (default 150); each opens a fresh store. */
  readonly numRuns?: number;
}

export function eventStoreContract(
  name: string,
  open: OpenStore,
  options: ContractOptions = {},
): void {
  describe(`${name} satisfies the event store contract`, () => {
    const store = useFreshStore(open);
    appendExamples(store);
    readExamples(store);
    subscriptionExamples(store);
    snapshotExamples(store);
    idempotencyExamples(store);
  });

  describe(`${name} behaves like the reference model`, () => {
    it("under random appends, retries, races, reads, subscriptions and snapshots", async () => {
      const property = fc.asyncProperty(storeCommandsArbitrary, async (commands) => {
        const { store, cleanup } = await open();
        try {
          await fc.asyncModelRun(
            () => ({ model: new ReferenceStoreModel(), real: store }),
            commands,
          );
        } finally {
          await store.close();
          await cleanup?.();
        }
      });
      await fc.assert(property, { numRuns: options.numRuns ?? 150 });
    });
  });
}
