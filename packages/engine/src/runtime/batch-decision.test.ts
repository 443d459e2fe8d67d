import { initialState, type LedgerState } from "@pacioli/core";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../journal/hash-chain.js";
import { deposit, openWallet } from "@pacioli/core/testing/requests";
import { APPEND_EVENT_OVERHEAD_BYTES, decideBatch, idempotencyRecords } from "./batch-decision.js";
import type { PendingCommand } from "./command-queue.js";
import type { ExecuteResult } from "./execute-result.js";

const AT = Date.UTC(2026, 11, 3, 12);

function pending(request: unknown): PendingCommand & { answers: ExecuteResult[] } {
  const answers: ExecuteResult[] = [];
  return {
    request,
    typed: false,
    answers,
    resolve: (result) => answers.push(result),
    reject: (error) => {
      throw error;
    },
  };
}

function decide(state: LedgerState, batch: PendingCommand[], bytesMax = 1_000_000) {
  return decideBatch({ state, headHash: GENESIS_HASH, at: AT, bytesMax }, batch);
}

describe("deciding a batch", () => {
  it("folds each accepted command before the next is decided, and chains their events", () => {
    const state = initialState();
    const decision = decide(state, [
      pending(openWallet("w1", "k-open")),
      pending(deposit("w1", "5.00", "USD", "k-dep")),
    ]);
    expect(decision.decided.map((item) => item._tag)).toEqual(["Recorded", "Recorded"]);
    expect(decision.newEvents).toHaveLength(2);
    expect(state.sequence).toBe(2);
    expect(decision.lastHash).not.toBe(GENESIS_HASH);
    expect(idempotencyRecords(decision.decided).map((record) => record.key)).toEqual([
      "k-open",
      "k-dep",
    ]);
  });

  it("answers a request that does not decode at once and keeps it out of the append", () => {
    const state = initialState();
    const bad = pending({ idempotencyKey: "k", command: { type: "NoSuchCommand" } });
    const decision = decide(state, [bad, pending(openWallet("w1"))]);
    expect(bad.answers).toMatchObject([{ _tag: "Invalid" }]);
    expect(decision.accepted).toHaveLength(1);
    expect(decision.newEvents).toHaveLength(1);
  });

  it("records a refusal as an answer with no events and leaves the state as it was", () => {
    const state = initialState();
    const decision = decide(state, [pending(deposit("nobody", "1.00"))]);
    expect(decision.decided).toMatchObject([{ _tag: "Done", result: { _tag: "Rejected" } }]);
    expect(decision.newEvents).toHaveLength(0);
    expect(state.sequence).toBe(0);
  });

  it("closes the append before the command that would cross the byte limit, undecided and unfolded", () => {
    const state = initialState();
    const commands = [
      pending(openWallet("w1")),
      pending(openWallet("w2")),
      pending(openWallet("w3")),
    ];
    const one = decide(initialState(), [commands[0] as PendingCommand]);
    const eventBytes =
      Buffer.byteLength((one.newEvents[0] as { payload: string }).payload, "utf8") +
      APPEND_EVENT_OVERHEAD_BYTES;
    const decision = decide(state, commands, 2 * eventBytes + 10);
    expect(decision.newEvents).toHaveLength(2);
    expect(decision.overflow).toEqual([commands[2]]);
    expect(state.wallets.has("w3")).toBe(false);
  });

  it("sends a command too large for the limit on its own rather than never", () => {
    const decision = decide(initialState(), [pending(openWallet("w1"))], 1);
    expect(decision.newEvents).toHaveLength(1);
    expect(decision.overflow).toEqual([]);
  });
});
