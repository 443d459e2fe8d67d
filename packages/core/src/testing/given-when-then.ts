/**
 * Given / When / Then for the decider, in the shape Emmett popularised:
 *
 *   given(openWallet("w1"), deposit("w1", "USD", "10.00"))
 *     .when(withdraw("w1", "USD", "20.00"))
 *     .thenRejects("InsufficientFunds");
 *
 * `given` takes commands (not events) so each test reads as the story it tells; every
 * given command must be accepted, or the test fails at the line that set it up wrongly.
 */
import type { CommandEnvelope, LedgerCommand } from "../commands/ledger-command.js";
import { execute } from "../decider/handle.js";
import { decide } from "../decider/decide.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import type { Rejection, RejectionTag } from "../rejections/rejection.js";
import { initialState, type LedgerOptions, type LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";

export const T0: Timestamp = 1_790_000_000_000; // 2026-09-21, a fixed test epoch

/** An event's postings as [account, signed amount] pairs, in order: what a test compares. */
export const legs = (event: LedgerEvent | undefined): [string, bigint][] =>
  (event?.postings ?? []).map((posting) => [posting.account, posting.amount]);

/** An event's postings as [account, currency, signed amount], for events that move several currencies. */
export const currencyLegs = (event: LedgerEvent | undefined): [string, string, bigint][] =>
  (event?.postings ?? []).map((posting) => [posting.account, posting.currency, posting.amount]);

let counter = 0;

/** An envelope for a command at a time; key and digest derive from the command unless given. */
export function envelope(
  command: LedgerCommand,
  at: Timestamp = T0,
  key?: string,
): CommandEnvelope {
  counter += 1;
  const digest = JSON.stringify(command, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  return { commandId: `c${counter}`, idempotencyKey: key ?? `k${counter}`, digest, at, command };
}

export interface Scenario {
  readonly state: LedgerState;
  when(command: LedgerCommand, at?: Timestamp): Outcome;
}

export interface Outcome {
  readonly state: LedgerState;
  thenEvents(): LedgerEvent[];
  thenRejects<T extends RejectionTag>(tag: T): Extract<Rejection, { _tag: T }>;
}

export type TimedCommand =
  LedgerCommand | { readonly command: LedgerCommand; readonly at: Timestamp };

export function given(...commands: TimedCommand[]): Scenario {
  return givenWith({}, ...commands);
}

export function givenWith(options: LedgerOptions, ...commands: TimedCommand[]): Scenario {
  const state = initialState(options);
  for (const item of commands) {
    const [command, at] = "command" in item ? [item.command, item.at] : [item, T0];
    const result = execute(state, envelope(command, at));
    if (result._tag === "Left")
      throw new Error(`given ${command.type} was rejected: ${result.left._tag}`);
  }
  return {
    state,
    when(command, at = T0) {
      const decision = decide(state, command, at);
      return {
        state,
        thenEvents() {
          if (decision._tag === "Left")
            throw new Error(
              `expected events, got rejection ${JSON.stringify(decision.left, bigintJson)}`,
            );
          return decision.right;
        },
        thenRejects(tag) {
          if (decision._tag === "Right")
            throw new Error(
              `expected ${tag}, got events ${decision.right.map((e) => e.type).join(", ")}`,
            );
          if (decision.left._tag !== tag)
            throw new Error(`expected ${tag}, got ${JSON.stringify(decision.left, bigintJson)}`);
          return decision.left as never;
        },
      };
    },
  };
}

const bigintJson = (_key: string, value: unknown): unknown =>
  typeof value === "bigint" ? value.toString() : value;
