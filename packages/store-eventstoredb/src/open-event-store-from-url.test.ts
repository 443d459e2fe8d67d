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

describe("openEventStoreFromUrl", () => {
  it("picks the KurrentDB client for kurrentdb:// (and its aliases) and the EventStoreDB client for esdb://", () => {
    expect(clientPackageOfUrl("kurrentdb://127.0.0.1:2113?tls=false")).toBe(
      "@kurrent/kurrentdb-client",
    );
    expect(clientPackageOfUrl("kurrentdb+discover://cluster.example:2113")).toBe(
      "@kurrent/kurrentdb-client",
    );
    expect(clientPackageOfUrl("KDB://node1:2113,node2:2113")).toBe("@kurrent/kurrentdb-client");
    expect(clientPackageOfUrl("esdb://127.0.0.1:2113?tls=false")).toBe("@eventstore/db-client");
    expect(clientPackageOfUrl("esdb+discover://cluster.example:2113")).toBe(
      "@eventstore/db-client",
    );
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
