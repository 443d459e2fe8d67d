/**
 * A settlement recorded: the clearing account is cleared into the platform's bank account for
 * that channel (`assets:bank:{channel}`), in the direction the money went.
 */
import * as t from "io-ts";
import type { CodecContext } from "../codec/codec-context.js";
import { EntityId } from "../codec/primitives.js";
import { SettlementDirection, SettlementReference } from "../commands/settlement-commands.js";

export const settlementEventCodecs = (c: CodecContext) => ({
  SettlementRecorded: t.type({
    type: t.literal("SettlementRecorded"),
    settlementId: EntityId,
    channel: EntityId,
    reference: SettlementReference,
    direction: SettlementDirection,
    amount: c.money,
    postings: c.postings,
  }),
});
