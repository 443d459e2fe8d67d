/**
 * The EventStoreDB/KurrentDB gRPC test double for an e2e suite (no server can run on CI
 * machines): served from the test process for the enclosing `describe`, started before its
 * tests and closed after them, reached with the KurrentDB client's connection string.
 */
import { afterAll, beforeAll } from "vitest";
import { startStoreOnTestDouble, type StoreOnTestDouble } from "@pacioli/store-eventstoredb";

/** Registers the double's start and close; the returned function gives its connection string. */
export function kurrentDoubleForSuite(): () => string {
  let double: StoreOnTestDouble | undefined;
  beforeAll(async () => {
    double = await startStoreOnTestDouble({ client: "kurrentdb" });
  });
  afterAll(async () => {
    await double?.close();
  });
  return () => {
    if (double === undefined) throw new Error("the test double is started before the tests");
    return double.connectionString;
  };
}
