/**
 * Which client a connection string picks, and that anything else is refused before a client
 * package is loaded (so this file loads neither client).
 */
import { describe, expect, it } from "vitest";
import {
  clientPackageOfUrl,
  isEventStoreDbUrl,
  openEventStoreFromUrl,
} from "./open-event-store-from-url.js";

/** Connection strings and the client package each one picks. */
const CLIENT_OF_URL: readonly (readonly [url: string, clientPackage: string])[] = [
  ["kurrentdb://127.0.0.1:2113?tls=false", "@kurrent/kurrentdb-client"],
  ["kurrentdb+discover://cluster.example:2113", "@kurrent/kurrentdb-client"],
  ["KDB://node1:2113,node2:2113", "@kurrent/kurrentdb-client"],
  ["esdb://127.0.0.1:2113?tls=false", "@eventstore/db-client"],
  ["esdb+discover://cluster.example:2113", "@eventstore/db-client"],
];

describe("openEventStoreFromUrl", () => {
  it("picks the KurrentDB client for kurrentdb:// (and its aliases) and the EventStoreDB client for esdb://", () => {
    for (const [url, clientPackage] of CLIENT_OF_URL)
      expect(clientPackageOfUrl(url), url).toBe(clientPackage);
  });

  it("refuses other schemes (a file path, sqlite:, http:) with a RangeError naming the accepted ones", async () => {
    for (const url of [
      "ledger.db",
      "sqlite://ledger.db",
      "http://127.0.0.1:2113",
      "kurrentdb:/missing-slash",
    ]) {
      expect(isEventStoreDbUrl(url)).toBe(false);
      await expect(openEventStoreFromUrl(url)).rejects.toThrow(/kurrentdb:\/\/.*esdb:\/\//);
    }
  });
});
