/**
 * The history wire format is documented exactly: the field tables of
 * docs/reference/history-queries.md ("Wire format"), the keys the engine's
 * `walletHistoryLineJson` / `accountHistoryLineJson` write (the CLI's and the server's
 * lines), and the OpenAPI schemas `WalletHistoryLine` / `AccountHistoryLine` are the same
 * lists, in the same order. Any field added to one and not the others fails here.
 */
import { iso4217 } from "@pacioli/core";
import {
  accountHistoryLineJson,
  walletHistoryLineJson,
  type AccountHistoryLine,
  type WalletHistoryLine,
} from "@pacioli/engine";
import { firstColumnAfter } from "@pacioli/store-testkit";
import { describe, expect, it } from "vitest";
import { apiDescription } from "./openapi/openapi-document.js";

const reference = new URL("../../../docs/reference/history-queries.md", import.meta.url);
const schemas = (
  apiDescription(iso4217).document as {
    components: {
      schemas: Record<string, { required: string[]; properties: Record<string, unknown> }>;
    };
  }
).components.schemas;

/** The first column of the table that follows `heading` (a line of the page), backticks off. */
const fieldsAfter = (heading: string): string[] => firstColumnAfter(reference, heading);

const origin = {
  commandId: "cmd-1",
  idempotencyKey: "order-17-capture",
  actor: "checkout",
  metadata: { order: "17" },
  counterparty: "liabilities:merchants:m1",
};
const walletLine: WalletHistoryLine = {
  sequence: 3,
  recordedAt: Date.UTC(2026, 11, 1),
  type: "HoldCaptured",
  currency: "USD",
  availableChange: 0n,
  heldChange: -1200n,
  available: 1300n,
  held: 0n,
  ...origin,
};
const accountLine: AccountHistoryLine = {
  sequence: 3,
  recordedAt: Date.UTC(2026, 11, 1),
  type: "HoldCaptured",
  account: "liabilities:wallets:w1:held",
  currency: "USD",
  amount: 1200n,
  balance: 0n,
  ...origin,
};

describe("the history wire format (docs/reference/history-queries.md)", () => {
  const wallet = fieldsAfter("A wallet's line (`--wallet`");
  const account = fieldsAfter("Any account's line (`--account`");

  it("documents exactly the keys of a wallet line, in the order written", () => {
    expect(wallet.length).toBeGreaterThan(8);
    expect(Object.keys(walletHistoryLineJson(iso4217, walletLine))).toEqual(wallet);
    const { actor: _actor, metadata: _metadata, counterparty: _other, ...bare } = walletLine;
    // Absent ones are null, never missing: every line has every key.
    const json = walletHistoryLineJson(iso4217, bare);
    expect(Object.keys(json)).toEqual(wallet);
    expect([json.actor, json.metadata, json.counterparty]).toEqual([null, null, null]);
  });

  it("documents exactly the keys of an account line, in the order written", () => {
    expect(account.length).toBeGreaterThan(7);
    expect(Object.keys(accountHistoryLineJson(iso4217, accountLine))).toEqual(account);
  });

  it("has OpenAPI line schemas with exactly the documented fields, all required", () => {
    for (const [name, fields] of [
      ["WalletHistoryLine", wallet],
      ["AccountHistoryLine", account],
    ] as const) {
      const schema = schemas[name];
      expect(schema, name).toBeDefined();
      expect(Object.keys(schema?.properties ?? {}), name).toEqual(fields);
      expect(schema?.required, name).toEqual(fields);
    }
  });
});
