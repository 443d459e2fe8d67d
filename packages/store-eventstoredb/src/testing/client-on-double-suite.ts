/**
 * Everything one client package is tested with against the gRPC double: the store contract
 * with `BatchAppend` (what clients use against every server since 21.10), again with the
 * older unary `Append` and idempotent replies that carry no position, and the adapter's own
 * behaviour. Each client's test file calls it once, so that file loads only that client.
 */
import { eventStoreContract } from "@pacioli/store-testkit";
import { afterAll } from "vitest";
import { storesOnSharedDouble } from "../adapter-on-double.js";
import { adapterBehaviour } from "../adapter-behaviour.js";
import type { ClientPackage } from "../adapter-on-double.js";

export function clientOnDoubleSuite(clientPackage: ClientPackage): void {
  const batchAppend = storesOnSharedDouble(clientPackage);
  afterAll(() => batchAppend.stop());
  eventStoreContract(
    `EventStoreDbStore (${clientPackage}, BatchAppend) on the gRPC double`,
    batchAppend.open,
    { numRuns: 40 },
  );
  const unaryAppend = storesOnSharedDouble(clientPackage, {
    advertiseBatchAppend: false,
    idempotentWithoutPosition: true,
  });
  afterAll(() => unaryAppend.stop());
  eventStoreContract(
    `EventStoreDbStore (${clientPackage}, Append, idempotent replies without position) on the gRPC double`,
    unaryAppend.open,
    { numRuns: 20 },
  );
  adapterBehaviour(clientPackage);
}
