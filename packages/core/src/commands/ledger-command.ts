/**
 * Every request the ledger decides, as one discriminated union on `type`, and the envelope
 * that carries a command in: who sent it, its idempotency key, and the time and digest the
 * engine stamps on it (the core never reads a clock).
 */
import * as t from "io-ts";
import {
  codecContext,
  perRegistry,
  taggedUnion,
  type CodecContext,
} from "../codec/codec-context.js";
import { EntityId, isPrintableKey, Metadata, textCodec, Timestamp } from "../codec/primitives.js";
import { Actor, RequestMetadata } from "../codec/request-text.js";
import { strict } from "../codec/strict-fields.js";
import type { CurrencyRegistry } from "../money/index.js";
import type { Timestamp as TimestampValue } from "../time/timestamp.js";
import { holdCommandCodecs } from "./hold-commands.js";
import { checkoutCommandCodecs } from "./checkout-commands.js";
import { merchantCommandCodecs } from "./merchant-commands.js";
import { walletCommandCodecs } from "./wallet-commands.js";
import { fundingCommandCodecs } from "./funding-commands.js";
import { fxCommandCodecs } from "./fx-commands.js";
import { limitCommandCodecs } from "./limit-commands.js";
import { promotionCommandCodecs } from "./promotion-commands.js";
import { payoutCommandCodecs } from "./payout-commands.js";
import { adjustmentCommandCodecs } from "./adjustment-commands.js";
import { settlementCommandCodecs } from "./settlement-commands.js";

const commandCodecFamilies = (c: CodecContext) => ({
  ...walletCommandCodecs(c),
  ...holdCommandCodecs(c),
  ...merchantCommandCodecs(c),
  ...checkoutCommandCodecs(c),
  ...fundingCommandCodecs(c),
  ...fxCommandCodecs(c),
  ...limitCommandCodecs(c),
  ...promotionCommandCodecs(c),
  ...payoutCommandCodecs(c),
  ...adjustmentCommandCodecs(c),
  ...settlementCommandCodecs(c),
});

type CommandCodecs = ReturnType<typeof commandCodecFamilies>;
export type LedgerCommandType = keyof CommandCodecs;
export type LedgerCommand = {
  [K in LedgerCommandType]: t.TypeOf<CommandCodecs[K]>;
}[LedgerCommandType];
export type LedgerCommandJson = {
  [K in LedgerCommandType]: t.OutputOf<CommandCodecs[K]>;
}[LedgerCommandType];
export type CommandOf<K extends LedgerCommandType> = t.TypeOf<CommandCodecs[K]>;

/** Every command type, in the order of the codec families (read from the codecs themselves). */
export const ledgerCommandTypes = (registry: CurrencyRegistry): LedgerCommandType[] =>
  Object.keys(commandCodecFamilies(codecContext(registry))) as LedgerCommandType[];

/** Each command type's own codec (before `strict`), for tools that read its declared fields. */
export const commandCodecsByType = (
  registry: CurrencyRegistry,
): Readonly<Record<string, t.Mixed>> => commandCodecFamilies(codecContext(registry));

/** The codec of `LedgerCommand` for a currency registry (cached per registry). */
export const ledgerCommandCodec = perRegistry((registry) => {
  const families = commandCodecFamilies(codecContext(registry)) as unknown as Record<
    string,
    t.Type<LedgerCommand, LedgerCommandJson, unknown>
  >;
  // Commands are strict: an unknown field is refused, never dropped (codec/strict-fields.ts).
  const members = Object.fromEntries(
    Object.entries(families).map(([type, member]) => [type, strict(member)]),
  );
  return taggedUnion<LedgerCommand, LedgerCommandJson>("command", members);
});

/** Idempotency keys: 1-255 printable ASCII characters, as payment APIs accept. */
export const IdempotencyKey = textCodec(
  "IdempotencyKey",
  isPrintableKey,
  "an idempotency key of 1-255 printable ASCII characters",
);

/**
 * The fields a command request declares, for schema generators (the HTTP API's OpenAPI
 * document). Decode requests with `commandRequestCodec`, which is this shape made strict.
 */
export const commandRequestFields = (registry: CurrencyRegistry) =>
  t.intersection([
    t.type({ idempotencyKey: IdempotencyKey, command: ledgerCommandCodec(registry) }),
    t.partial({
      commandId: EntityId,
      actor: Actor,
      metadata: RequestMetadata,
      effectiveAt: Timestamp,
    }),
  ]);
export type CommandRequest = t.TypeOf<ReturnType<typeof commandRequestFields>>;
type CommandRequestOutput = t.OutputOf<ReturnType<typeof commandRequestFields>>;

/**
 * What a caller sends: the command and its identity. Time and digest are added by the engine.
 * Strict (an unknown field is refused), and a line that is not a JSON object is told so in
 * the API's words rather than with the codec's type name.
 */
export const commandRequestCodec = (
  registry: CurrencyRegistry,
): t.Type<CommandRequest, CommandRequestOutput, unknown> => {
  const fields = strict(commandRequestFields(registry));
  return new t.Type<CommandRequest, CommandRequestOutput, unknown>(
    "CommandRequest",
    fields.is,
    (u, c) =>
      typeof u === "object" && u !== null && !Array.isArray(u)
        ? fields.validate(u, c)
        : t.failure(u, c, "a command request: a JSON object with idempotencyKey and command"),
    fields.encode,
  );
};

/** A command ready to decide: the request plus what the engine stamped on it. */
export interface CommandEnvelope {
  readonly commandId: string;
  readonly idempotencyKey: string;
  /**
   * A digest of the command's payload, computed at the edge (the engine uses SHA-256 of its
   * canonical JSON). Equal digests under one key mean "the same request again".
   */
  readonly digest: string;
  /**
   * The same request's digest as an older release computed it. The engine sets it only when
   * the key's recorded digest differs from `digest`, so a retry spanning an upgrade that
   * changed the digest's formula is still recognised as the same request.
   */
  readonly legacyDigest?: string;
  /** Engine time when the command was decided. */
  readonly at: TimestampValue;
  readonly effectiveAt?: TimestampValue;
  readonly actor?: string;
  readonly metadata?: Metadata;
  readonly command: LedgerCommand;
}

/** The codec of `LedgerCommand`, named as its type: `LedgerCommand(registry).decode(json)` (ADR 0006). */
export const LedgerCommand = ledgerCommandCodec;
