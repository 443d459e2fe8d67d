/** The result of deciding a command, and the small vocabulary every decision is written in. */
import type { Either } from "fp-ts/lib/Either.js";
import type { CommandOf, LedgerCommandType } from "../commands/ledger-command.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import type { Rejection } from "../rejections/rejection.js";
import type { LedgerState } from "../state/ledger-state.js";
import type { Timestamp } from "../time/timestamp.js";

export type Decision = Either<Rejection, LedgerEvent[]>;

/** The rules of one command type: the state, the command and its time in, the decision out. */
export type Decide<K extends LedgerCommandType> = (
  state: LedgerState,
  command: CommandOf<K>,
  at: Timestamp,
) => Decision;

export const rejected = (rejection: Rejection): Decision => ({ _tag: "Left", left: rejection });
export const accepted = (...events: LedgerEvent[]): Decision => ({ _tag: "Right", right: events });

/** A ledger event without its postings, one event type at a time. */
export type WithoutPostings<E> = E extends LedgerEvent ? Omit<E, "postings"> : never;

/**
 * Accepted: one event that moves no money (a setting, a link, a lifecycle step), recorded with
 * empty postings — the same event, postings last, as writing `postings: []` out.
 */
export const fact = (event: WithoutPostings<LedgerEvent>): Decision =>
  accepted({ ...event, postings: [] } as LedgerEvent);
