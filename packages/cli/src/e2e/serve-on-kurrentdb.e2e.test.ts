/**
 * `pacioli serve --store kurrentdb://…` against the EventStoreDB/KurrentDB gRPC test double
 * (served from this test process; the server runs as a child process): commands over HTTP
 * land on the store, and a retry after a restart of the server gets the original result.
 */
import { describe, expect, it } from "vitest";
import { kurrentDoubleForSuite } from "./kurrent-double.js";
import { postJson, startServe } from "./serve-process.js";

describe("pacioli serve on KurrentDB (test double)", () => {
  const connectionString = kurrentDoubleForSuite();

  it("records commands on the server's stream and replays a retry after a restart", async () => {
    const open = {
      idempotencyKey: "open-w1",
      command: { type: "OpenWallet", walletId: "w1", ownerId: "ana" },
    };
    const first = await startServe(["--store", connectionString()]);
    const accepted = await postJson(first.base, "/commands", open);
    expect(accepted.status).toBe(201);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = await startServe(["--store", connectionString()]);
    try {
      const retry = await postJson(second.base, "/commands", open);
      expect(retry.status).toBe(200);
      expect(retry.text).toBe(accepted.text);
      const audit = (await (await fetch(`${second.base}/audit`)).json()) as { sequence: number };
      expect(audit.sequence).toBe(1);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
