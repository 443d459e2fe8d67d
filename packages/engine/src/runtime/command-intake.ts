/**
 * The edge where commands come in: decode the request with io-ts, then stamp it with what
 * the core must not produce itself: the time, a command id, and the digest that lets a
 * retried idempotency key be recognised as the same request.
 */
import { commandRequestCodec, decodeFailure, formatTimestamp, ledgerCommandCodec, type CommandEnvelope, type CurrencyRegistry, type DecodeFailure, type LedgerCommandJson } from "@pacioli/core";
import { canonicalJson } from "../journal/canonical-json.js";
import { sha256Hex } from "../journal/hash-chain.js";

/** A command request as JSON: amounts are decimal strings, times ISO-8601. */
export interface CommandRequestJson {
  readonly idempotencyKey: string;
  readonly command: LedgerCommandJson;
  readonly commandId?: string;
  readonly actor?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly effectiveAt?: string;
}

export type Intake = { readonly _tag: "Ready"; readonly envelope: CommandEnvelope } | { readonly _tag: "Invalid"; readonly failure: DecodeFailure };

const requestCodecs = new WeakMap<CurrencyRegistry, ReturnType<typeof commandRequestCodec>>();

function requestCodec(registry: CurrencyRegistry): ReturnType<typeof commandRequestCodec> {
  let codec = requestCodecs.get(registry);
  if (codec === undefined) requestCodecs.set(registry, (codec = commandRequestCodec(registry)));
  return codec;
}

export function takeIn(registry: CurrencyRegistry, request: unknown, at: number): Intake {
  const decoded = requestCodec(registry).decode(request);
  if (decoded._tag === "Left") return { _tag: "Invalid", failure: decodeFailure("command request", decoded.left) };
  const value = decoded.right;
  // The digest covers what the caller asked for, re-encoded and canonical, not how it was
  // spelled: "12.3" and "12.30" USD are the same request.
  const normalized = { command: ledgerCommandCodec(registry).encode(value.command), effectiveAt: value.effectiveAt === undefined ? undefined : formatTimestamp(value.effectiveAt) };
  const digest = sha256Hex(canonicalJson(normalized));
  const envelope: CommandEnvelope = {
    commandId: value.commandId ?? `cmd-${sha256Hex(`${value.idempotencyKey}\n${digest}`).slice(0, 32)}`,
    idempotencyKey: value.idempotencyKey,
    digest,
    at,
    command: value.command,
    ...(value.effectiveAt === undefined ? {} : { effectiveAt: value.effectiveAt }),
    ...(value.actor === undefined ? {} : { actor: value.actor }),
    ...(value.metadata === undefined ? {} : { metadata: value.metadata }),
  };
  return { _tag: "Ready", envelope };
}
