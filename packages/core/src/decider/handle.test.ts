/**
 * `handle` / `execute`: idempotency around `decide`, and the stamping of recorded events.
 */
import { describe, expect, it } from "vitest";
import type { CommandEnvelope, LedgerCommand } from "../commands/ledger-command.js";
import { initialState } from "../state/ledger-state.js";
import { T0 } from "../testing/given-when-then.js";
import { usd } from "../testing/money.js";
import { execute, handle } from "./handle.js";

const HOUR = 3_600_000;
const openW1: LedgerCommand = { type: "OpenWallet", walletId: "w1", ownerId: "alice" };
const depositW1: LedgerCommand = {
  type: "DepositFunds",
  walletId: "w1",
  amount: usd("10.00"),
  channel: "card",
};
const withdrawW1: LedgerCommand = {
  type: "WithdrawFunds",
  walletId: "w1",
  amount: usd("25.00"),
  channel: "bank",
};

const envelope = (
  command: LedgerCommand,
  key: string,
  at: number,
  digest = `digest-of-${key}`,
): CommandEnvelope => ({ commandId: `cmd-${key}-${at}`, idempotencyKey: key, digest, at, command });

function ledger(retentionMs?: number) {
  const state = initialState(
    retentionMs === undefined ? {} : { idempotencyRetentionMs: retentionMs },
  );
  const ok = (command: LedgerCommand, key: string, at = T0) => {
    const result = execute(state, envelope(command, key, at));
    if (result._tag === "Left") throw new Error(`setup rejected: ${result.left._tag}`);
    return result.right;
  };
  return { state, ok };
}

describe("idempotency", () => {
  it("a retry with the same key and digest is Repeated, pointing at the first events, and records nothing", () => {
    const { state, ok } = ledger();
    ok(openW1, "open");
    ok(depositW1, "dep");
    const sequence = state.sequence;
    const retry = execute(state, envelope(depositW1, "dep", T0 + HOUR));
    expect(retry).toEqual({
      _tag: "Right",
      right: { _tag: "Repeated", firstSequence: 2, eventCount: 1 },
    });
    expect(state.sequence).toBe(sequence);
    expect(state.balances.get("liabilities:wallets:w1:available")?.get("USD")).toBe(-1000n);
  });

  it("the same key with another digest is IdempotencyKeyReused, even for a command that would succeed", () => {
    const { state, ok } = ledger();
    ok(openW1, "open");
    ok(depositW1, "dep");
    expect(handle(state, envelope(depositW1, "dep", T0, "another-digest"))).toEqual({
      _tag: "Left",
      left: { _tag: "IdempotencyKeyReused", idempotencyKey: "dep" },
    });
  });

  it("idempotency is checked before the command: a retry of an accepted command is Repeated though deciding it again would be rejected", () => {
    const { state, ok } = ledger();
    ok(openW1, "open");
    const retry = handle(state, envelope(openW1, "open", T0 + 1));
    expect(retry._tag === "Right" && retry.right._tag).toBe("Repeated");
  });

  it("keys expire after the retention window (24 h by default): one millisecond before it the key is live, at it the key is free", () => {
    const { state, ok } = ledger();
    ok(openW1, "open");
    ok(depositW1, "dep", T0);
    const justInside = handle(state, envelope(depositW1, "dep", T0 + 24 * HOUR - 1, "changed"));
    expect(justInside._tag === "Left" && justInside.left._tag).toBe("IdempotencyKeyReused");
    const atExpiry = execute(state, envelope(depositW1, "dep", T0 + 24 * HOUR, "changed"));
    expect(atExpiry._tag === "Right" && atExpiry.right._tag).toBe("Accepted");
    // Now the key belongs to the new command.
    const retry = handle(state, envelope(depositW1, "dep", T0 + 25 * HOUR, "changed"));
    expect(retry).toEqual({
      _tag: "Right",
      right: { _tag: "Repeated", firstSequence: 3, eventCount: 1 },
    });
  });

  it("a custom retention window is honoured", () => {
    const { state, ok } = ledger(HOUR);
    ok(openW1, "open");
    ok(depositW1, "dep", T0);
    expect(handle(state, envelope(depositW1, "dep", T0 + HOUR - 1))._tag).toBe("Right");
    const after = handle(state, envelope(depositW1, "dep", T0 + HOUR));
    expect(after._tag === "Right" && after.right._tag).toBe("Accepted");
  });

  it("expired keys are forgotten as ledger time moves on, so memory follows the rate of commands", () => {
    const { state, ok } = ledger();
    ok(openW1, "k1", T0);
    ok(depositW1, "k2", T0 + HOUR);
    expect(state.idempotency.size).toBe(2);
    ok(depositW1, "k3", T0 + 24 * HOUR);
    expect(state.idempotency.get("k1")).toBeUndefined();
    expect(state.idempotency.size).toBe(2);
  });

  it("a rejection is not remembered: the same key may be sent again and succeed once the world changed", () => {
    const { state, ok } = ledger();
    ok(openW1, "open");
    const first = handle(state, envelope(withdrawW1, "w", T0));
    expect(first._tag === "Left" && first.left._tag).toBe("InsufficientFunds");
    ok({ type: "DepositFunds", walletId: "w1", amount: usd("100.00"), channel: "card" }, "dep");
    const second = execute(state, envelope(withdrawW1, "w", T0 + 1));
    expect(second._tag === "Right" && second.right._tag).toBe("Accepted");
  });
});

describe("recording", () => {
  it("stamps events with the next sequence, the command's identity, time and optional fields", () => {
    const { state, ok } = ledger();
    ok(openW1, "open");
    const outcome = handle(state, {
      ...envelope(depositW1, "dep", T0 + 5),
      effectiveAt: T0 - HOUR,
      actor: "ops@example",
      metadata: { order: "o-1" },
    });
    expect(
      outcome._tag === "Right" && outcome.right._tag === "Accepted" ? outcome.right.events : [],
    ).toEqual([
      {
        sequence: 2,
        recordedAt: T0 + 5,
        effectiveAt: T0 - HOUR,
        commandId: `cmd-dep-${T0 + 5}`,
        idempotencyKey: "dep",
        digest: "digest-of-dep",
        indexInCommand: 0,
        eventsInCommand: 1,
        actor: "ops@example",
        metadata: { order: "o-1" },
        event: expect.objectContaining({ type: "FundsDeposited" }),
      },
    ]);
    // handle decides only; execute folds.
    expect(state.sequence).toBe(1);
  });

  it("omits optional fields that were not sent (no undefined keys in stored events)", () => {
    const { state } = ledger();
    const outcome = handle(state, envelope(openW1, "open", T0));
    const [recorded] =
      outcome._tag === "Right" && outcome.right._tag === "Accepted" ? outcome.right.events : [];
    expect(Object.keys(recorded ?? {}).sort()).toEqual([
      "commandId",
      "digest",
      "event",
      "eventsInCommand",
      "idempotencyKey",
      "indexInCommand",
      "recordedAt",
      "sequence",
    ]);
  });
});
