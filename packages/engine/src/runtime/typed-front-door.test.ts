/**
 * The two doors: `execute` for typed commands from TypeScript, `executeWire` for JSON. Both
 * reach the same decision, with the same digest, so a retry through either door is a repeat.
 */
import { describe, expect, it } from "vitest";
import type { CommandRequest } from "@pacioli/core";
import { handle, initialState } from "@pacioli/core";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { GENESIS_HASH } from "../journal/hash-chain.js";
import { encodeEntry } from "../journal/journal-codec.js";
import { TestClock } from "./clock.js";
import { openLedger } from "./ledger.js";
import { takeInWire } from "./command-intake.js";
import { canonicalText, legacyRequestDigest, requestDigest } from "./request-digest.js";
import { deposit, openWallet } from "@pacioli/core/testing/requests";

const T0 = Date.UTC(2026, 10, 25, 10);

async function ledgerWithWallet() {
  const ledger = await openLedger({ store: new MemoryEventStore(), clock: new TestClock(T0) });
  expect(
    (
      await ledger.execute({
        idempotencyKey: "open-w1",
        command: { type: "OpenWallet", walletId: "w1", ownerId: "o1" },
      })
    )._tag,
  ).toBe("Accepted");
  return ledger;
}

/** A typed deposit into w1: minor units as a bigint. */
const typedDeposit = (
  idempotencyKey: string,
  amount: bigint,
  currency = "USD",
): CommandRequest => ({
  idempotencyKey,
  command: { type: "DepositFunds", walletId: "w1", amount: { currency, amount }, channel: "card" },
});

describe("typed front door", () => {
  it("takes typed commands (bigint minor units) and records them", async () => {
    const ledger = await ledgerWithWallet();
    const result = await ledger.execute(typedDeposit("dep-1", 1230n));
    expect(result).toMatchObject({ _tag: "Accepted", repeated: false });
    expect(ledger.walletBalances("w1")).toEqual([
      { currency: "USD", available: 1230n, held: 0n, total: 1230n },
    ]);
  });

  it("refuses at compile time a misspelt command type or a decimal string where minor units go", () => {
    const misspelt: CommandRequest = {
      idempotencyKey: "k",
      command: {
        // @ts-expect-error "DepositFund" is not a command type
        type: "DepositFund",
        walletId: "w1",
        amount: { currency: "USD", amount: 1n },
        channel: "card",
      },
    };
    const stringAmount: CommandRequest = {
      idempotencyKey: "k",
      command: {
        type: "DepositFunds",
        walletId: "w1",
        // @ts-expect-error a typed amount is bigint minor units, not a decimal string
        amount: { currency: "USD", amount: "12.30" },
        channel: "card",
      },
    };
    expect([misspelt, stringAmount].map((request) => request.command.type)).toEqual([
      "DepositFund",
      "DepositFunds",
    ]);
  });

  it("checks what the type cannot say: a non-positive amount or an unknown currency is Invalid, nothing decided", async () => {
    const ledger = await ledgerWithWallet();
    const negative = await ledger.execute(typedDeposit("neg", -5n));
    const unknown = await ledger.execute(typedDeposit("xyz", 5n, "XYZ"));
    expect(negative._tag).toBe("Invalid");
    expect(unknown._tag).toBe("Invalid");
    expect(ledger.sequence).toBe(1);
  });

  it("answers a retry through the other door with the original events", async () => {
    const ledger = await ledgerWithWallet();
    const typed = await ledger.execute(typedDeposit("dep-2", 1230n));
    const wire = await ledger.executeWire(deposit("w1", "12.3", "USD", "dep-2"));
    expect(wire).toEqual(typed._tag === "Accepted" ? { ...typed, repeated: true } : typed);
    const reused = await ledger.executeWire(deposit("w1", "12.31", "USD", "dep-2"));
    expect(reused).toMatchObject({ _tag: "Rejected", rejection: { _tag: "IdempotencyKeyReused" } });
  });
});

