/**
 * Runs the embedding example from the docs, so the recipe is known to work, not only to
 * compile, and checks that the recipe still holds it verbatim.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { TestClock } from "@pacioli/engine";
import { deposit } from "@pacioli/store-testkit";
import { startWalletService } from "./embed-in-a-service.js";

const T0 = Date.UTC(2026, 10, 25, 10);
let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("the embedding example records, refuses, repeats and survives a restart", async () => {
  dir = mkdtempSync(join(tmpdir(), "pacioli-embed-"));
  const path = join(dir, "wallets.db");
  const clock = new TestClock(T0);
  const service = await startWalletService({ path, clock, dueWorkEveryMs: 0 });
  const topUp = deposit("alice", "25.00", "USD", "top-up-1");
  expect(
    await service.send({
      idempotencyKey: "open-alice",
      command: { type: "OpenWallet", walletId: "alice", ownerId: "user-1" },
    }),
  ).toMatchObject({ status: "recorded" });
  expect(await service.send(topUp)).toEqual({ status: "recorded", sequence: 2, repeated: false });
  expect(
    await service.send({
      idempotencyKey: "pay-1",
      command: {
        type: "WithdrawFunds",
        walletId: "alice",
        amount: { currency: "USD", amount: "99.00" },
        channel: "bank",
      },
    }),
  ).toMatchObject({
    status: "refused",
    reason: "InsufficientFunds",
  });
  expect(await service.send(deposit("alice", "1.001", "USD", "bad"))).toMatchObject({
    status: "invalid",
  });
  await service.close();

  const restarted = await startWalletService({ path, clock, dueWorkEveryMs: 0 });
  expect(await restarted.send(topUp)).toEqual({ status: "recorded", sequence: 2, repeated: true });
  expect(restarted.balance("alice")).toEqual([
    { currency: "USD", available: "25.00", held: "0.00" },
  ]);
  await restarted.close();
});

it("docs/recipes/embedding.md holds this example verbatim", () => {
  const example = readFileSync(
    fileURLToPath(new URL("./embed-in-a-service.ts", import.meta.url)),
    "utf8",
  );
  const recipe = readFileSync(
    fileURLToPath(new URL("../../../../docs/recipes/embedding.md", import.meta.url)),
    "utf8",
  );
  expect(
    recipe.includes(`\`\`\`ts\n${example}\`\`\``),
    "copy the example into the recipe again",
  ).toBe(true);
});
