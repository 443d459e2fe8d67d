/**
 * Every fact the ledger records, as one discriminated union on `type`.
 *
 * Events are past-tense facts that embed the postings they caused, so replay never
 * recomputes money: evolve applies the postings as recorded and only asserts that they
 * balance. To add an event family, write its codecs in a file of its own and add it to
 * `eventCodecFamilies`.
 */
import type * as t from "io-ts";
import type { CurrencyRegistry } from "../money/index.js";
import {
  codecContext,
  perRegistry,
  taggedUnion,
  type CodecContext,
} from "../codec/codec-context.js";
import { fundsEventCodecs } from "./funds-events.js";
import { holdEventCodecs } from "./hold-events.js";
import { checkoutEventCodecs } from "./checkout-events.js";
import { merchantEventCodecs } from "./merchant-events.js";
import { walletEventCodecs } from "./wallet-events.js";
import { fundingEventCodecs } from "./funding-events.js";
import { fxEventCodecs } from "./fx-events.js";
import { limitEventCodecs } from "./limit-events.js";
import { promotionEventCodecs } from "./promotion-events.js";
import { payoutEventCodecs } from "./payout-events.js";
import { adjustmentEventCodecs } from "./adjustment-events.js";
import { settlementEventCodecs } from "./settlement-events.js";

const eventCodecFamilies = (c: CodecContext) => ({
  ...walletEventCodecs(c),
  ...fundsEventCodecs(c),
  ...holdEventCodecs(c),
  ...merchantEventCodecs(c),
  ...checkoutEventCodecs(c),
  ...fundingEventCodecs(c),
  ...fxEventCodecs(c),
  ...limitEventCodecs(c),
  ...promotionEventCodecs(c),
  ...payoutEventCodecs(c),
  ...adjustmentEventCodecs(c),
  ...settlementEventCodecs(c),
});

type EventCodecs = ReturnType<typeof eventCodecFamilies>;
export type LedgerEventType = keyof EventCodecs;
export type LedgerEvent = { [K in LedgerEventType]: t.TypeOf<EventCodecs[K]> }[LedgerEventType];
export type LedgerEventJson = {
  [K in LedgerEventType]: t.OutputOf<EventCodecs[K]>;
}[LedgerEventType];
/** The event of one type: `EventOf<"HoldPlaced">`. */
export type EventOf<K extends LedgerEventType> = t.TypeOf<EventCodecs[K]>;

/** The codec of `LedgerEvent` for a currency registry (cached per registry). */
export const ledgerEventCodec = perRegistry((registry) => {
  const members = eventCodecFamilies(codecContext(registry)) as unknown as Record<
    string,
    t.Type<LedgerEvent, LedgerEventJson, unknown>
  >;
  return taggedUnion<LedgerEvent, LedgerEventJson>("LedgerEvent", members);
});

/** Each event type's own codec, for tools that read its declared fields. */
export const eventCodecsByType = (registry: CurrencyRegistry): Readonly<Record<string, t.Mixed>> =>
  eventCodecFamilies(codecContext(registry));

export const LEDGER_EVENT_TYPES: readonly LedgerEventType[] = Object.keys(
  eventCodecFamilies(codecContext(new Map())),
) as LedgerEventType[];

/**
 * The codec and the type share a name, as io-ts code usually does; the codec is built for a
 * currency registry because an amount's exponent decides whether it is valid (ADR 0006):
 * `LedgerEvent(registry).decode(json)`.
 */
export const LedgerEvent = ledgerEventCodec;