describe("request digest", () => {
  const registryOf = async () => (await openLedger({ store: new MemoryEventStore() })).registry;

  it("is the same for 12.3 and 12.30 USD, and for two spellings of one instant", async () => {
    const registry = await registryOf();
    const envelopeOf = (request: unknown) => {
      const intake = takeInWire(registry, request, T0);
      if (intake._tag !== "Ready") throw new Error("expected a valid request");
      return intake.envelope;
    };
    expect(envelopeOf(deposit("w1", "12.3", "USD", "k")).digest).toBe(
      envelopeOf(deposit("w1", "12.30", "USD", "k")).digest,
    );
    expect(envelopeOf(deposit("w1", "12.3", "USD", "k")).digest).not.toBe(
      envelopeOf(deposit("w1", "12.31", "USD", "k")).digest,
    );
    const at = (effectiveAt: string) =>
      envelopeOf({ ...openWallet("w1", "k"), effectiveAt }).digest;
    expect(at("2026-11-25T10:00:00Z")).toBe(at("2026-11-25T10:00:00.000Z"));
    expect(at("2026-11-25T10:00:00Z")).not.toBe(at("2026-11-25T10:00:00.001Z"));
  });

  it("separates exactly the requests the legacy digest separates (over pairs of similar requests)", async () => {
    const registry = await registryOf();
    const amounts = ["1", "1.0", "1.00", "1.01", "10.1", "10.10", "0.01"];
    const requests = amounts.flatMap((amount) =>
      ["w1", "w2"].map((walletId) =>
        takeInWire(registry, deposit(walletId, amount, "USD", "k"), T0),
      ),
    );
    const envelopes = requests
      .map((intake) => (intake._tag === "Ready" ? intake.envelope : undefined))
      .filter((envelope) => envelope !== undefined);
    for (const left of envelopes) {
      for (const right of envelopes) {
        expect(left.digest === right.digest).toBe(
          legacyRequestDigest(registry, left) === legacyRequestDigest(registry, right),
        );
      }
    }
  });

  it("includes the idempotency key, so it doubles as a command id", () => {
    const command = { type: "OpenWallet", walletId: "w1", ownerId: "o1" } as const;
    expect(requestDigest({ idempotencyKey: "a", command })).not.toBe(
      requestDigest({ idempotencyKey: "b", command }),
    );
  });

  it("writes keys sorted and bigints marked, leaving undefined fields out", () => {
    expect(canonicalText({ b: 1n, a: ["x", 2, true, null], c: undefined })).toBe(
      '{"a":["x",2,true,null],"b":1n}',
    );
    expect(canonicalText({ amount: "1" })).not.toBe(canonicalText({ amount: 1n }));
  });
});

describe("a retry spanning the upgrade of the digest", () => {
  it("is recognised against a key recorded with the legacy digest; another payload is still refused", async () => {
    const store = new MemoryEventStore();
    const state = initialState();
    const intake = takeInWire(state.registry, openWallet("w1", "open-legacy"), T0);
    if (intake._tag !== "Ready") throw new Error("expected a valid request");
    // What a release before 0.9 recorded: the same request under its legacy digest.
    const legacy = {
      ...intake.envelope,
      digest: legacyRequestDigest(state.registry, intake.envelope),
    };
    const outcome = handle(state, legacy);
    if (outcome._tag !== "Right" || outcome.right._tag !== "Accepted")
      throw new Error("expected the command to be accepted");
    const [recorded] = outcome.right.events;
    if (recorded === undefined) throw new Error("expected one event");
    await store.append(
      "ledger-main",
      [encodeEntry(state.registry, recorded, GENESIS_HASH).newEvent],
      0,
    );

    const ledger = await openLedger({ store, clock: new TestClock(T0 + 1000) });
    expect(await ledger.executeWire(openWallet("w1", "open-legacy"))).toMatchObject({
      _tag: "Accepted",
      repeated: true,
      events: [{ sequence: 1 }],
    });
    expect(await ledger.executeWire(openWallet("w2", "open-legacy"))).toMatchObject({
      _tag: "Rejected",
      rejection: { _tag: "IdempotencyKeyReused" },
    });
    expect(ledger.sequence).toBe(1);
  });
});
