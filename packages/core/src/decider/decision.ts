/** The result of deciding a command, and the small vocabulary every decision is written in. */
import type { Either } from "fp-ts/lib/Either.js";
import type { LedgerEvent } from "../events/ledger-event.js";
import type { Rejection } from "../rejections/rejection.js";

export type Decision = Either<Rejection, LedgerEvent[]>;

export const rejected = (rejection: Rejection): Decision => ({ _tag: "Left", left: rejection });
export const accepted = (...events: LedgerEvent[]): Decision => ({ _tag: "Right", right: events });
