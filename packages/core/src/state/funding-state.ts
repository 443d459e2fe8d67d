/**
 * What decisions about funding sources remember, and how their events fold in.
 *
 * A source's status only moves forward: unverified → verified, and either → removed.
 * Removal is final (a removed source is kept, so its id cannot be reused and old events
 * still name something).
 */
import { knownEntity } from "./known-entity.js";
import type { FundingSourceKind } from "../events/funding-events.js";
import type { EventOf } from "../events/ledger-event.js";
import type { Timestamp } from "../time/timestamp.js";
import type { LedgerState } from "./ledger-state.js";

/** Confirmation attempts a bank account gets before it must be removed and linked again. */
export const MICRO_DEPOSIT_ATTEMPTS_MAX = 3;

export type FundingSourceStatus = "unverified" | "verified" | "removed";

export interface FundingSource {
  readonly id: string;
  readonly walletId: string;
  readonly kind: FundingSourceKind;
  readonly maskedNumber: string;
  readonly currency: string;
  readonly expiresAt: Timestamp | undefined;
  status: FundingSourceStatus;
  /** The two amounts sent, in minor units of `currency`, once sent. */
  microDeposits: readonly [bigint, bigint] | undefined;
  failedAttempts: number;
}

export type FundingEvent = EventOf<
  | "FundingSourceLinked"
  | "MicroDepositsSent"
  | "MicroDepositsMismatched"
  | "FundingSourceVerified"
  | "FundingSourceRemoved"
>;

export function applyFundingEvent(state: LedgerState, event: FundingEvent): void {
  if (event.type === "FundingSourceLinked") {
    state.fundingSources.set(event.sourceId, {
      id: event.sourceId,
      walletId: event.walletId,
      kind: event.kind,
      maskedNumber: event.maskedNumber,
      currency: event.currency,
      expiresAt: event.expiresAt,
      status: "unverified",
      microDeposits: undefined,
      failedAttempts: 0,
    });
    return;
  }
  const source = knownEntity(state.fundingSources, event.sourceId, "funding source");
  if (event.type === "MicroDepositsSent")
    source.microDeposits = [event.amounts[0].amount, event.amounts[1].amount];
  else if (event.type === "MicroDepositsMismatched") source.failedAttempts = event.attempt;
  else if (event.type === "FundingSourceVerified") source.status = "verified";
  else source.status = "removed";
}
